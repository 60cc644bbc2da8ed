"""Prior authorizations: a units ledger that follows the claims, and alerts before they run out."""
