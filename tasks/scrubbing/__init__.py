"""The documentation gate and the 90853 claim scrubber: every rule of RULES.md, payer profiles as data."""
