"""999 implementation acknowledgment (005010X231A1).

AK1 names the group acknowledged; each 2000 loop (AK2..IK5) one transaction set, each 2100 loop
(IK3, CTX) a segment in error and each 2110 loop (IK4, CTX) an element in error; AK9 closes.
"""

from tasks.x12.loops import header, loop

ACK_999 = header(
    "999 transaction set header",
    "AK1",
    "AK9",
    (
        loop(
            "2000",
            "transaction set response",
            "AK2",
            "IK5",
            (loop("2100", "error identification", "IK3", "CTX", (loop("2110", "data element note", "IK4", "CTX"),)),),
        ),
    ),
)
