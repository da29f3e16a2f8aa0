"""The note model: frozen values that every later stage reads and none changes.

This module imports nothing from the package, so that parsing, rules and exporters can all depend
on it without cycles. Positions are 1-based lines and columns of the original file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, Field, dataclass, fields
from types import MemberDescriptorType
from typing import Any, ParamSpec, TypeVar

JSONValue = Any  # what json.loads can return; Any because the YAML is the user's


# The code of an internal error: a rule, a fix or the parser crashed on a note (a bug to report).
# Not a registered rule, never suppressed; here because a parser crash is a note's Problem.
INTERNAL_ERROR = "VT000"


@dataclass(frozen=True, slots=True)
class Problem:
    """A read or parse problem of one note (exported as the note's `errors`)."""

    code: str
    message: str
    line: int
    col: int = 1


@dataclass(frozen=True, slots=True)
class Highlight:
    text: str
    line: int
    col: int
    section: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    kind: str  # wikilink | embed | markdown | url
    target: str
    heading: str | None
    block: str | None
    alias: str | None
    line: int
    col: int
    property: str | None = None  # the frontmatter property holding it (`up: "[[Parent]]"`)

    def __reduce__(self) -> tuple[type[Link], tuple[str, str, str | None, str | None,
                                                    str | None, int, int, str | None]]:
        # Lint workers send every note's links to the vault stage: pickled as arguments, not
        # as slot state, they dump twice as fast and load a quarter faster.
        return Link, (self.kind, self.target, self.heading, self.block, self.alias, self.line,
                      self.col, self.property)


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Comment:
    """An Obsidian `%% ... %%` comment; `closed` is False when it runs to the end of the file."""

    text: str
    line: int
    col: int
    end_line: int
    closed: bool


@dataclass(frozen=True, slots=True)
class Callout:
    type: str
    title: str
    fold: str | None
    line: int


@dataclass(frozen=True, slots=True)
class BlockId:
    id: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class InlineText:
    """A paragraph's, heading's or table row's text as scanned, for rules: `cols` are the file
    columns where its lines start; `masked` hides code, math, HTML, escapes and links."""

    text: str
    line: int
    cols: tuple[int, ...]
    masked: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Item:
    """A list item; `marker` is `-`, `*`, `+`, or `.`/`)` for ordered lists."""

    text: str
    line: int
    col: int
    task: str | None
    marker: str
    children: tuple[Item, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and what it holds; the preamble is a Section with level 0 and no heading."""

    heading: str | None
    level: int
    line: int
    col: int
    path: tuple[str, ...]
    end_line: int
    bullets: tuple[Item, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    highlights: tuple[Highlight, ...] = ()
    sections: tuple[Section, ...] = ()
    has_content: bool = False  # any block (code, table, quote...) besides sub-headings


@dataclass(frozen=True, slots=True)
class FrontmatterKey:
    """Where a top-level frontmatter key and its value stand, for findings at the right place."""

    name: str
    line: int
    col: int
    value_line: int
    value_col: int


@dataclass(frozen=True, slots=True)
class Frontmatter:
    """The `---` block on line 1. `data` is JSON-safe; `start`/`end` are the delimiter lines."""

    data: dict[str, JSONValue]
    start: int
    end: int
    raw: str
    keys: tuple[FrontmatterKey, ...] = ()
    duplicates: tuple[FrontmatterKey, ...] = ()
    valid: bool = True

    def key_named(self, name: str) -> str | None:
        """The key Obsidian reads as the property `name` (lower case): the first whose name
        matches it ignoring case, as `Tags:` and `TAGS:` are its `tags`."""
        return next((key for key in self.data if key.lower() == name), None)

    def value_of(self, name: str) -> JSONValue:
        """The value of the property `name` (see key_named); None when there is none."""
        key = self.key_named(name)
        return None if key is None else self.data[key]


@dataclass(frozen=True, slots=True)
class Note:
    path: str
    title: str
    frontmatter: Frontmatter | None
    tags: tuple[str, ...]
    aliases: tuple[str, ...]
    preamble: Section
    sections: tuple[Section, ...]
    highlights: tuple[Highlight, ...]
    links: tuple[Link, ...]
    inline_tags: tuple[Tag, ...] = ()
    callouts: tuple[Callout, ...] = ()
    block_ids: tuple[BlockId, ...] = ()
    comments: tuple[Comment, ...] = ()
    errors: tuple[Problem, ...] = ()
    # Layout for rules (not exported): every scanned inline text, and the (first, last) lines
    # of verbatim blocks (fenced/indented code, math, HTML) where no Markdown applies.
    inline_texts: tuple[InlineText, ...] = ()
    verbatim: tuple[tuple[int, int], ...] = ()

    @property
    def frontmatter_data(self) -> dict[str, JSONValue]:
        return self.frontmatter.data if self.frontmatter else {}

    def iter_sections(self) -> list[Section]:
        """Every section of the heading tree in document order (preamble excluded)."""
        out: list[Section] = []
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            out.append(section)
            stack.extend(reversed(section.sections))
        return out


# A frozen dataclass's `__init__` sets every field through object.__setattr__; the parser builds
# some 430,000 of these values per 6,500 notes. Setting the slots through their descriptors (as
# findings.restore_finding does) makes the same frozen value in three fifths of the time.
_P = ParamSpec("_P")
_T = TypeVar("_T")


def fast_constructor(cls: Callable[_P, _T]) -> Callable[_P, _T]:
    """A function that takes what `cls(...)` takes and returns the same value, built faster.

    Generated from the dataclass's fields, as dataclasses generates `__init__` itself: the
    fields stay declared once, and a loop over the setters would cost more than it saves."""
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls}: __post_init__ would not run")
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    params: list[str] = []
    lines: list[str] = []
    for index, each in enumerate(fields(cls)):  # type: ignore[arg-type]
        namespace[f"_set_{index}"] = _slot_setter(cls, each)
        if each.default is MISSING:
            params.append(each.name)
        else:
            namespace[f"_default_{index}"] = each.default
            params.append(f"{each.name}=_default_{index}")
        lines.append(f"    _set_{index}(_self, {each.name})\n")
    name = f"new_{getattr(cls, '__name__', 'value')}"
    source = (f"def {name}({', '.join(params)}):\n    _self = _new(_cls)\n"
              + "".join(lines) + "    return _self\n")
    exec(source, namespace)
    built: Callable[_P, _T] = namespace[name]
    built.__module__ = __name__
    return built


def _slot_setter(cls: object, each: Field[Any]) -> Any:
    """What sets the field's slot. Refused: a field that is no slot, one the generated `__init__`
    does more for (init=False, a default factory), or one named `_...` as the generated code's
    own names are."""
    slot = getattr(cls, each.name, None)
    if (each.name.startswith("_") or not each.init or each.default_factory is not MISSING
            or not isinstance(slot, MemberDescriptorType)):
        raise TypeError(f"{cls}: field {each.name!r} has no fast constructor")
    return slot.__set__


# The values the parser builds most often (per note: 26 inline texts, 10 items, 9 paragraphs,
# 8 links, 6 sections on the benchmark vault).
new_inline_text = fast_constructor(InlineText)
new_item = fast_constructor(Item)
new_paragraph = fast_constructor(Paragraph)
new_link = fast_constructor(Link)
new_section = fast_constructor(Section)
