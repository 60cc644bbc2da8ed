"""The tables revision 0001 creates, in the order their foreign keys need, a module per group (Alembic's
generated upgrade was one 900-line function). Only revision 0001 calls these: later revisions change the
schema themselves, and these must never change."""
