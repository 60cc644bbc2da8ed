"""`groupbill clearinghouse check`: is each practice's clearinghouse connection usable right now?"""

import typer

from flows.cli.common import engine

clearinghouse_app = typer.Typer(help="The clearinghouse connections practices bill through.", no_args_is_help=True)


@clearinghouse_app.command("check")
def check(
    practice: str | None = typer.Option(
        None, help="A practice (bundle ID or record ID); default: every connection in use."
    ),
) -> None:
    """Connect with the connection(s) and print one line per check (host key, login, folders, or the API);
    exit 1 if any fails."""
    from sqlmodel import Session, or_, select

    from models.errors import InputError
    from models.practice import Practice
    from models.types import db_id
    from tasks.clearinghouse.checks import check_connection
    from tasks.runtime import clearinghouse

    routed = clearinghouse(paced=False)
    names = routed.in_use()
    if practice is not None:
        with Session(engine()) as session:
            criteria = [Practice.source_id == practice]
            if practice.isdigit():
                criteria.append(Practice.id == int(practice))
            found = session.exec(select(Practice).where(or_(*criteria))).first()
        if found is None:
            raise InputError(f"--practice: no practice {practice[:40]!r} (bundle ID or record ID)")
        names = [routed.name_of(db_id(found.id))]
    failed = False
    for name in names:
        for line in check_connection(name, routed.open(name)):
            typer.echo(line.line())
            failed = failed or not line.passed
    if failed:
        raise typer.Exit(1)
