"""835 health care claim payment/advice (005010X221A1).

Header (BPR, TRN, CUR, REF, DTM), 1000A payer (N1*PR), 1000B payee (N1*PE), 2000 header number
(LX, TS3, TS2) holding 2100 claim payments (CLP) and their 2110 service lines (SVC); PLB last.
"""

from tasks.x12.loops import header, loop

_LINE = loop("2110", "service payment information", "SVC", "DTM CAS REF AMT QTY LQ")
_CLAIM = loop("2100", "claim payment information", "CLP", "CAS NM1 MIA MOA REF DTM PER AMT QTY", (_LINE,))
REMIT_835 = header(
    "835 header",
    "BPR",
    "TRN CUR REF DTM PLB",
    (
        loop("1000A", "payer identification", "N1=PR", "N3 N4 REF PER"),
        loop("1000B", "payee identification", "N1=PE", "N3 N4 REF RDM"),
        loop("2000", "header number", "LX", "TS3 TS2", (_CLAIM,)),
    ),
)
