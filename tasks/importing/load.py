"""Read a bundle file and check it completely: every problem is one line naming file and path.

Bad input stays bounded: a file over the size limit is refused before it is read, records are checked
one at a time (pydantic would otherwise hold every error of a big, bad export, input and all), and
only the first MAX_PROBLEMS problems are printed, then how many more there are.
"""

import json
from datetime import tzinfo
from functools import cache
from pathlib import Path
from typing import Any, get_args

from pydantic import TypeAdapter, ValidationError

from models.bundle import Bundle
from models.errors import BundleError
from tasks.importing.problems import loc_path, message, problem_lines
from tasks.importing.references import reference_problems
from tasks.importing.schema import validation_context

MAX_PROBLEMS = 50
DEFAULT_MAX_MB = 100  # a practice's export is a few MB; `groupbill import --max-mb` raises the limit
RECORD_LISTS = ("payers", "providers", "patients", "authorizations", "programs", "sessions", "other_services")


def load_bundle(path: Path, zone: tzinfo | None = None, *, max_mb: float = DEFAULT_MAX_MB) -> Bundle:
    """Parse and check `path`; raise BundleError listing its problems, one line each (the first
    MAX_PROBLEMS, then how many more). Timestamps without a UTC offset are read in `zone` (default:
    the practice's time zone)."""
    data = _read_json(path, max_mb)
    context = validation_context()
    context = {**context, "zone": zone or context["zone"]}
    _check_records(data, context, str(path))
    try:
        bundle = Bundle.model_validate(data, context=context)
    except ValidationError as exc:
        raise BundleError(capped(problem_lines(exc, str(path)), exc.error_count(), str(path))) from None
    problems = [f"{path}: {where}: {what}" for where, what in reference_problems(bundle)]
    if problems:
        raise BundleError(capped(problems, len(problems), str(path)))
    return bundle


def capped(lines: list[str], total: int, prefix: str) -> list[str]:
    """The first MAX_PROBLEMS lines, and one more saying how many were left out."""
    shown = lines[:MAX_PROBLEMS]
    if total > len(shown):
        shown.append(f"{prefix}: and {total - len(shown):,} more problems (the first {len(shown)} are above)")
    return shown


def _check_records(data: Any, context: dict[str, Any], prefix: str) -> None:
    """Each record of the bundle's lists on its own, keeping the first problems and counting the rest."""
    if not isinstance(data, dict):
        return  # the whole-bundle check says what is wrong with the top level
    lines: list[str] = []
    total = 0
    for name in RECORD_LISTS:
        records = data.get(name)
        for index, record in enumerate(records if isinstance(records, list) else []):
            try:
                _record_adapter(name).validate_python(record, context=context)
            except ValidationError as exc:
                total += exc.error_count()
                room = MAX_PROBLEMS - len(lines)
                errors = exc.errors(include_url=False)[:room] if room > 0 else []
                lines += [f"{prefix}: {loc_path((name, index, *e['loc']))}: {message(e)}" for e in errors]
    if total:
        raise BundleError(capped(lines, total, prefix))


@cache
def _record_adapter(name: str) -> TypeAdapter[Any]:
    """The validator of one record of the bundle's list `name`."""
    annotation = Bundle.model_fields[name].annotation
    return TypeAdapter(get_args(annotation)[0])


def _read_json(path: Path, max_mb: float) -> Any:
    try:
        size = path.stat().st_size
        if size > max_mb * 1_000_000:
            raise BundleError(
                f"{path}: {size / 1_000_000:,.1f} MB, over the {max_mb:g} MB limit for a bundle "
                "(is it the right file? `groupbill import --max-mb N` raises the limit)"
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BundleError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise BundleError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise BundleError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BundleError(f"{path}: line {exc.lineno} column {exc.colno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise BundleError(
            f"{path}: nested too deeply to be a bundle (JSON arrays or objects within each other)"
        ) from None
