"""Claim status follow-up: claims that went quiet, a 276 to their payers, and what each 277 answer means."""
