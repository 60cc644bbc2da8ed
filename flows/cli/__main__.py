"""`python -m flows.cli ...`: the same as the `groupbill` command."""

from flows.cli.app import main

main()
