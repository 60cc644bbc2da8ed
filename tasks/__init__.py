"""Pipeline steps: pure functions first, thin Prefect task wrappers on top."""
