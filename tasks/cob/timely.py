"""A secondary's filing limit: counted from the prior payer's remittance date, not the date of service
(Medicaid: whichever ends later, its window from service or the one from the remittance)."""

from datetime import date, timedelta

from config.profiles import TimelyFiling


def secondary_deadline(limit: TimelyFiling, service_date: date, remitted_on: date) -> date:
    """The last day the next payer takes a claim the prior payer remitted on `remitted_on`."""
    deadline = remitted_on + timedelta(days=limit.after_prior_payer_days)
    if limit.later_of_service_window:
        deadline = max(deadline, service_date + timedelta(days=limit.days))
    return deadline
