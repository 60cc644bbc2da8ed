"""Hypothesis strategies that damage good inputs: text-level (truncate, garble, bad bytes) and
structure-level (delete, retype, duplicate, dangle a reference) at a random place in the tree."""

import copy
import json
from typing import Any

import yaml
from hypothesis import strategies as st

ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", " ", "NOPE-404", "2026-13-45", "99:99", "-1", "1e309", "\u0000", "x" * 300]),
    st.just([]),
    st.just({}),
)


@st.composite
def damaged_text(draw: st.DrawFn, text: str) -> bytes:
    """The text's bytes, cut short, with junk (possibly not UTF-8) written over a stretch, or empty."""
    data = text.encode()
    kind = draw(st.sampled_from(["truncate", "garble", "bad_bytes", "empty"]))
    if kind == "empty" or not data:
        return b""
    at = draw(st.integers(0, len(data) - 1))
    if kind == "truncate":
        return data[:at]
    junk = draw(st.binary(min_size=1, max_size=6)) if kind == "bad_bytes" else draw(st.text(max_size=6)).encode()
    return data[:at] + junk + data[at + len(junk) :]


@st.composite
def damaged_tree(draw: st.DrawFn, tree: Any) -> Any:
    """A deep copy of a JSON-like tree with one node deleted, retyped, duplicated or pointed nowhere."""
    tree = copy.deepcopy(tree)
    parent, key = _walk(draw, tree)
    if parent is None:
        return draw(ODD_VALUES)
    kind = draw(st.sampled_from(["delete", "retype", "duplicate", "dangle"]))
    if kind == "delete":
        del parent[key]
    elif kind == "duplicate" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(parent[key]))
    elif kind == "dangle" and isinstance(parent[key], str):
        parent[key] = parent[key] + "-GONE"
    else:
        parent[key] = draw(ODD_VALUES)
    return tree


def _walk(draw: st.DrawFn, tree: Any) -> tuple[Any, Any]:
    """A random (container, key) on a path down from the root; (None, None) for the root itself."""
    parent, key, node = None, None, tree
    while isinstance(node, dict | list) and node and (parent is None or draw(st.integers(0, 4)) > 0):
        key = draw(st.sampled_from(sorted(node))) if isinstance(node, dict) else draw(st.integers(0, len(node) - 1))
        parent, node = node, node[key]
    return parent, key


@st.composite
def damaged_json(draw: st.DrawFn, tree: Any) -> bytes:
    """A JSON document damaged in its text or in its structure."""
    if draw(st.integers(0, 3)) == 0:
        return draw(damaged_text(json.dumps(tree, indent=1)))
    return json.dumps(draw(damaged_tree(tree)), default=str).encode()


@st.composite
def damaged_yaml(draw: st.DrawFn, text: str) -> bytes:
    """A YAML document damaged in its text or in its structure."""
    if draw(st.integers(0, 3)) == 0:
        return draw(damaged_text(text))
    return yaml.safe_dump(draw(damaged_tree(yaml.safe_load(text))), sort_keys=False).encode()


X12_JUNK = st.sampled_from(["", "1E99", "NaN", "-", "9" * 40, "::", "ABC", "20261399", "20261124-20261101", "RD8"])


def _x12_layout(text: str) -> tuple[str, str, str]:
    """The element separator, segment terminator and what follows each terminator (line breaks)."""
    element, terminator = (text[3], text[105]) if len(text) > 105 else ("*", "~")
    after = text[106 : 106 + 2] if len(text) > 107 else ""
    return element, terminator, "".join(ch for ch in after if ch in "\r\n" and ch != terminator)


@st.composite
def damaged_x12(draw: st.DrawFn, text: str) -> bytes:
    """An X12 file with a segment dropped, repeated or swapped, an element emptied or replaced with
    junk, or its text damaged; segments are found with the file's own delimiters."""
    element, terminator, breaks = _x12_layout(text)
    segments = [s.strip("\r\n") for s in text.split(terminator) if s.strip()]
    kind = draw(st.sampled_from(["drop", "repeat", "swap", "empty_element", "junk_element", "text"]))
    if kind == "text" or not segments:
        return draw(damaged_text(text))
    i = draw(st.integers(0, len(segments) - 1))
    if kind == "drop":
        segments.pop(i)
    elif kind == "repeat":
        segments.insert(i, segments[i])
    elif kind == "swap":
        j = draw(st.integers(0, len(segments) - 1))
        segments[i], segments[j] = segments[j], segments[i]
    else:
        parts = segments[i].split(element)
        parts[draw(st.integers(0, len(parts) - 1))] = "" if kind == "empty_element" else draw(X12_JUNK)
        segments[i] = element.join(parts)
    if draw(st.integers(0, 4)):  # mostly keep SE01 true, so the damage reaches the readers
        _recount(segments, element)
    return ((terminator + breaks).join(segments) + terminator + breaks).encode()


def _recount(segments: list[str], element: str) -> None:
    """Set each SE01 to the number of segments from its ST."""
    start = None
    for i, segment in enumerate(segments):
        tag, _, rest = segment.partition(element)
        if tag == "ST":
            start = i
        elif tag == "SE" and start is not None:
            segments[i] = element.join(["SE", str(i - start + 1), *rest.split(element)[1:]])
            start = None
