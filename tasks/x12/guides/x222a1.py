"""837P health care claim: professional (005010X222A1).

1000A submitter, 1000B receiver; 2000A billing provider (2010AA-AC), 2000B subscriber (2010BA
subscriber, 2010BB payer), 2000C patient when not the subscriber (2010CA); 2300 claims under
the patient's level with 2310A-F providers, 2320/2330A-G other payers, 2400 lines with 2410
drugs, 2420A-H line providers, 2430 line adjudication and 2440 forms.
"""

from tasks.x12.loops import LoopSpec, header, loop

_CLAIM_DATES = "431/454/304/453/439/484/455/471/314/360/361/297/296/435/096/090/091/444/050"
_CLAIM_REFS = "4N/F5/EW/9F/G1/F8/X4/9A/9C/LX/D9/EA/P4/1J"
_LINE_DATES = "472/471/607/463/461/304/738/739/011/455/454"
_LINE_REFS = "9B/9D/G1/6R/EW/X4/F4/BT/9F"


def _other_payer() -> LoopSpec:
    return loop(
        "2320",
        "other subscriber information",
        "SBR",
        "CAS AMT OI MOA",
        (
            loop("2330A", "other subscriber name", "NM1=IL", "N3 N4 REF"),
            loop("2330B", "other payer name", "NM1=PR", "N3 N4 DTP REF"),
            loop("2330C", "other payer referring provider", "NM1=DN/P3", "REF"),
            loop("2330D", "other payer rendering provider", "NM1=82", "REF"),
            loop("2330E", "other payer service facility location", "NM1=77", "REF"),
            loop("2330F", "other payer supervising provider", "NM1=DQ", "REF"),
            loop("2330G", "other payer billing provider", "NM1=85", "REF"),
        ),
    )


def _line() -> LoopSpec:
    return loop(
        "2400",
        "service line number",
        "LX",
        f"SV1 SV5 PWK CR1 CR3 CRC DTP={_LINE_DATES} QTY MEA CN1 REF={_LINE_REFS} AMT K3 NTE PS1 HCP",
        (
            loop("2410", "drug identification", "LIN", "CTP REF"),
            loop("2420A", "rendering provider name", "NM1=82", "PRV REF=0B/1G/G2/LU"),
            loop("2420B", "purchased service provider name", "NM1=QB", "REF=0B/1G/G2"),
            loop("2420C", "service facility location name", "NM1=77", "N3 N4 REF=G2/LU"),
            loop("2420D", "supervising provider name", "NM1=DQ", "REF=0B/1G/G2/LU"),
            loop("2420E", "ordering provider name", "NM1=DK", "N3 N4 REF=0B/1G/G2 PER"),
            loop("2420F", "referring provider name", "NM1=DN/P3", "REF=0B/1G/G2"),
            loop("2420G", "ambulance pick-up location", "NM1=PW", "N3 N4"),
            loop("2420H", "ambulance drop-off location", "NM1=45", "N3 N4"),
            loop("2430", "line adjudication information", "SVD", "CAS DTP=573 AMT"),
            loop("2440", "form identification code", "LQ", "FRM"),
        ),
    )


def _claim() -> LoopSpec:
    return loop(
        "2300",
        "claim information",
        "CLM",
        f"DTP={_CLAIM_DATES} PWK CN1 AMT REF={_CLAIM_REFS} K3 NTE CR1 CR2 CRC HI HCP",
        (
            loop("2310A", "referring provider name", "NM1=DN/P3", "REF=0B/1G/G2"),
            loop("2310B", "rendering provider name", "NM1=82", "PRV REF=0B/1G/G2/LU"),
            loop("2310C", "service facility location name", "NM1=77", "N3 N4 REF=0B/G2/LU PER"),
            loop("2310D", "supervising provider name", "NM1=DQ", "REF=0B/1G/G2/LU"),
            loop("2310E", "ambulance pick-up location", "NM1=PW", "N3 N4"),
            loop("2310F", "ambulance drop-off location", "NM1=45", "N3 N4"),
            _other_payer(),
            _line(),
        ),
    )


_CLAIM_2300 = _claim()
_PATIENT = loop(
    "2000C",
    "patient hierarchical level",
    "HL.03=23",
    "PAT",
    (loop("2010CA", "patient name", "NM1=QC", "N3 N4 DMG REF PER"), _CLAIM_2300),
)
_SUBSCRIBER = loop(
    "2000B",
    "subscriber hierarchical level",
    "HL.03=22",
    "SBR PAT",
    (
        loop("2010BA", "subscriber name", "NM1=IL", "N3 N4 DMG REF PER"),
        loop("2010BB", "payer name", "NM1=PR", "N3 N4 REF"),
        _CLAIM_2300,
        _PATIENT,
    ),
)
_BILLING = loop(
    "2000A",
    "billing provider hierarchical level",
    "HL.03=20",
    "PRV CUR",
    (
        loop("2010AA", "billing provider name", "NM1=85", "N3 N4 REF PER"),
        loop("2010AB", "pay-to address name", "NM1=87", "N3 N4"),
        loop("2010AC", "pay-to plan name", "NM1=PE", "N3 N4 REF"),
        _SUBSCRIBER,
    ),
)
CLAIM_837P = header(
    "837P transaction set header",
    "BHT",
    "",
    (
        loop("1000A", "submitter name", "NM1=41", "PER"),
        loop("1000B", "receiver name", "NM1=40"),
        _BILLING,
    ),
)
