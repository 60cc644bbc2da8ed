"""groupbill's data layer: SQLModel tables, value objects and the claim lifecycle.

No Prefect, no network, no settings import here: values come in as arguments.
"""
