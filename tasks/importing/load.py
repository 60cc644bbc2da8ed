"""Read a bundle file and check it completely: every problem is one line naming file and path."""

import json
from datetime import tzinfo
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models.bundle import Bundle
from models.errors import BundleError
from tasks.importing.problems import problem_lines
from tasks.importing.references import reference_problems
from tasks.importing.schema import validation_context


def load_bundle(path: Path, zone: tzinfo | None = None) -> Bundle:
    """Parse and check `path`; raise BundleError listing every problem, one line each.

    Timestamps without a UTC offset are read in `zone` (default: the practice's time zone)."""
    data = _read_json(path)
    try:
        context = validation_context()
        bundle = Bundle.model_validate(data, context={**context, "zone": zone or context["zone"]})
    except ValidationError as exc:
        raise BundleError(problem_lines(exc, str(path))) from None
    problems = reference_problems(bundle)
    if problems:
        raise BundleError([f"{path}: {where}: {what}" for where, what in problems])
    return bundle


def _read_json(path: Path) -> Any:
    try:
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
