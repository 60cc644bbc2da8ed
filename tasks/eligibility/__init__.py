"""Eligibility: 270/271 for every attendee's coverage, and what the answer means for mental health."""
