"""Prefect flows (composition only) and the `groupbill` command line."""
