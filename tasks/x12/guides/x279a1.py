"""270 eligibility inquiry and 271 eligibility response (005010X279A1).

Levels: 2000A information source (payer), 2000B information receiver (provider), 2000C
subscriber, 2000D dependent. A dependent's own eligibility and benefits are in 2100D/2110D.
"""

from tasks.x12.loops import LoopSpec, header, loop

# 2100C and 2100D may hold the same segments (position 0400-1275 of the guide).
_NAME_271 = "REF N3 N4 AAA PRV DMG INS HI DTP MPI"
_NAME_270 = "REF N3 N4 PRV DMG INS HI DTP"
# 2110C/2110D: EB, then HSD, REF, DTP, AAA, MSG, the 2115 III loops and LS/2120/LE.
_BENEFIT = "HSD REF DTP AAA MSG LS LE"


def _benefit(level: str) -> LoopSpec:
    return loop(
        f"2110{level}",
        "eligibility or benefit information",
        "EB",
        _BENEFIT,
        (
            loop(f"2115{level}", "eligibility or benefit additional information", "III"),
            loop(f"2120{level}", "benefit related entity name", "NM1", "N3 N4 PER PRV"),
        ),
    )


def _dependent_271() -> LoopSpec:
    name = loop("2100D", "dependent name", "NM1=03", _NAME_271, (_benefit("D"),))
    return loop("2000D", "dependent level", "HL.03=23", "TRN", (name,))


def _subscriber_271() -> LoopSpec:
    name = loop("2100C", "subscriber name", "NM1=IL", _NAME_271, (_benefit("C"),))
    return loop("2000C", "subscriber level", "HL.03=22", "TRN", (name, _dependent_271()))


RESPONSE_271 = header(
    "271 transaction set header",
    "BHT",
    "",
    (
        loop(
            "2000A",
            "information source level",
            "HL.03=20",
            "AAA",
            (
                loop("2100A", "information source name", "NM1=2B/36/GP/P5/PR", "PER AAA"),
                loop(
                    "2000B",
                    "information receiver level",
                    "HL.03=21",
                    "",
                    (
                        loop("2100B", "information receiver name", "NM1=1P/2B/36/80/FA/GP/P5/PR", "REF N3 N4 AAA PRV"),
                        _subscriber_271(),
                    ),
                ),
            ),
        ),
    ),
)


def _inquiry(level: str) -> LoopSpec:
    extra = "AMT III REF DTP" if level == "C" else "III REF DTP"
    return loop(f"2110{level}", "eligibility or benefit inquiry", "EQ", extra)


def _subscriber_270() -> LoopSpec:
    dependent = loop(
        "2000D",
        "dependent level",
        "HL.03=23",
        "TRN",
        (loop("2100D", "dependent name", "NM1=03", _NAME_270, (_inquiry("D"),)),),
    )
    name = loop("2100C", "subscriber name", "NM1=IL", _NAME_270, (_inquiry("C"),))
    return loop("2000C", "subscriber level", "HL.03=22", "TRN", (name, dependent))


INQUIRY_270 = header(
    "270 transaction set header",
    "BHT",
    "",
    (
        loop(
            "2000A",
            "information source level",
            "HL.03=20",
            "",
            (
                loop("2100A", "information source name", "NM1=2B/36/GP/P5/PR"),
                loop(
                    "2000B",
                    "information receiver level",
                    "HL.03=21",
                    "",
                    (
                        loop("2100B", "information receiver name", "NM1=1P/2B/36/80/FA/GP/P5/PR", "REF N3 N4 PRV"),
                        _subscriber_270(),
                    ),
                ),
            ),
        ),
    ),
)
