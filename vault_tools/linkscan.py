"""The whole vault for the link index: every file, and a fast scan of every note.

Checking the links of a few notes (pre-commit) or exporting backlinks needs every note of the
vault: its name, headings, block ids and links. The parser costs about 1.5 ms a note; this line
scan reads the same facts for a small fraction of that, with the parser's own link finders on
each line. It skips what the parser does not treat as content: frontmatter, fenced and indented
code, `$$` math, HTML blocks and `%% comments %%`. tests/test_links.py checks that both agree on
the corpora.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from vault_tools.discover import ALWAYS_SKIPPED, find_vault_root
from vault_tools.frontmatter_yaml import find_block
from vault_tools.linkindex import NOTE_SUFFIX, NoteFacts, VaultIndex
from vault_tools.model import Link
from vault_tools.notes import read_source
from vault_tools.parallel import ordered_map
from vault_tools.syntax import blockids, comments, links, spans

# A line starting with none of these (or empty) can only be paragraph text (see blocks.py).
_SPECIAL_START = frozenset([*" \t><-*+_=`~$|:[#0123456789", ""])
# After `- `, these may make the line something else than an item with text: a thematic break
# (`- - -`), an empty item or a setext underline, more indentation (code in the item).
_ITEM_UNSURE = frozenset([*" \t-*_", ""])
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_MATH = re.compile(r"[ \t]*\$\$")
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_UNDERLINE = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
# CommonMark HTML blocks: kinds 1-5 run to their end marker, kinds 6-7 to a blank line.
_HTML_RAW = re.compile(r" {0,3}<(script|pre|style|textarea|!--|\?|![A-Za-z]|!\[CDATA\[)",
                       re.IGNORECASE)
_HTML_END = {"script": "</script>", "pre": "</pre>", "style": "</style>",
             "textarea": "</textarea>", "!--": "-->", "?": "?>", "![cdata[": "]]>"}
_HTML_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|"
    "dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|"
    "header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|"
    "param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul")
_HTML_BLOCK = re.compile(rf" {{0,3}}</?(?:{_HTML_BLOCK_TAGS})(?:[ \t>]|/>|$)", re.IGNORECASE)
_HTML_TAG_LINE = re.compile(
    r" {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:[ \t][^<>]*)?/?>|</[A-Za-z][A-Za-z0-9-]*[ \t]*>)[ \t]*$")


@dataclass
class _Scan:
    """State of one note's scan: the block being skipped, the open paragraph, the list."""

    closer: str | None = None  # what ends the block being skipped ("" = a blank line)
    fence: str = ""
    fence_quoted: bool = False
    paragraph: list[str] = field(default_factory=list)
    item_paragraph: bool = False  # the open paragraph is a list item's
    after_blank: bool = True
    list_indents: list[int] = field(default_factory=list)  # text columns of the open items
    empty_item: bool = False  # the last line was a list marker with no text
    headings: list[tuple[int, str]] = field(default_factory=list)
    block_ids: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


def scan_text(text: str, path: str) -> NoteFacts:
    """The headings, block ids and links of a note's text, without parsing it."""
    lines = text.split("\n")
    end = find_block(lines)
    start = 0 if end is None else end + 1
    if "%%" in text:
        lines = comments.extract([""] * start + lines[start:])[0]
    scan = _Scan()
    for index in range(start, len(lines)):
        _line(scan, lines, index)
    return NoteFacts(path, tuple(scan.headings), tuple(scan.block_ids), tuple(scan.links))


def _line(scan: _Scan, lines: list[str], index: int) -> None:
    line = lines[index]
    if scan.closer is None:  # the common lines, each decided by a lookup or two
        first = line[:1]
        if first not in _SPECIAL_START:
            _plain(scan, lines, index)
            return
        if not first:
            _blank(scan)
            return
        if first in "-*+" and line[1:2] == " " and line[2:3] not in _ITEM_UNSURE:
            scan.empty_item = False
            _list_item(scan, line, line, 2)
            _inline(scan, lines, index)
            scan.after_blank = False
            return
    quote = _QUOTE.match(line)
    if scan.closer is not None and _skipped(scan, line, quote is not None):
        return
    if not line.strip():
        _blank(scan)
        return
    scan.empty_item = False
    body = line[quote.end():] if quote else line
    inside_item = False
    if scan.list_indents:
        body, inside_item = _in_list(scan, line, body, quote is not None)
    if _opens_block(scan, body, quote is not None):
        _close_paragraph(scan)
    else:
        _content(scan, lines, index, body, quote is not None, inside_item)
    scan.after_blank = False


def _blank(scan: _Scan) -> None:
    if scan.empty_item:  # an item may start with one blank line, not two: it is empty
        scan.list_indents.pop()
        scan.empty_item = False
    _close_paragraph(scan)
    scan.after_blank = True


def _plain(scan: _Scan, lines: list[str], index: int) -> None:
    """A line that only a paragraph can hold: it opens one, or continues the open one."""
    scan.empty_item = False
    if scan.list_indents and (scan.after_blank or not scan.paragraph):
        scan.list_indents = []  # at the margin, and no lazy continuation: the list ended
    scan.paragraph.append(lines[index].strip())
    _inline(scan, lines, index)
    scan.after_blank = False


def _skipped(scan: _Scan, line: str, quoted: bool) -> bool:
    """True when `line` belongs to the code, math or HTML block being skipped."""
    if scan.closer == "":  # indented code and HTML kinds 6-7 end at a blank line
        if not line.strip():
            scan.closer = None
            scan.after_blank = True
            return True
        if scan.fence == "    " and not line.startswith(("    ", "\t")):
            scan.closer = None  # indented code also ends at a line that is not indented
            return False
        return True
    if scan.fence:
        if scan.fence_quoted and not quoted:
            scan.closer = None  # the block quote holding the fence ended, and the fence too
            return False
        body = _QUOTE.sub("", line, count=1) if scan.fence_quoted else line
        match = _FENCE.match(body)
        if (match and match.group(1)[0] == scan.fence[0]
                and len(match.group(1)) >= len(scan.fence) and not body[match.end():].strip()):
            scan.closer = None
        return True
    if scan.closer is not None and scan.closer in line.lower():
        scan.closer = None
    return True


def _opens_block(scan: _Scan, body: str, quoted: bool) -> bool:
    """True when `body` opens fenced code, math, an HTML or indented code block (skipped)."""
    fence = _FENCE.match(body)
    if fence is not None:
        run = fence.group(1)
        if not (run[0] == "`" and "`" in body[fence.end():]):
            scan.closer, scan.fence, scan.fence_quoted = run, run, quoted
            return True
    if _MATH.match(body):
        scan.closer, scan.fence = (None if "$$" in body.lstrip()[2:] else "$$"), ""
        return True
    raw = _HTML_RAW.match(body)
    if raw is not None:
        end = _HTML_END.get(raw.group(1).lower(), ">")
        scan.closer = None if end in body[raw.end():].lower() else end
        scan.fence = ""
        return True
    if _HTML_BLOCK.match(body) or (not scan.paragraph and _HTML_TAG_LINE.match(body)):
        scan.closer, scan.fence = "", ""
        return True
    indented = body.startswith(("    ", "\t"))
    if indented and scan.after_blank and not quoted and not scan.paragraph:
        scan.closer, scan.fence = "", "    "
        return True
    return False


def _content(scan: _Scan, lines: list[str], index: int, body: str, quoted: bool,
             inside_item: bool) -> None:
    line = lines[index]
    atx = _ATX.match(body)
    underline = None
    if scan.paragraph and not quoted and (inside_item or not scan.item_paragraph):
        underline = _UNDERLINE.match(body)
    if atx is not None:
        _close_paragraph(scan)
        text = _CLOSING_HASHES.sub("", atx.group(2) or "")
        scan.headings.append((len(atx.group(1)), text.strip()))
    elif underline is not None:
        level = 1 if underline.group(1)[0] == "=" else 2
        scan.headings.append((level, "\n".join(scan.paragraph).strip()))
        _close_paragraph(scan)
        return
    elif _BREAK.match(body) or quoted:
        _close_paragraph(scan)
    elif (item := _LIST_ITEM.match(body)) is not None:
        _list_item(scan, line, body, item.end())
    else:
        if not scan.paragraph and not inside_item and scan.after_blank:
            scan.list_indents = []  # a paragraph at the margin after a blank: the list ended
        scan.paragraph.append(body.strip())
    _inline(scan, lines, index)


def _inline(scan: _Scan, lines: list[str], index: int) -> None:
    line = lines[index]
    if "[" in line:
        scan.links.extend(line_links(line, index + 1))
    if "^" in line and _ends_block(lines, index):
        found = blockids.find_block_id(spans.mask(line))
        if found is not None:
            scan.block_ids.append(found[0])


def _in_list(scan: _Scan, line: str, body: str, quoted: bool) -> tuple[str, bool]:
    """A line in a list, dedented to the text of the item it belongs to (if any)."""
    indent = len(line) - len(line.lstrip(" "))
    if scan.after_blank:  # after a blank line, items indented deeper than this line ended
        scan.list_indents = [col for col in scan.list_indents if col <= indent]
    holding = [col for col in scan.list_indents if col <= indent]
    if not holding:
        if scan.after_blank or not scan.paragraph or quoted:
            scan.list_indents = []  # not a lazy continuation line: the list ended
        return body, False
    return (body, True) if quoted else (body[max(holding):], True)


def _list_item(scan: _Scan, line: str, body: str, marker_end: int) -> None:
    content = body[marker_end:]
    text = content.strip()
    scan.paragraph = [text] if text else []
    scan.item_paragraph = True
    offset = len(line) - len(body)
    marker = offset + len(body) - len(body.lstrip(" "))
    # Where the item's text starts in the line: its continuation lines are indented to there.
    gap = len(content) - len(content.lstrip()) if text else 0
    scan.list_indents = [col for col in scan.list_indents if col <= marker]
    scan.list_indents.append(offset + marker_end + gap)
    scan.empty_item = not text


def _close_paragraph(scan: _Scan) -> None:
    scan.paragraph = []
    scan.item_paragraph = False


def _ends_block(lines: list[str], index: int) -> bool:
    """A block id counts only at the end of its block: a paragraph line followed by more
    paragraph text is not one."""
    if index + 1 >= len(lines):
        return True
    following = _QUOTE.sub("", lines[index + 1], count=1)
    return (not following.strip() or _LIST_ITEM.match(following) is not None
            or _ATX.match(following) is not None or _FENCE.match(following) is not None)


def line_links(line: str, number: int) -> list[Link]:
    """Wikilinks, embeds and Markdown links of one line, as the parser finds them."""
    masked = spans.mask(line)
    found: list[links.RawLink] = []
    if "[[" in masked:
        found = links.find_wikilinks(masked, line)
        if found:
            masked = spans.blank(masked, [(raw.start, raw.end) for raw in found])
    if "](" in masked:
        found.extend(links.find_markdown_links(masked, line))
    found.sort(key=lambda raw: raw.start)
    return [Link(raw.kind, raw.target, raw.heading, raw.block, raw.alias, number, raw.start + 1)
            for raw in found]


def scan_file(root: Path, rel: str) -> NoteFacts:
    source = read_source(root / rel)
    return scan_text(source.text, rel)


# -- the files of a vault ----------------------------------------------------------------------


@lru_cache(maxsize=64)
def vault_root_of(root: Path) -> tuple[Path, str]:
    """The vault a discovery root lies in (the nearest folder with `.obsidian/`, else the root
    itself), and the root's path inside it: '' or 'Sub/folder/'."""
    vault = find_vault_root(Path(root))
    try:
        inside = Path(os.path.abspath(root)).resolve().relative_to(vault).as_posix()
    except ValueError:
        return Path(root), ""
    return vault, "" if inside == "." else inside + "/"


def iter_vault_files(root: Path) -> list[str]:
    """Every file under `root` (notes and attachments), POSIX paths relative to it, sorted;
    dot-files and dot-folders (`.obsidian/`, `.trash/`, `.git/`) are not part of the vault."""
    real_root = root.resolve()
    found: list[str] = []
    seen: set[Path] = set()
    pending: list[tuple[Path, str]] = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        real = folder.resolve()
        if real in seen or not (real == real_root or real_root in real.parents):
            continue  # a symlink loop, or a link that leaves the vault
        seen.add(real)
        try:
            with os.scandir(folder) as entries:
                listing = list(entries)
        except OSError:
            continue
        for entry in listing:
            if entry.name.startswith(".") or entry.name in ALWAYS_SKIPPED:
                continue
            try:
                if entry.is_dir():
                    pending.append((Path(entry.path), prefix + entry.name + "/"))
                elif entry.is_file():
                    found.append(prefix + entry.name)
            except OSError:
                continue
    found.sort()
    return found


def build_index(root: Path, known: Iterable[NoteFacts] = (), complete: bool = False,
                jobs: int = 1) -> VaultIndex:
    """The index of the vault at `root`: `known` facts (from the parser) where given, a fast
    scan of the other notes: all of them now when `complete` (on `jobs` processes), else each
    when first needed."""
    files = iter_vault_files(root)
    notes = list(known)
    load = partial(scan_file, root)
    if complete:
        have = {facts.path for facts in notes}
        missing = [rel for rel in files if rel.endswith(NOTE_SUFFIX) and rel not in have]
        notes.extend(ordered_map(load, missing, jobs))
    return VaultIndex(files, notes, load)
