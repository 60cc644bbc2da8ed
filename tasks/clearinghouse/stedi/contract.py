"""Stedi's published calls, as paths under the two base URLs (production: healthcare.us.stedi.com/2024-04-01
and core.us.stedi.com/2023-08-01). The local server mounts the same paths under the same prefixes."""

HEALTHCARE_VERSION, CORE_VERSION = "2024-04-01", "2023-08-01"
ELIGIBILITY = "/change/medicalnetwork/eligibility/v3/raw-x12"
CLAIM_STATUS = "/change/medicalnetwork/claimstatus/v2/raw-x12"
PROFESSIONAL_CLAIMS = "/change/medicalnetwork/professionalclaims/v3/raw-x12-submission"
POLLING = "/polling/transactions"
INPUT = "/transactions/{transaction_id}/input"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 255
READ_KINDS = frozenset({"277", "835", "999"})  # INBOUND transaction sets groupbill applies
