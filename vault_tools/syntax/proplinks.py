"""Links in properties: `up: "[[Parent]]"`, or an item of a list property.

Obsidian's help (Properties, "Links"): Text and List properties can hold internal links,
written `[[Link]]` in quotes. Such a link counts as the note's link: in backlinks and the graph,
and as unresolved when it leads nowhere. The value must be the link alone: properties hold no
Markdown, so text around a link, a Markdown link or an embed stays text. Unquoted, YAML reads
`[[Parent]]` as a list in a list, which names no note either. Only top-level values are
properties; a nested mapping is shown as source, not as links.
"""

from __future__ import annotations

from vault_tools.model import Frontmatter, JSONValue, Link
from vault_tools.syntax.links import WIKILINK, split_wikilink


def property_links(matter: Frontmatter, lines: list[str]) -> list[Link]:
    """The links of the frontmatter's properties, in the order their values stand in the
    file; `lines` are the note's lines (line N is lines[N - 1])."""
    places = {key.name: key for key in matter.keys}  # no key repeats: the loader refuses (FM003)
    found: list[Link] = []
    for name, value in matter.data.items():
        key = places.get(name)
        if key is None:
            continue  # a key YAML made of a non-scalar (`? [a]`): no property of Obsidian's
        items = value if isinstance(value, list) else [value]
        line, col = key.value_line, key.value_col
        for item in items:
            text = _alone(item)
            if text is None:
                continue
            line, col = _where(text, lines, line, col, matter.end)
            link = _link(text, name, line, col)
            if link is not None:
                found.append(link)
            col += len(text)
    return found  # in file order: keys come in order, each link found after the one before


def _alone(value: JSONValue) -> str | None:
    """The value's text when it is one wikilink alone (after trimming), else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text if WIKILINK.fullmatch(text) else None


def _where(text: str, lines: list[str], line: int, col: int, end: int) -> tuple[int, int]:
    """Line and column of `text` as written at or after (line, col), before the closing
    `---` on line `end`; (line, col) itself when YAML escapes changed how it is written."""
    for number in range(line, end):
        found = lines[number - 1].find(text, col - 1 if number == line else 0)
        if found >= 0:
            return number, found + 1
    return line, col


def _link(text: str, name: str, line: int, col: int) -> Link | None:
    target, heading, block, alias = split_wikilink(text[2:-2])
    if not (target or heading or block):
        return None  # `[[|x]]` names nothing, in a property as in the body
    return Link("wikilink", target, heading, block, alias, line, col, name)

