"""The frontmatter `tags` hold something Obsidian does not take as a tag.

Obsidian reads `tags` as a list of tag names written without `#`. A tag with a space, a `#`
prefix, punctuation (anything but letters of any script, digits, `_`, `-`, `/` and emoji) or
only digits is shown as invalid in the Properties view and left out of the tag pane and
searches. A single string holding several tags (`tags: project, draft`) is an old form that
Obsidian reads differently across versions; write a list. Values are judged as Obsidian reads
them (YAML 1.2): `- no` is the tag `no`, not the boolean false. An empty `tags:` is fine.

Fixable (safe) for a one-line string of several valid tags: it becomes a YAML list.

Passes:

    ---
    tags: [project, area/work, 2024-review]
    ---

Fails:

    ---
    tags:
      - "#project"
      - area work
      - 2024
    ---
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from vault_tools.findings import Edit, Fix, Severity, Violation
from vault_tools.frontmatter_text import yaml_text
from vault_tools.model import Frontmatter
from vault_tools.rules.base import NoteContext, Options
from vault_tools.syntax.tags import REJECTED, STRING_SEPARATORS, is_tag_name

if TYPE_CHECKING:
    import yaml

CODE = "FM004"
NAME = "malformed-tags"
SEVERITY = Severity.WARNING
FIXABLE = "safe"

COMMENTED_TAG = re.compile(r"#[^\s#]")
NULL_TAG = "tag:yaml.org,2002:null"


def tag_problem(name: str) -> str | None:
    """What is wrong with one tag name as written, or None."""
    if name.startswith("#"):
        return f"tag {name!r} starts with '#'; write frontmatter tags without it"
    if name and not is_tag_name(name):  # "" names no tag, but it is not only digits
        return f"tag {name!r} is only digits; Obsidian needs at least one other character"
    bad = REJECTED.search(name)
    if bad is None:
        return None
    what = "a space" if bad.group().isspace() else repr(bad.group())
    return f"tag {name!r} contains {what}, which Obsidian does not allow in tags"


def _plausible(matter: Frontmatter, key: str) -> bool:
    """True when the JSON-safe value already shows valid tags (saves re-reading the YAML)."""
    value = matter.data[key]
    items = value if isinstance(value, list) else [value]
    if re.search(r"\s" + COMMENTED_TAG.pattern, matter.raw):
        return False  # maybe `tags: #project`, which YAML reads as a comment
    return all(item is None or (isinstance(item, str) and tag_problem(item) is None)
               for item in items)


def _tags_node(matter: Frontmatter, tags_key: str) -> yaml.Node | None:
    # Imported here, as in every rule: a warm run that lints nothing need not import PyYAML.
    import yaml

    from vault_tools.frontmatter_loader import SAFE_LOADER

    try:
        root = yaml.compose(yaml_text(matter.raw).text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    found = [value for key, value in root.value
             if isinstance(key, yaml.ScalarNode) and key.value == tags_key]
    return found[0] if found else None  # one: a repeated key leaves no properties (FM003)


class _Where:
    """File positions of YAML marks (the frontmatter text starts on the line after `---`)."""

    def __init__(self, ctx: NoteContext, matter: Frontmatter) -> None:
        self.ctx = ctx
        self.first_line = matter.start + 1
        self.text = yaml_text(matter.raw)

    def value(self, node: yaml.ScalarNode) -> str:
        """The scalar as written (YAML read it with stand-ins for U+2028 and the like)."""
        return self.text.restore(node.value)

    def at(self, node: yaml.Node, message: str, fix: Fix | None = None) -> Violation:
        mark = node.start_mark
        return Violation(self.first_line + mark.line, mark.column + 1, message, fix)

    def offset(self, index: int) -> int:
        return self.ctx.offset(self.first_line, 1) + index

    def hidden_tags(self, node: yaml.Node) -> Iterator[Violation]:
        """`tags: #a #b` or `- a #b`: YAML takes `#b` for a comment, so the tag is lost."""
        line = self.first_line + node.end_mark.line
        rest = self.ctx.lines[line - 1][node.end_mark.column:]
        comment = rest.lstrip(" \t")
        if rest == comment or not COMMENTED_TAG.match(comment):
            return  # no comment, or `# a note`: a comment as meant
        yield Violation(line, node.end_mark.column + len(rest) - len(comment) + 1,
                        f"YAML reads {comment.split()[0]!r} as a comment, so no tag is set "
                        "here; write tags without '#'")


def _stays_string(part: str) -> bool:
    """A plain `no` or `1e3` in the new list would read as a boolean or number (see FM006)."""
    import yaml

    from vault_tools.frontmatter_loader import SAFE_LOADER

    try:
        return isinstance(yaml.load(part, Loader=SAFE_LOADER), str)
    except yaml.YAMLError:
        return False


def _split_fix(where: _Where, node: yaml.ScalarNode, parts: list[str]) -> Fix | None:
    if node.start_mark.line != node.end_mark.line:
        return None
    if any(map(tag_problem, parts)) or not all(map(_stays_string, parts)):
        return None
    edit = Edit(where.offset(node.start_mark.index), where.offset(node.end_mark.index),
                "[" + ", ".join(parts) + "]")
    return Fix((edit,))


def _check_string(where: _Where, node: yaml.ScalarNode) -> Iterator[Violation]:
    text = where.value(node).strip()
    parts = [part for part in STRING_SEPARATORS.split(text) if part]
    if len(parts) > 1:
        yield where.at(node, "`tags` is one string holding several tags; write a YAML list",
                       _split_fix(where, node, parts))
    elif parts and (problem := tag_problem(parts[0])):
        yield where.at(node, problem)


def _check_item(where: _Where, node: yaml.Node) -> Iterator[Violation]:
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        yield where.at(node, "a `tags` item must be one tag name, not a nested list or mapping")
    else:
        problem = tag_problem(where.value(node).strip()) if node.tag != NULL_TAG else None
        if problem:
            yield where.at(node, problem)
        yield from where.hidden_tags(node)


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    matter = ctx.note.frontmatter
    key = matter.key_named("tags") if matter is not None else None  # `Tags:` too
    if matter is None or key is None or _plausible(matter, key):
        return
    node = _tags_node(matter, key)
    if node is None:
        return
    import yaml

    where = _Where(ctx, matter)
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _check_item(where, item)
        if node.flow_style:
            yield from where.hidden_tags(node)
    elif isinstance(node, yaml.MappingNode):
        yield where.at(node, "`tags` must be a list of tag names, not a mapping")
    elif isinstance(node, yaml.ScalarNode):
        if node.tag != NULL_TAG:
            yield from _check_string(where, node)
        yield from where.hidden_tags(node)
