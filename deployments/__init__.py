"""How groupbill's flows run under Prefect: deployments, schedules and triggers."""
