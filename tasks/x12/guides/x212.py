"""276 claim status request and 277 claim status response (005010X212).

Levels: 2000A information source (payer), 2000B information receiver (the submitter), 2000C service
provider, 2000D subscriber, 2000E dependent. A claim asked about (276) or answered (277) is a 2200D
loop under the subscriber when the patient is the subscriber, else a 2200E under the dependent; its
service lines are 2210D/E (276) or 2220D/E (277).
"""

from tasks.x12.loops import LoopSpec, header, loop

_CLAIM_REFS = "REF=1K/BLT/EJ/XZ/VV/D9/LU/6P"


def _request_claim(level: str) -> LoopSpec:
    lines = loop(f"2210{level}", "service line information", "SVC", "REF=FJ DTP=472")
    return loop(f"2200{level}", "claim status tracking number", "TRN=1", f"{_CLAIM_REFS} AMT=T3 DTP=472", (lines,))


def _answer_claim(level: str) -> LoopSpec:
    lines = loop(f"2220{level}", "service line information", "SVC", "STC REF=FJ DTP=472")
    return loop(f"2200{level}", "claim status tracking number", "TRN=2", f"STC {_CLAIM_REFS} DTP=472", (lines,))


def _patients(request: bool) -> LoopSpec:
    make = _request_claim if request else _answer_claim
    demographics = "DMG" if request else ""
    dependent = loop(
        "2000E",
        "dependent level",
        "HL.03=23",
        demographics,
        (loop("2100E", "dependent name", "NM1=QC"), make("E")),
    )
    return loop(
        "2000D",
        "subscriber level",
        "HL.03=22",
        demographics,
        (loop("2100D", "subscriber name", "NM1=IL"), make("D"), dependent),
    )


def _table(title: str, request: bool) -> LoopSpec:
    provider_trace = () if request else (loop("2200C", "provider of service trace identifier", "TRN=1", "STC"),)
    receiver_trace = () if request else (loop("2200B", "information receiver trace identifier", "TRN=2", "STC"),)
    provider = loop(
        "2000C",
        "service provider level",
        "HL.03=19",
        "",
        (loop("2100C", "provider name", "NM1=1P"), *provider_trace, _patients(request)),
    )
    receiver = loop(
        "2000B",
        "information receiver level",
        "HL.03=21",
        "",
        (loop("2100B", "information receiver name", "NM1=41"), *receiver_trace, provider),
    )
    source = loop("2000A", "information source level", "HL.03=20", "", (loop("2100A", "payer name", "NM1=PR", "PER"),))
    # The guide nests every level under the one before it through HL parent numbers; the loop table keeps
    # the receiver under the source so a reader finds each level where its HL puts it.
    source = LoopSpec(source.name, source.title, source.opening, source.holds, (*source.loops, receiver))
    return header(title, "BHT", "", (source,))


REQUEST_276 = _table("276 transaction set header", request=True)
RESPONSE_277 = _table("277 transaction set header", request=False)
