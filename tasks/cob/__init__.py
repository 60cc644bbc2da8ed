"""Coordination of benefits: the payer order on a date of service, the next payer's claim made from
the prior payer's 835, and what the next payer's 837P repeats of it (../shared/reference/cob.md)."""
