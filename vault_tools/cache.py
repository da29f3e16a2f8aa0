"""Per-note lint results cached under `.vault-tools-cache/` at the vault root.

An entry is trusted only when the note's content hash, the tool version and the fingerprint of
everything that decides findings (active rules, their severities and options, per-file ignores,
schema files) all match, like ruff's cache. A note's content hash is known without reading it
again while its file keeps the stamp (size, times, inode) it had when it was hashed, and the
change that stamp records is older than STAMP_MARGIN_NS (git's rule for "racily clean"
files). Entries are spread over a few shard files so that one changed note rewrites one small
file. The files are plain JSON (never pickle: a cache folder is not trusted input); a shard
that does not parse, or that another tool or version wrote, is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vault_tools import __version__
from vault_tools.findings import Edit, Finding, Fix, Severity, restore_finding
from vault_tools.notes import read_bytes
from vault_tools.safe_write import write_bytes

CACHE_DIR = ".vault-tools-cache"
FORMAT = "vault-tools-cache/7"  # 3: link facts apart; 4: file stamps; 5: crc32; 6: no names;
# 7: links in frontmatter properties
SHARDS = 16
_GITIGNORE = "# Written by vault-tools; safe to delete (`vault-tools clean`).\n*\n"

Record = list[Any]
# What each code stands for in this run: its rule's name and configured severity. Records leave
# both out: they are the plan's (part of the cache's key), and decoding them for every cached
# finding was a third of the time a warm run spent decoding JSON.
RuleNames = Mapping[str, tuple[str, Severity]]


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# How old a file's last change must be before its stamp is trusted: a change in the same
# clock tick as the stamp could leave it as it was (git's "racily clean" files); FAT file
# systems count in 2-second steps.
STAMP_MARGIN_NS = 3_000_000_000

Stamp = list[int]  # [size, mtime_ns, ctime_ns, inode]


def stamp_of(path: str) -> Stamp | None:
    """What changes whenever the file's content does: size, modification and change times
    (ctime is set by the kernel on every write; no tool can set it back) and inode. None when
    the file cannot be stat'ed or changed too recently to tell (see STAMP_MARGIN_NS)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if st.st_ctime_ns > time.time_ns() - STAMP_MARGIN_NS:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _shard_of(rel: str) -> int:
    # Any stable spread will do, and it runs for every note of a warm run: CRC-32 takes a third
    # of the time of the BLAKE2b digest it replaced (0.18 against 0.56 us).
    return zlib.crc32(rel.encode("utf-8", "surrogateescape")) % SHARDS


def finding_to_record(finding: Finding) -> Record:
    fix = None
    if finding.fix is not None:
        fix = [finding.fix.safe, [[e.start, e.end, e.text] for e in finding.fix.edits]]
    return [finding.line, finding.col, finding.code, finding.message, finding.context,
            finding.end_line, finding.end_col, fix]


def finding_from_record(path: str, record: Record, rules: RuleNames) -> Finding:
    """Rebuild a finding; a record of the wrong shape, or of a code `rules` does not know,
    raises TypeError/ValueError/KeyError."""
    line, col, code, message, context, end_line, end_col, fix = record
    name, severity = rules[code]
    fixed = None
    if fix is not None:
        fixed = Fix(tuple([Edit(int(a), int(b), str(t)) for a, b, t in fix[1]]), bool(fix[0]))
    if not (isinstance(line, int) and isinstance(col, int) and isinstance(message, str)
            and isinstance(context, str) and (end_line is None or isinstance(end_line, int))
            and (end_col is None or isinstance(end_col, int))):
        raise TypeError("cache record of the wrong shape")
    return restore_finding(path, line, col, code, message, name, severity, fixed, context,
                           end_line, end_col)


@dataclass
class _Shard:
    entries: dict[str, list[Any]] = field(default_factory=dict)  # rel -> [hash, value]
    dirty: bool = False


class _Store:
    """One kind of entry, spread over SHARDS files named `<fingerprint>-NN<suffix>`."""

    def __init__(self, folder: Path, fingerprint: str, suffix: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self.suffix = suffix
        self.shards: dict[int, _Shard] = {}

    def _path(self, shard: int) -> Path:
        return self.folder / f"{self.fingerprint[:16]}-{shard:02d}{self.suffix}"

    def _shard(self, index: int) -> _Shard:
        shard = self.shards.get(index)
        if shard is None:
            shard = self.shards[index] = _Shard(self._read(index))
        return shard

    def _read(self, index: int) -> dict[str, list[Any]]:
        try:
            data = json.loads(self._path(index).read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT \
                or data.get("fingerprint") != self.fingerprint \
                or not isinstance(data.get("entries"), dict):
            return {}  # foreign, older or damaged: start this shard afresh
        return data["entries"]  # type: ignore[no-any-return]

    def entry(self, rel: str) -> list[Any] | None:
        """[content hash, value, ...] as stored; None when there is none of that shape."""
        entry = self._shard(_shard_of(rel)).entries.get(rel)
        if not isinstance(entry, list) or len(entry) < 2:
            return None
        return entry

    def value(self, rel: str, digest: str) -> Any:
        """The value kept for the note with content hash `digest`; None when there is none."""
        entry = self.entry(rel)
        return entry[1] if entry is not None and entry[0] == digest else None

    def put(self, rel: str, entry: list[Any]) -> None:
        shard = self._shard(_shard_of(rel))
        if shard.entries.get(rel) != entry:
            shard.entries[rel] = entry
            shard.dirty = True

    def save(self) -> None:
        for index, shard in self.shards.items():
            if shard.dirty:
                document = {"format": FORMAT, "fingerprint": self.fingerprint,
                            "entries": shard.entries}
                # ASCII JSON: a note name that is not UTF-8 (a lone surrogate) round-trips.
                write_bytes(self._path(index),
                            json.dumps(document, separators=(",", ":")).encode("utf-8"))
                shard.dirty = False


class LintCache:
    """The cache of one vault root for one fingerprint: each note's findings, and apart from
    them its link facts, which only a vault stage that cannot be reused whole reads."""

    def __init__(self, root: Path, fingerprint: str, rules: RuleNames) -> None:
        self.folder = root / CACHE_DIR / __version__
        self.fingerprint = fingerprint
        self.rules = rules
        self.findings = _Store(self.folder, fingerprint, ".json")
        self.extras = _Store(self.folder, fingerprint, ".facts.json")

    def hit(self, rel: str, file: str, shown: str) -> tuple[list[Finding], str] | None:
        """(the note's findings, shown at `shown`, and its content hash) if the entry holds
        for the file as it is now; None for a miss. The file is read and hashed only when its
        stamp is not the one kept (changed, touched, or too recent to tell)."""
        entry = self.findings.entry(rel)
        if entry is None or not isinstance(entry[0], str):
            return None  # no entry (the worker reads the note anyway), or a damaged one
        stamp = stamp_of(file)
        digest = entry[0]
        if stamp is None or len(entry) != 3 or entry[2] != stamp:
            try:
                digest = content_hash(read_bytes(file))
            except OSError:
                return None
            if digest != entry[0]:
                return None
            if stamp is not None:
                self.findings.put(rel, [digest, entry[1], stamp])  # touched, not changed
        records = entry[1]
        try:
            rules = self.rules
            return [finding_from_record(shown, record, rules) for record in records], digest
        except (TypeError, ValueError, KeyError):
            return None  # a damaged entry is a miss, never a crash

    def extra(self, rel: str, digest: str) -> Any:
        """What `put` kept as `extra` for these bytes, JSON-decoded and unchecked (its reader
        checks it); None when there is none."""
        return self.extras.value(rel, digest)

    def put(self, rel: str, digest: str, records: list[Record], extra: Any = None,
            stamp: Stamp | None = None) -> None:
        """The note's findings as `finding_to_record` records; `extra`: any JSON value to keep
        apart (None when there is nothing); `stamp`: the file's, from before it was read."""
        self.findings.put(rel, [digest, records, stamp])
        if extra is not None:
            self.extras.put(rel, [digest, extra])

    def save(self) -> None:
        """Write the shards that changed (atomically); a read-only vault just goes uncached."""
        stores = (self.findings, self.extras)
        if not any(shard.dirty for store in stores for shard in store.shards.values()):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_bytes(self.folder.parent / ".gitignore", _GITIGNORE.encode())
            for store in stores:
                store.save()
        except OSError:
            return


def fingerprint(parts: Iterable[object], files: Iterable[Path] = ()) -> str:
    """Hash of the settings that decide findings, and of the files they name (schemas)."""
    digest = hashlib.sha256(__version__.encode())
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogateescape"))
    for path in sorted(set(files)):
        digest.update(str(path).encode("utf-8", "surrogateescape"))
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()


def clean(root: Path) -> bool:
    """Remove the cache folder under `root`; True when there was one."""
    folder = root / CACHE_DIR
    if not folder.is_dir():
        return False
    shutil.rmtree(folder)
    return True
