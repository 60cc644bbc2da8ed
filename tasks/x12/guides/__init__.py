"""Loop tables of the 5010 implementation guides groupbill reads, one module per guide.

Each table is data transcribed from the guide's loop and segment tables: for every loop, the
segment that opens it (with the qualifier that tells it apart), every segment the guide allows in
it (situational ones too) and the loops nested in it. Qualifiers are listed only where they decide
which loop a segment belongs to; see tasks/x12/loops.py for how a file is fitted to a table.
"""
