"""The X12 5010 codec: 837P and 270 out; 271, 999, 277CA and 835 in (and out, for the sandbox).

Pure code: no Prefect, no network. Written by hand because no maintained Python library writes
5010 837P (pyx12 validates and is our referee in tests; LinuxForHealth x12 is read-only, pydantic v1).
"""
