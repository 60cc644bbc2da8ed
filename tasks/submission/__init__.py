"""Submission: claims to 837P batches, the submitting guard, and sending."""
