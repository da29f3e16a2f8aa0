"""What the vault index knows of one note (`NoteFacts`), and its JSON-safe form for the cache.

Facts are made and carried far from the index: from the parser's notes (`facts_of`) in lint
workers and in vaultfiles.read_facts, as records written to and read back from the lint cache
(vaultstage). None of that resolves a link, so the type and its records sit below the index,
which only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vault_tools.model import Link, Note

FactsRecord = list[Any]


@dataclass(frozen=True, slots=True)
class NoteFacts:
    """What the index needs of one note; `path` is relative to the vault root. `links` holds
    wikilinks, embeds and Markdown links (not URLs), in source order."""

    path: str
    headings: tuple[tuple[int, str], ...] = ()  # (level, text) in document order
    block_ids: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()

    def __reduce__(self) -> tuple[type[NoteFacts], tuple[str, tuple[tuple[int, str], ...],
                                                         tuple[str, ...], tuple[Link, ...]]]:
        return NoteFacts, (self.path, self.headings, self.block_ids, self.links)  # as Link's

    def at(self, path: str) -> NoteFacts:
        """The same facts under another path (`dataclasses.replace` took five times as long,
        twice per note of a cold lint)."""
        return NoteFacts(path, self.headings, self.block_ids, self.links)


def facts_of(note: Note, path: str | None = None) -> NoteFacts:
    """A parsed note's facts; URLs are left out (they lead to no file of the vault)."""
    return NoteFacts(path if path is not None else note.path,
                     tuple((section.level, section.heading or "")
                           for section in note.iter_sections()),
                     tuple(block.id for block in note.block_ids),
                     tuple(link for link in note.links if link.kind != "url"))


def facts_to_record(facts: NoteFacts, parts_only: bool = False) -> FactsRecord:
    """JSON-safe form (the lint cache keeps it); the path is the cache entry's key. With
    `parts_only`, only the links that name a heading or block are kept."""
    return [[list(h) for h in facts.headings], list(facts.block_ids),
            [[k.kind, k.target, k.heading, k.block, k.alias, k.line, k.col] for k in facts.links
             if not parts_only or k.heading or k.block]]


def facts_from_record(path: str, record: FactsRecord, parts_only: bool = False) -> NoteFacts:
    """Rebuild facts (with `parts_only`, only the links that name a heading or block); a
    record of the wrong shape raises TypeError/ValueError."""
    headings, blocks, links = record
    return NoteFacts(path, tuple((int(level), str(text)) for level, text in headings),
                     tuple(str(block) for block in blocks),
                     tuple(_link(*fields) for fields in links
                           if not parts_only or fields[2] or fields[3]))


def _link(kind: str, target: str, heading: str | None, block: str | None, alias: str | None,
          line: int, col: int) -> Link:
    if not all(isinstance(v, str) for v in (kind, target)) or not (
            isinstance(line, int) and isinstance(col, int)):
        raise TypeError("link record of the wrong shape")
    return Link(kind, target, heading, block, alias, line, col)
