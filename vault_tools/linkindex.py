"""The vault index, and links resolved the way Obsidian resolves them.

The index knows every file of the vault (notes and attachments) and, for each note, its headings,
block ids and links (`NoteFacts`, in notefacts). Resolution follows Obsidian's rules (names and
headings are compared as linknames folds and strips them):

- `[[Note]]` and `[[Note.md]]` are the same; names and paths match case-insensitively (and
  Unicode-normalised, so a macOS NFD file name matches an NFC link); spaces around are trimmed.
- A target is looked for relative to the linking note's folder first (`[[Note]]` in the same
  folder, `[[../Other/Note]]`, `[x](sub/Note%20name.md)`; as in a URL, `..` stops at the vault
  root), then from the vault root (`[[Folder/Note]]`, `[x](/Folder/Note.md)`), then by name
  anywhere in the vault: a bare name matches every note of that name, `[[folder/Note]]` those
  whose path ends with it. Of several, the one with the fewest folders wins; when several are
  equally near the link is ambiguous (LK004) and the first by path is taken.
- Embeds and links with an extension (`![[diagram.png]]`, `[[report.pdf]]`) reach any file.
- `[[Note#Heading]]` needs that heading, compared as Obsidian does: punctuation such as `:`, `?`,
  `&`, `#`, `|`, `^`, `/`, `*` and brackets counts as a space, runs of spaces as one, case is
  ignored. Chained `[[Note#H1#H2]]` needs H2 below H1 (deeper, after it). `[[Note#^id]]` needs
  that block id. `[[#Heading]]` and `[x](#Heading)` point into the linking note itself.
- URLs (`https:`, `mailto:`, `obsidian:` ... any scheme) are never resolved, and never fetched.

The index reads no file itself: the facts of notes it was not given come from its `load`
function (vaultfiles.read_facts: the parser's) when first needed.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from vault_tools.discover import NOTE_SUFFIX
from vault_tools.linknames import fold, strip_heading
from vault_tools.model import Link
from vault_tools.notefacts import NoteFacts

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where one link leads. `path` is None when the target is missing (or not internal)."""

    path: str | None = None
    internal: bool = True
    candidates: tuple[str, ...] = ()  # the equally near files when a name picks none (LK004)
    heading_missing: bool = False
    block_missing: bool = False


EXTERNAL = Resolution(internal=False)


def is_internal(link: Link) -> bool:
    """Wikilinks always are; a Markdown link or embed is unless it names a URL scheme."""
    if link.kind == "url":
        return False
    if not (link.target or link.heading or link.block):
        return False  # `[text]()`: nothing to follow
    if link.kind == "wikilink":
        return True
    return not (_SCHEME.match(link.target) or link.target.startswith("//"))


def _forms(path: str) -> tuple[str, str]:
    """The file names a link path may mean, most likely first: `Note` is `Note.md`, while
    `diagram.png` (or `Note.md`) is itself; `v1.2` may be either."""
    name = path.rsplit("/", 1)[-1]
    note = path + NOTE_SUFFIX
    return (path, note) if "." in name else (note, path)


class VaultIndex:
    """Every file of one vault, the facts of its notes, and link resolution over them.

    Facts not given are read with `load` when first needed, so that checking the links of one
    note reads the few notes it links to headings of, not the whole vault.
    """

    def __init__(self, files: Iterable[str], notes: Iterable[NoteFacts],
                 load: Callable[[str], NoteFacts] | None = None) -> None:
        self.notes: dict[str, NoteFacts] = {facts.path: facts for facts in notes}
        self.files: tuple[str, ...] = tuple(sorted({*files, *self.notes}))
        self._load = load
        self._by_path = {fold(path): path for path in self.files}
        self._by_name: dict[str, list[tuple[str, str]]] = {}  # folded name -> (folded, path)
        for folded, path in self._by_path.items():
            self._by_name.setdefault(folded.rsplit("/", 1)[-1], []).append((folded, path))
        self._headings: dict[str, list[tuple[int, str]]] = {}
        self._memo: dict[tuple[str, str, str, str | None, str | None], Resolution] = {}
        self._folders: dict[str, str] = {}  # note path -> its folder
        self._wanted: dict[str, str] = {}  # link target -> folded
        self._anywhere: dict[str, bool] = {}  # link target -> means one file from any folder
        self._found: dict[tuple[str, str], tuple[str | None, tuple[str, ...]]] = {}
        self._backlinks: dict[str, set[str]] | None = None
        self._walked: tuple[tuple[NoteFacts, ...], list[tuple[NoteFacts, Link, Resolution]]] \
            | None = None

    def iter_resolved(self, notes: Sequence[NoteFacts]
                      ) -> Iterator[tuple[NoteFacts, Link, Resolution]]:
        """Every link of `notes` with where it leads (what each LK rule walks through). The
        vault stage hands every rule the same tuple: its walk is kept for the next rule."""
        if isinstance(notes, tuple) and self._walked is not None and self._walked[0] is notes:
            return iter(self._walked[1])
        walk = [(facts, link, self.resolve(facts.path, link))
                for facts in notes for link in facts.links]
        if isinstance(notes, tuple):
            self._walked = (notes, walk)
        return iter(walk)

    def iter_resolved_parts(self, notes: Sequence[NoteFacts]
                            ) -> Iterator[tuple[NoteFacts, Link, Resolution]]:
        """`iter_resolved`, but only the links naming a heading or block (`[[N#H]]`,
        `[[N#^id]]`): the rules about those need no other (one link in 200 of the benchmark
        vault's names one)."""
        return ((facts, link, self.resolve(facts.path, link))
                for facts in notes for link in facts.links if link.heading or link.block)

    def resolve(self, source: str, link: Link) -> Resolution:
        """Where `link`, written in the note at vault path `source`, leads."""
        folder = self._folders.get(source)
        if folder is None:
            folder = self._folders[source] = posixpath.dirname(source)
        # A link's target is looked for from the note's folder, so notes of one folder share
        # answers; a name only one file has means that file from every folder, so those
        # answers are shared by the whole vault (the benchmark vault's 51,191 links: 31,353
        # lookups by folder, 12,927 so); `[[#Heading]]` means the note itself.
        target = link.target
        if not target:
            place = source
        else:
            anywhere = self._anywhere.get(target)
            if anywhere is None:
                anywhere = self._anywhere[target] = \
                    self._only_file_named(self._folded(target)) is not None
            place = "" if anywhere else folder  # the root's notes get the same answers
        key = (place, link.kind, target, link.heading, link.block)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._resolve(source, folder, link)
        return found

    def _resolve(self, source: str, folder: str, link: Link) -> Resolution:
        if not is_internal(link):
            return EXTERNAL
        path, candidates = self._find_from(folder, link.target) if link.target \
            else (source, ())
        if path is None:
            return Resolution()
        facts = self.facts(path) if link.heading or link.block else None
        # Headings and blocks are checked in notes only: `![[doc.pdf#page=3]]` is not a heading.
        heading_missing = bool(facts and link.heading and not self.has_heading(path, link.heading))
        block_missing = bool(facts and link.block
                             and fold(link.block) not in {fold(b) for b in facts.block_ids})
        return Resolution(path, True, candidates, heading_missing, block_missing)

    def facts(self, path: str) -> NoteFacts | None:
        """The facts of the note at `path` (read now if not known yet); None if not a note."""
        facts = self.notes.get(path)
        if facts is None and self._load is not None and path.endswith(NOTE_SUFFIX) \
                and fold(path) in self._by_path:
            facts = self.notes[path] = self._load(path)
        return facts

    def all_notes(self) -> list[NoteFacts]:
        """Every note's facts, reading those not known yet."""
        paths = [path for path in self.files if path.endswith(NOTE_SUFFIX)]
        return [facts for facts in map(self.facts, paths) if facts is not None]

    def find(self, target: str, source: str) -> tuple[str | None, tuple[str, ...]]:
        """The file `target` names from the note `source`, and the tie when it is ambiguous."""
        return self._find_from(posixpath.dirname(source), target)

    def _find_from(self, folder: str, target: str) -> tuple[str | None, tuple[str, ...]]:
        key = (folder, target)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._find(self._folded(target), folder)
        return found

    def _folded(self, target: str) -> str:
        wanted = self._wanted.get(target)
        if wanted is None:  # the same names are linked from many folders
            wanted = self._wanted[target] = fold(target.strip())
        return wanted

    def _only_file_named(self, wanted: str) -> str | None:
        """For a bare `[[Name]]` (most links), folded: the vault's only file that name can
        mean, which every step of `_find` would find, from any folder; else None."""
        if "/" in wanted or "." in wanted:
            return None
        named = self._by_name.get(wanted + NOTE_SUFFIX)
        if named is None or len(named) != 1 or wanted in self._by_name:
            return None
        return named[0][1]

    def _find(self, wanted: str, folder: str) -> tuple[str | None, tuple[str, ...]]:
        """`wanted` folded, `folder` as written (folded here only when a step needs it)."""
        only = self._only_file_named(wanted)
        if only is not None:
            return only, ()
        folder = fold(folder)
        if not wanted.startswith("/"):
            relative = f"{folder}/{wanted}" if folder else wanted
            if "." in relative:  # `./` and `../` (normpath is slow, and most links need none)
                # As in a URL, `..` stops at the vault root: `../../images/x.png` from a note
                # one folder down is `images/x.png` (documentation vaults written for a site).
                relative = posixpath.normpath("/" + relative).lstrip("/")
            hit = self._file(relative)
            if hit is not None:
                return hit, ()
        wanted = wanted.lstrip("/")
        hit = self._file(wanted)
        if hit is not None:
            return hit, ()
        return self._named(wanted)

    def _file(self, folded: str) -> str | None:
        for form in _forms(folded):
            path = self._by_path.get(form)
            if path is not None:
                return path
        return None

    def _named(self, wanted: str) -> tuple[str | None, tuple[str, ...]]:
        for form in _forms(wanted):
            entries = self._by_name.get(form.rsplit("/", 1)[-1])
            if not entries:
                continue
            if "/" in form:  # `[[folder/Note]]`: the path must end with it
                entries = [(f, p) for f, p in entries if f == form or f.endswith("/" + form)]
            if entries:
                return _nearest([path for _, path in entries])
        return None, ()

    def has_heading(self, path: str, chain: str) -> bool:
        """Obsidian's rule: each part of `H1#H2` matches a later, deeper heading than the last."""
        parts = [strip_heading(part) for part in chain.split("#") if part]
        if not parts:
            return True
        level, index = 0, 0
        for depth, text in self._stripped_headings(path):
            if depth > level and text == parts[index]:
                level, index = depth, index + 1
                if index == len(parts):
                    return True
        return False

    def _stripped_headings(self, path: str) -> list[tuple[int, str]]:
        found = self._headings.get(path)
        if found is None:
            facts = self.facts(path)
            headings = facts.headings if facts else ()
            found = self._headings[path] = [(level, strip_heading(t)) for level, t in headings]
        return found

    def backlinks(self) -> Mapping[str, set[str]]:
        """File path -> the other notes that link to or embed it (computed once)."""
        if self._backlinks is None:
            found: dict[str, set[str]] = {}
            for facts in self.all_notes():
                for link in facts.links:
                    target = self.resolve(facts.path, link).path
                    if target is not None and target != facts.path:
                        found.setdefault(target, set()).add(facts.path)
            self._backlinks = found
        return self._backlinks

    def resolved_paths(self, source: str, links: Sequence[Link]) -> tuple[str | None, ...]:
        return tuple(self.resolve(source, link).path for link in links)


def _nearest(paths: list[str]) -> tuple[str, tuple[str, ...]]:
    """Fewest folders wins; a tie is ambiguous and the first by path is taken."""
    if len(paths) == 1:
        return paths[0], ()
    depth = min(path.count("/") for path in paths)
    tied = sorted(path for path in paths if path.count("/") == depth)
    return tied[0], (tuple(tied) if len(tied) > 1 else ())
