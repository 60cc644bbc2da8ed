"""278 health care services review, request and response (005010X217).

Levels: 2000A UMO (2010A), 2000B requester (2010B), 2000C subscriber (2010C), 2000D dependent
(2010D), 2000E patient event (UM, HCR, DTP, HSD ...; 2010EA-EC providers and places), 2000F
service (UM, HCR, SV1 ...; 2010F providers).
"""

from tasks.x12.loops import header, loop

_PROVIDERS = "NM1=71/72/73/77/AAJ/DD/DK/DN/FA/G3/P3/QB/QV/SJ/1T/2B/SU"
_PROVIDER_HOLDS = "REF N3 N4 PER AAA PRV"
_SERVICE = loop(
    "2000F",
    "service level",
    "HL.03=SS",
    "TRN AAA UM HCR REF DTP HI SV1 SV2 SV3 TOO HSD PWK MSG",
    (loop("2010F", "service provider name", _PROVIDERS, _PROVIDER_HOLDS),),
)
_EVENT = loop(
    "2000E",
    "patient event level",
    "HL.03=EV",
    "TRN AAA UM HCR REF DTP HI HSD CRC CL1 CR1 CR2 CR4 CR5 CR6 CR7 CR8 PWK MSG",
    (
        loop("2010EA", "patient event provider name", _PROVIDERS, _PROVIDER_HOLDS),
        loop("2010EB", "patient event transport information", "NM1=45/FS/ND/PW/R3", "N3 N4"),
        loop("2010EC", "patient event other UMO name", "NM1=X3", "REF AAA"),
        _SERVICE,
    ),
)
_DEPENDENT = loop(
    "2000D",
    "dependent level",
    "HL.03=23",
    "",
    (loop("2010D", "dependent name", "NM1=QC", "REF N3 N4 AAA DMG INS"), _EVENT),
)
_SUBSCRIBER = loop(
    "2000C",
    "subscriber level",
    "HL.03=22",
    "",
    (loop("2010C", "subscriber name", "NM1=IL", "REF N3 N4 AAA DMG INS"), _DEPENDENT, _EVENT),
)
REVIEW_278 = header(
    "278 transaction set header",
    "BHT",
    "",
    (
        loop(
            "2000A",
            "utilization management organization level",
            "HL.03=20",
            "AAA",
            (
                loop("2010A", "utilization management organization name", "NM1", "PER AAA"),
                loop(
                    "2000B",
                    "requester level",
                    "HL.03=21",
                    "",
                    (loop("2010B", "requester name", "NM1", "REF N3 N4 PER AAA PRV"), _SUBSCRIBER),
                ),
            ),
        ),
    ),
)
