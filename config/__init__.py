"""Configuration: settings from GROUPBILL_* variables, payer profiles and reference data."""
