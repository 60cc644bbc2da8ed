"""Alembic migrations of the billing schema (configured in code: see models/migrate.py)."""
