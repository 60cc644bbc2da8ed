"""Loop tables of the implementation guides, and the walker that fits a transaction set into one.

A table says, loop by loop, which segment opens the loop (with the qualifier that tells it from
its neighbours: NM1*82, HL level 22), which segments it may hold, and which loops nest in it.
Readers then pick what they use from the tree and skip the rest; a segment that no open loop may
hold, and that opens no loop, is refused with its position, ID and the loop it was found in.

Order inside a loop is not enforced (other systems' files are read as they come); qualifiers route
a segment to the loop that may hold it (a REF*G1 after NM1*82 belongs to the claim, not to the
rendering provider), and an unlisted qualifier falls back to the innermost loop holding that ID.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from models.errors import X12ParseError
from tasks.x12.envelope import Segment, TransactionSet
from tasks.x12.seg import Seg
from tasks.x12.segments import Delimiters


@dataclass(frozen=True, slots=True)
class Match:
    """A segment ID, optionally with the codes one of its elements must hold."""

    tag: str
    element: int = 1
    codes: frozenset[str] | None = None

    def fits(self, segment: Segment) -> bool:
        """True when `segment` is this ID (and holds one of the codes)."""
        if self.codes is None:
            return True
        return self.element < len(segment) and segment[self.element] in self.codes

    def __str__(self) -> str:
        return self.tag if self.codes is None else f"{self.tag}*{'/'.join(sorted(self.codes))}"


def match(token: str) -> Match:
    """'NM1' any NM1; 'NM1=82/DN' NM101 in {82, DN}; 'HL.03=22' HL03 = 22."""
    head, _, codes = token.partition("=")
    tag, _, index = head.partition(".")
    return Match(tag, int(index or 1), frozenset(codes.split("/")) if codes else None)


@dataclass(frozen=True, slots=True)
class LoopSpec:
    """One loop of a guide: its name, what it is, its opening segment, what it holds, its loops."""

    name: str
    title: str
    opening: Match | None
    holds: tuple[Match, ...] = ()
    loops: tuple["LoopSpec", ...] = ()
    _held: dict[str, tuple[Match, ...]] = field(default_factory=dict, compare=False, repr=False)
    _opens: dict[str, tuple["LoopSpec", ...]] = field(default_factory=dict, compare=False, repr=False)
    always: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def __post_init__(self) -> None:
        for m in self.holds:
            self._held[m.tag] = (*self._held.get(m.tag, ()), m)
        for child in self.loops:
            if child.opening is not None:
                self._opens[child.opening.tag] = (*self._opens.get(child.opening.tag, ()), child)
        # IDs this loop holds with any qualifier: such a segment always stays in it (see `_place`).
        unqualified = frozenset(m.tag for m in self.holds if m.codes is None)
        object.__setattr__(self, "always", unqualified)

    def held(self, segment: Segment) -> bool:
        """True when this loop may hold `segment` (its qualifier listed, where the guide lists them)."""
        rules = self._held.get(segment[0])
        return rules is not None and any(m.fits(segment) for m in rules)

    def holds_id(self, tag: str) -> bool:
        """True when this loop may hold some segment with this ID."""
        return tag in self._held

    def opened_by(self, segment: Segment) -> "LoopSpec | None":
        """The child loop `segment` opens, if any."""
        for child in self._opens.get(segment[0], ()):
            if child.opening is not None and child.opening.fits(segment):
                return child
        return None

    def describe(self) -> str:
        """'loop 2100C (subscriber name)' or 'the transaction set header'."""
        return f"loop {self.name} ({self.title})" if self.opening else f"the {self.title}"


def loop(name: str, title: str, opening: str, holds: str = "", loops: tuple[LoopSpec, ...] = ()) -> LoopSpec:
    """A loop from the guide's table: `holds` lists segment tokens (see `match`) separated by spaces."""
    return LoopSpec(name, title, match(opening), tuple(match(t) for t in holds.split()), loops)


def header(title: str, first: str, holds: str, loops: tuple[LoopSpec, ...]) -> LoopSpec:
    """A transaction set's table: the segments after ST (the first of them required) and its loops."""
    return LoopSpec("ST", title, None, tuple(match(t) for t in f"{first} {holds}".split()), loops)


class Loop:
    """One loop as found in a file: its segments (the opening one first) and the loops inside it."""

    __slots__ = ("spec", "segs", "children")
    spec: LoopSpec
    segs: list[Seg]
    children: list["Loop"]

    def __init__(self, spec: LoopSpec, segs: list[Seg]) -> None:
        self.spec, self.segs, self.children = spec, segs, []

    @property
    def name(self) -> str:
        """The guide's loop name ('2100C')."""
        return self.spec.name

    @property
    def opening(self) -> Seg:
        """The segment that opened this loop."""
        return self.segs[0]

    def each(self, tag: str, *codes: str) -> Iterator[Seg]:
        """This loop's segments with this ID (and first element in `codes`, when given)."""
        for seg in self.segs:
            if seg.elements[0] == tag and (not codes or seg[1] in codes):
                yield seg

    def first(self, tag: str, *codes: str) -> Seg | None:
        """The first of `each(tag, *codes)`, or None."""
        for seg in self.segs:
            if seg.elements[0] == tag and (not codes or seg[1] in codes):
                return seg
        return None

    def need(self, tag: str, *codes: str) -> Seg:
        """The first of `each(tag, *codes)`, which must be there."""
        seg = self.first(tag, *codes)
        if seg is None:
            wanted = tag + (f"*{'/'.join(codes)}" if codes else "")
            raise self.segs[0].error(f"{self.spec.describe()} has no {wanted}")
        return seg

    def loops(self, name: str) -> list["Loop"]:
        """The loops named `name` directly inside this one, in file order."""
        return [child for child in self.children if child.spec.name == name]

    def loop(self, name: str) -> "Loop | None":
        """The first loop named `name` inside this one, or None."""
        return next((child for child in self.children if child.spec.name == name), None)

    def need_loop(self, name: str) -> "Loop":
        """The first loop named `name` inside this one, which must be there."""
        found = self.loop(name)
        if found is None:
            raise self.segs[0].error(f"{self.spec.describe()} has no loop {name}")
        return found


Walked = tuple[int, "LoopSpec", bool, Segment, int]


def walk(tset: TransactionSet, table: LoopSpec) -> Iterator[Walked]:
    """Each segment of a set and where the guide puts it: (depth, its loop, does it open that loop,
    its elements, its position in the file). A segment the guide puts nowhere here raises."""
    segments = tset.segments
    first = table.holds[0]
    if not segments or segments[0][0] != first.tag:
        seen = segments[0][0] if segments else "end of transaction set"
        raise X12ParseError(f"expected {first.tag}, found {seen}", segment=tset.first_segment + 1)
    router = _router(table)
    decisions, keyed = router.decisions, router.keyed
    specs, states = [table], [router.root_state]
    top, always, deepest = table, table.always, 0
    for number, elements in enumerate(segments, start=tset.first_segment + 1):
        tag = elements[0]
        if tag in always:  # the open loop holds this ID whatever its qualifier: most segments
            yield deepest, top, False, elements, number
            continue
        at = keyed.get(tag)
        key = (states[-1], tag, elements[at] if at is not None and at < len(elements) else "")
        depth, child, child_state = decisions.get(key) or router.decide(key, specs, states, elements, number)
        if depth + 1 < len(specs):
            del specs[depth + 1 :], states[depth + 1 :]
        if child is None:
            yield depth, specs[depth], False, elements, number
        else:
            specs.append(child)
            states.append(child_state)
            yield depth + 1, child, True, elements, number
        top, deepest = specs[-1], len(specs) - 1
        always = top.always


def fit(tset: TransactionSet, table: LoopSpec, delimiters: Delimiters) -> Loop:
    """The transaction set as a tree of the guide's loops (see `walk`)."""
    root = Loop(table, [Seg(["ST", tset.set_id, tset.control_number], tset.first_segment, delimiters)])
    stack = [root]
    for depth, spec, opens, elements, number in walk(tset, table):
        seg = Seg(elements, number, delimiters)
        if opens:
            del stack[depth:]
            opened = Loop(spec, [seg])
            stack[-1].children.append(opened)
            stack.append(opened)
        else:
            if depth + 1 < len(stack):
                del stack[depth + 1 :]
            stack[depth].segs.append(seg)
    return root


class _Router:
    """Remembers where each kind of segment goes from each stack of open loops: a file repeats the
    same few shapes thousands of times, so the table is searched once per shape, not per segment."""

    def __init__(self, table: LoopSpec) -> None:
        self.keyed: dict[str, int] = {}
        _collect_keys(table, self.keyed)
        self.states: dict[tuple[int, int], int] = {}
        self.root_state = self.state(-1, table)
        self.decisions: dict[tuple[int, str, str], tuple[int, LoopSpec | None, int]] = {}

    def state(self, parent: int, spec: LoopSpec) -> int:
        """A small number for the stack of open loops `parent` + `spec`."""
        return self.states.setdefault((parent, id(spec)), len(self.states))

    def decide(
        self, key: tuple[int, str, str], specs: list[LoopSpec], states: list[int], segment: Segment, number: int
    ) -> tuple[int, LoopSpec | None, int]:
        """Where `segment` goes (`_place`) and the state of the stack if it opens a loop, remembered
        under `key`: the stack, the ID and its qualifier."""
        depth, child = _place(specs, segment, number)
        found = (depth, child, self.state(states[depth], child) if child is not None else -1)
        if len(self.decisions) < 50_000:
            self.decisions[key] = found
        return found


_ROUTERS: dict[int, _Router] = {}


def _router(table: LoopSpec) -> _Router:
    """One router per table (tables are module constants), so its memory serves every file."""
    router = _ROUTERS.get(id(table))
    if router is None:
        router = _ROUTERS[id(table)] = _Router(table)
    return router


def _collect_keys(spec: LoopSpec, keyed: dict[str, int]) -> None:
    """For each segment ID, the element any rule of the table looks at (element 1; HL03 for HL)."""
    for m in (*spec.holds, *([spec.opening] if spec.opening else [])):
        if m.codes is not None:
            if keyed.setdefault(m.tag, m.element) != m.element:
                raise ValueError(f"{m.tag}: a table may qualify a segment ID by one element only")
    for child in spec.loops:
        _collect_keys(child, keyed)


def _place(specs: list[LoopSpec], segment: Segment, number: int) -> tuple[int, LoopSpec | None]:
    """The depth of the open loop that takes `segment`, and the loop it opens there (None: held)."""
    for depth in range(len(specs) - 1, -1, -1):
        spec = specs[depth]
        if spec.held(segment):
            return depth, None
        child = spec.opened_by(segment)
        if child is not None:
            return depth, child
    for depth in range(len(specs) - 1, -1, -1):
        if specs[depth].holds_id(segment[0]):
            return depth, None
    raise X12ParseError(f"unexpected {shown(segment)} in {specs[-1].describe()}", segment=number)


_QUALIFIED = frozenset({"NM1", "N1", "REF", "DTP", "DTM", "AMT", "QTY", "PER", "CAS", "LQ", "TRN", "EB", "EQ"})


def shown(segment: Segment) -> str:
    """A segment's ID, with the code that says what it is where that code is never patient data
    (NM1*82, REF*G1, HL level 22); other elements stay out of messages."""
    tag = segment[0]
    at = 3 if tag == "HL" else 1
    code = segment[at] if at < len(segment) else ""
    if not (tag in _QUALIFIED or tag == "HL") or not (code and len(code) <= 3 and code.isalnum()):
        return tag
    return f"HL level {code}" if tag == "HL" else f"{tag}*{code}"
