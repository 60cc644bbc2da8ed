"""Import of a practice bundle: read and check it whole, then write it in one transaction."""

from tasks.importing.load import load_bundle
from tasks.importing.references import roster_warnings
from tasks.importing.write import ImportReport, import_bundle

__all__ = ["ImportReport", "import_bundle", "load_bundle", "roster_warnings"]
