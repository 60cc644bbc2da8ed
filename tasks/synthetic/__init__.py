"""A seeded synthetic practice: a bundle, the sandbox payers' roster and a manifest of defects."""

from tasks.synthetic.generate import SyntheticPractice, generate_practice, write_practice

__all__ = ["SyntheticPractice", "generate_practice", "write_practice"]
