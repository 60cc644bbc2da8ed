"""The run summary as markdown tables, worst news first: money next to counts, holds by rule with what
fixes them, the work queues with the command that opens each, and the previous run beside this one.
Pure: the figures come in, text goes out."""

from decimal import Decimal

from tasks.reporting.night import RunSummary

QUEUE_COMMAND = "groupbill claims queue --queue {queue}"


def summary_markdown(summary: RunSummary) -> str:
    """The whole summary."""
    parts = [
        f"# {summary.title}, {summary.practice_date}",
        "",
        f"Run `{summary.run_name}`. Counts and money only; claims by ID with `groupbill claims list`.",
        "",
        *_money_table(summary),
        *_holds_table(summary),
        *_queues_table(summary),
    ]
    return "\n".join(parts).rstrip() + "\n"


def dollars(cents: int | None) -> str:
    """$1,234.50 (or a dash when there is no amount)."""
    if cents is None:
        return "–"
    return f"${Decimal(cents) / 100:,.2f}"


def _money_table(summary: RunSummary) -> list[str]:
    if not summary.lines:
        return ["Nothing to do this run.", ""]
    before: dict[str, list[int | None]] = summary.previous.figures.get("lines", {}) if summary.previous else {}
    when = f"previous run ({summary.previous.practice_date})" if summary.previous else "previous run"
    money = any(cents_keys for *_, cents_keys in summary.spec)
    rows = [
        f"| | {summary.unit} |{' amount |' if money else ''} {when} |",
        f"|---|---:|{'---:|' if money else ''}---:|",
    ]
    for key, label, _, cents_keys in summary.spec:
        if key in summary.lines or key in before:
            count, cents = summary.lines.get(key, (0, 0 if cents_keys else None))
            amount = f" {dollars(cents)} |" if money else ""
            rows.append(f"| {label} | {count:,} |{amount} {_previous(before.get(key))} |")
    return [*rows, ""]


def _previous(figures: list[int | None] | None) -> str:
    if not figures:
        return "–"
    count, cents = figures[0], figures[1] if len(figures) > 1 else None
    return f"{count or 0:,}" + (f" / {dollars(cents)}" if cents is not None else "")


def _holds_table(summary: RunSummary) -> list[str]:
    if summary.holds is None:
        return []
    if not summary.holds:
        return ["## On hold now", "", "No claim is on hold.", ""]
    rows = [
        "## On hold now, by rule (the most money first)",
        "",
        "| rule | what it means | what fixes it | claims | amount |",
        "|---|---|---|---:|---:|",
    ]
    rows += [
        f"| `{h.rule_id}` | {_cell(h.meaning)} | {_cell(h.fix)} | {h.claims:,} | {dollars(h.cents)} |"
        for h in summary.holds
    ]
    return [*rows, "", "Each held claim's own message: `groupbill scrub --format json`.", ""]


def _queues_table(summary: RunSummary) -> list[str]:
    if summary.queues is None:
        return []
    rows = ["## Work queues", ""]
    if not summary.queues:
        rows += ["No open work items."]
    else:
        rows += ["| queue | open items | open it with |", "|---|---:|---|"]
        rows += [f"| {q} | {n:,} | `{QUEUE_COMMAND.format(queue=q)}` |" for q, n in summary.queues.items()]
    return [*rows, "", "Claims near or past their filing limit: `groupbill claims timely`.", ""]


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")
