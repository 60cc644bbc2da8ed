"""Claims from attendance, and what the claims of a session add up to."""
