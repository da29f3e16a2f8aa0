"""An unquoted frontmatter value that YAML tools read differently from what it says.

Obsidian reads frontmatter as YAML 1.2; many other tools (PyYAML, so Python scripts and
vault-tools' own export, static site generators) read YAML 1.1. Some plain values change
meaning between the two, or do not mean what they look like in either:

- `yes`, `no`, `on`, `off`, `y`, `n` (as `Yes`, `YES`...) are booleans in YAML 1.1 but text in
  Obsidian: `draft: no` is the text "no" in Obsidian and false elsewhere.
- `12:30` is the number 750 in YAML 1.1 (base 60) but text in Obsidian.
- `[[Note]]` is a list inside a list in every YAML, not a link: Obsidian only links a quoted
  `"[[Note]]"`.

Quote the value (`"no"`, `"12:30"`, `"[[Note]]"`), or write `true`/`false` for a boolean.
Keys and values inside block scalars (`|`, `>`) are not values, and are not checked.

Passes:

    ---
    draft: false
    related: "[[Roles]]"
    ---

Fails:

    ---
    draft: no
    related: [[Roles]]
    ---
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from vault_tools.findings import Severity, Violation
from vault_tools.frontmatter_text import yaml_text
from vault_tools.rules.base import NoteContext, Options

if TYPE_CHECKING:
    import yaml

CODE = "FM006"
NAME = "ambiguous-value"
SEVERITY = Severity.WARNING

# The YAML 1.1 spellings (yaml.org/type/bool.html) that YAML 1.2 leaves as text.
BOOLEAN_1_1 = re.compile(r"y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF")
# Base 60 (yaml.org/type/int.html, float.html): `1:30` is 90; `09:30` (a leading 0) is text.
SEXAGESIMAL_1_1 = re.compile(r"[-+]?(?:[1-9][0-9_]*(?::[0-5]?[0-9])+"
                             r"|[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*)")

# What the raw text must hold for the scanner to find anything. A plain scalar has no escapes
# and a value matching the patterns has no space, so it stands verbatim on one line, between
# characters that are not word characters (indicators, spaces, line ends); base 60 needs a
# digit or `_` before a `:` and a digit after it; a link value needs `[[` itself.
_MAYBE_BOOLEAN = re.compile(rf"\b(?:{BOOLEAN_1_1.pattern})\b")
_MAYBE_SEXAGESIMAL = re.compile(r"[0-9_]:[0-9]")


def _may_fire(raw: str) -> bool:
    """False when no value of the frontmatter can be ambiguous: the scan is then skipped."""
    return ("[[" in raw or _MAYBE_SEXAGESIMAL.search(raw) is not None
            or _MAYBE_BOOLEAN.search(raw) is not None)


def _value_starts() -> tuple[type[yaml.Token], ...]:
    """The tokens after which a scalar is a value (a mapping's, or a list item)."""
    import yaml

    return (yaml.ValueToken, yaml.BlockEntryToken, yaml.FlowEntryToken,
            yaml.FlowSequenceStartToken)


def _iter_tokens(raw: str) -> Iterator[yaml.Token]:
    # Imported here, as in every rule: a warm run that lints nothing need not import PyYAML.
    import yaml

    from vault_tools.frontmatter_loader import SAFE_LOADER

    try:
        yield from yaml.scan(raw, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return  # FM001 reports broken YAML; the tokens before the error were checked


def _scalar_problem(token: yaml.ScalarToken) -> str | None:
    if not token.plain:
        return None
    if BOOLEAN_1_1.fullmatch(token.value):
        return (f"unquoted {token.value!r} is a boolean in YAML 1.1 but text in Obsidian; "
                "quote it or write true/false")
    if SEXAGESIMAL_1_1.fullmatch(token.value):
        return (f"unquoted {token.value!r} is a base-60 number in YAML 1.1 but text in "
                "Obsidian; quote it")
    return None


def _is_link(tokens: list[yaml.Token], at: int) -> bool:
    """`[[...]]` as a value: an unquoted wikilink, which YAML reads as a list in a list."""
    import yaml

    outer, inner = tokens[at], tokens[at + 1]
    if not (isinstance(outer, yaml.FlowSequenceStartToken)
            and isinstance(inner, yaml.FlowSequenceStartToken)
            and inner.start_mark.index == outer.start_mark.index + 1
            and isinstance(tokens[at - 1], _value_starts())
            and isinstance(tokens[at + 2], yaml.ScalarToken)):
        return False
    depth = 0
    for index in range(at + 1, len(tokens) - 1):
        if isinstance(tokens[index], yaml.FlowSequenceStartToken):
            depth += 1
        elif isinstance(tokens[index], yaml.FlowSequenceEndToken):
            depth -= 1
            if depth == 0:  # the inner list ends: a link only if `]]` closes both at once
                after = tokens[index + 1]
                return (isinstance(after, yaml.FlowSequenceEndToken)
                        and after.start_mark.index == tokens[index].start_mark.index + 1)
    return False


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    matter = ctx.note.frontmatter
    if matter is None or not matter.valid:
        return  # broken frontmatter has its own finding (FM001, FM002, FM008)
    if not _may_fire(matter.raw):
        return
    import yaml

    first_line = matter.start + 1
    tokens = list(_iter_tokens(yaml_text(matter.raw).text))  # as the loader reads it
    value_starts = _value_starts()
    for at in range(1, len(tokens) - 2):  # a stream starts and ends with tokens of its own
        token = tokens[at]
        problem: str | None
        if isinstance(token, yaml.ScalarToken) and isinstance(tokens[at - 1], value_starts):
            problem = _scalar_problem(token)
        elif _is_link(tokens, at):
            problem = ("unquoted [[link]] is a list inside a list in YAML, not a link; "
                       "quote it (\"[[...]]\")")
        else:
            continue
        if problem:
            mark = token.start_mark
            yield Violation(first_line + mark.line, mark.column + 1, problem)
