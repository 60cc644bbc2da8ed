"""The `groupbill` command line, one room of its own: `app.py` assembles the subcommands (one module
each) and holds the entry point; `common.py` is what they share; `views.py` draws their tables. The
modules import `common` and `views`, never each other or `app`, so there is no cycle."""

from flows.cli.app import app, main

__all__ = ["app", "main"]
