"""The X12 5010 codec: 837P, 270 and 278 out; 271, 999, 277CA, 835 and 278 in (and out, for the sandbox).

Pure code: no Prefect, no network. Written by hand because no maintained Python library writes
5010 837P (pyx12 validates and is our referee in tests; LinuxForHealth x12 is read-only, pydantic v1).
Readers fit each transaction set to its implementation guide's loop table (guides/, loops.py) and
read files holding several interchanges, groups and sets (interchanges.py).
"""
