"""Trailing whitespace at the end of a line.

Invisible in Obsidian, noisy in diffs. Two trailing spaces are a Markdown hard line break, but
Obsidian breaks lines without them, so they are flagged too.

Fixable (safe): the whitespace is removed, except where it is content, which is left to you:
a hard line break (two spaces inside a paragraph: other Markdown tools and Obsidian's "strict
line breaks" need them), code, math and HTML blocks, and YAML block scalars (`key: |`).

Passes:

    A line that ends cleanly.

Fails:

    A line that ends with spaces.␠␠
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from vault_tools.findings import Edit, Fix, Severity, Violation
from vault_tools.rules.base import NoteContext, Options

CODE = "WS001"
NAME = "trailing-whitespace"
SEVERITY = Severity.WARNING
FIXABLE = "safe"

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _block_scalar_lines(ctx: NoteContext) -> Iterator[int]:
    matter = ctx.note.frontmatter
    if matter is None:
        return
    try:
        stack = [yaml.compose(matter.raw, Loader=_Loader)]
    except yaml.YAMLError:
        return
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            # Marks count lines from 0 on the line after `---`; a block scalar ends at
            # column 0 of the line after its last.
            first = matter.start + 1 + node.start_mark.line
            last = matter.start + node.end_mark.line + (node.end_mark.column > 0)
            yield from range(first, last + 1)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(value for _, value in node.value)


def kept_lines(ctx: NoteContext) -> frozenset[int]:
    """Lines whose trailing whitespace is content, not to be removed by the fix."""
    kept = {line for first, last in ctx.note.verbatim for line in range(first, last + 1)}
    for inline in ctx.note.inline_texts:
        parts = inline.text.split("\n")
        kept.update(inline.line + index for index, part in enumerate(parts[:-1])
                    if part.endswith("  "))
    kept.update(_block_scalar_lines(ctx))
    return frozenset(kept)


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    kept: frozenset[int] | None = None  # found only for notes that have trailing whitespace
    for number, line in enumerate(ctx.lines, start=1):
        if not line or line[-1] not in " \t":
            continue
        if kept is None:
            kept = kept_lines(ctx)
        width = len(line.rstrip(" \t"))
        start = ctx.offset(number, width + 1)
        fix = None if number in kept else Fix((Edit(start, start + len(line) - width, ""),))
        yield Violation(number, width + 1, "trailing whitespace", fix, number, len(line) + 1)
