"""277CA health care claim acknowledgment (005010X214).

Levels: 2000A information source, 2000B information receiver, 2000C billing provider, 2000D
patient. Each 2200D loop (TRN*2, STC, REF, DTP) is one claim; its 2220D loops (SVC, STC, REF,
DTP) are that claim's service lines with their own statuses.
"""

from tasks.x12.loops import header, loop

_CLAIM = loop(
    "2200D",
    "claim status tracking number",
    "TRN=2",
    "STC REF DTP",
    (loop("2220D", "service line information", "SVC", "STC REF DTP"),),
)
_PATIENT = loop("2000D", "patient level", "HL.03=PT", "", (loop("2100D", "patient name", "NM1=QC/IL"), _CLAIM))
_BILLING = loop(
    "2000C",
    "billing provider of service level",
    "HL.03=19",
    "",
    (
        loop("2100C", "billing provider name", "NM1=85"),
        loop("2200C", "provider of service information trace identifier", "TRN=1", "STC REF QTY AMT"),
        _PATIENT,
    ),
)
_RECEIVER = loop(
    "2000B",
    "information receiver level",
    "HL.03=21",
    "",
    (
        loop("2100B", "information receiver name", "NM1=41"),
        loop("2200B", "information receiver application trace identifier", "TRN=2", "STC QTY AMT"),
        _BILLING,
    ),
)
ACK_277CA = header(
    "277CA transaction set header",
    "BHT",
    "",
    (
        loop(
            "2000A",
            "information source level",
            "HL.03=20",
            "",
            (
                loop("2100A", "information source name", "NM1=AY/PR"),
                loop("2200A", "transmission receipt control identifier", "TRN=1", "DTP"),
                _RECEIVER,
            ),
        ),
    ),
)
