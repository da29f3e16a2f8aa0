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

from vault_tools.findings import Edit, Fix, Severity, Violation
from vault_tools.frontmatter_text import yaml_text
from vault_tools.rules.base import NoteContext, Options

CODE = "WS001"
NAME = "trailing-whitespace"
SEVERITY = Severity.WARNING
FIXABLE = "safe"


def _may_hold_block_scalar(raw: str) -> bool:
    """Composing the YAML costs more than the rest of the rule, and a block scalar cannot
    start without its `|` or `>` indicator, which few frontmatters hold."""
    return "|" in raw or ">" in raw


def _block_scalar_lines(ctx: NoteContext, first: int, last: int) -> Iterator[int]:
    matter = ctx.note.frontmatter
    if matter is None or not _may_hold_block_scalar(matter.raw):
        return
    # Imported here, as in every rule: a warm run that lints nothing need not import PyYAML.
    import yaml

    from vault_tools.frontmatter_loader import SAFE_LOADER

    try:
        stack = [yaml.compose(yaml_text(matter.raw).text, Loader=SAFE_LOADER)]
    except yaml.YAMLError:
        return
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            # Marks count lines from 0 on the line after `---`; a block scalar ends at
            # column 0 of the line after its last.
            start = matter.start + 1 + node.start_mark.line
            end = matter.start + node.end_mark.line + (node.end_mark.column > 0)
            yield from range(max(start, first), min(end, last) + 1)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(value for _, value in node.value)


def kept_lines(ctx: NoteContext, first: int, last: int) -> frozenset[int]:
    """Lines from `first` to `last` whose trailing whitespace is content, not to be removed
    by the fix. Only that window is worked out: most notes end a line or two in whitespace."""
    kept = {line for start, end in ctx.note.verbatim if start <= last and end >= first
            for line in range(max(start, first), min(end, last) + 1)}
    for inline in ctx.note.inline_texts:
        if inline.line > last or "  \n" not in inline.text:
            continue  # a hard break is two spaces and a newline
        parts = inline.text.split("\n")
        kept.update(inline.line + index for index, part in enumerate(parts[:-1])
                    if part.endswith("  ") and first <= inline.line + index <= last)
    kept.update(_block_scalar_lines(ctx, first, last))
    return frozenset(kept)


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    lines = ctx.lines
    trailing = [number for number, line in enumerate(lines, start=1)
                if line and line[-1] in " \t"]
    if not trailing:
        return
    kept = kept_lines(ctx, trailing[0], trailing[-1])
    # Most notes end a line or two in whitespace: their starts alone are worked out.
    for number, line_start in zip(trailing, ctx.starts_of(trailing), strict=True):
        line = lines[number - 1]
        width = len(line.rstrip(" \t"))
        start = line_start + width
        fix = None if number in kept else Fix((Edit(start, line_start + len(line), ""),))
        yield Violation(number, width + 1, "trailing whitespace", fix, number, len(line) + 1)
