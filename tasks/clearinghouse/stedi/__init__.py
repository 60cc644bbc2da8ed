"""The `stedi` connection kind: Stedi's raw-X12 HTTPS API (reference/clearinghouses.md, section 3).

contract.py names the calls (shared with the local server that follows them), transport.py sends them,
client.py is the Clearinghouse protocol over them, feed.py polls for responses, journal.py remembers
what was sent and answered, and x12text.py reads the little of each X12 text the connector needs."""
