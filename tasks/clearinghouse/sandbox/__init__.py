"""The sandbox clearinghouse: an in-process payer simulator that answers in real X12."""
