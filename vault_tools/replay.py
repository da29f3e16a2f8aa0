"""The fast path's events (blocks.py plans them), fed to the outline as tokenwalk.py feeds
markdown-it-py's tokens: the same builder calls, with the same text and columns.

It runs for most lines of most notes (the fast path takes them), so it stays one flat
`type(...) is` dispatch with a branch per event kind; what both routes compute alike is in
blocktext.py.
"""

from __future__ import annotations

from vault_tools.blocklines import md_trim
from vault_tools.blocktext import add_table, column_of, open_quote, text_at
from vault_tools.events import (
    Block,
    CloseItem,
    ContainedParagraph,
    EmptyItem,
    Event,
    Heading,
    OpenItem,
    Paragraph,
    Quote,
    SetextHeading,
    Table,
)
from vault_tools.outline import OutlineBuilder, TextAt


def replay(events: list[Event], lines: list[str], builder: OutlineBuilder) -> None:
    """Feed the fast path's events to the builder exactly as tokenwalk.walk feeds markdown-it's."""
    # The most frequent kinds first; `type(...) is` costs half as much as isinstance.
    for event in events:
        if type(event) is OpenItem:
            _item(event, lines, builder)
        elif type(event) is Paragraph:
            builder.paragraph(*_plain_paragraph(lines, event.start, event.end))
        elif type(event) is Heading:
            builder.heading(event.level, event.text, event.index + 1, (event.col,))
        elif type(event) is CloseItem:
            builder.close_item()
        elif type(event) is Block:
            builder.content((event.start + 1, event.end) if event.verbatim else None)
        elif type(event) is Table:
            add_table(event.start, event.end, lines, builder)
        elif type(event) is ContainedParagraph:
            builder.paragraph(*_cut_text(lines, event.start, event.end, event.cuts))
        elif type(event) is SetextHeading:
            builder.heading(event.level, *_cut_text(lines, event.start, event.end, event.cuts))
        elif type(event) is Quote:
            _quote(event, lines, builder)
        elif type(event) is EmptyItem:
            builder.open_item(event.index + 1, event.col, event.marker)
            builder.close_item()


def _item(item: OpenItem, lines: list[str], builder: OutlineBuilder) -> None:
    line = item.index + 1
    if item.end == line:
        # One line, whose text starts with a character that is not blank (blocklines.ITEM): no
        # trim at its start, and the column is the text's offset.
        text = md_trim(lines[item.index][item.text_start:])
        if item.closed:
            builder.leaf_item(line, item.col, item.marker, text, item.text_start + 1)
            return
        paragraph: TextAt = (text, line, (item.text_start + 1,))
    else:
        paragraph = _item_paragraph(lines, item)
    builder.open_item(line, item.col, item.marker)
    builder.paragraph(*paragraph)
    if item.closed:
        builder.close_item()


def _item_paragraph(lines: list[str], item: OpenItem) -> TextAt:
    """The paragraph of an item's line and its continuation lines, less the item's indent."""
    indent = item.text_start
    text = "\n".join([lines[item.index][indent:]]
                     + [line[indent:] for line in lines[item.index + 1 : item.end]])
    return text_at(md_trim(text), item.index, item.end, lines)


def _plain_paragraph(lines: list[str], start: int, end: int) -> TextAt:
    """The top-level paragraph on lines start to end."""
    if end - start == 1:  # most are
        source = lines[start]
        content = md_trim(source)
        # Nothing trimmed at the start (most lines): column_of would find column 1.
        col = 1 if source.startswith(content) else column_of(source, content)
        return content, start + 1, (col,)
    text = "\n".join(lines[start:end])
    content = md_trim(text)
    # Whole first lines the trim dropped (Unicode spaces) move the text's first line down.
    first = start + (text.count("\n", 0, text.find(content)) if content else 0)
    cols = tuple(column_of(lines[first + row], piece)
                 for row, piece in enumerate(content.split("\n")))
    return content, first + 1, cols


def _quote(event: Quote, lines: list[str], builder: OutlineBuilder) -> None:
    first = event.events[0] if event.events else None
    text = (_cut_text(lines, first.start, first.end, first.cuts)[0]
            if type(first) is ContainedParagraph else None)
    open_quote(builder, text, event.start + 1)
    replay(event.events, lines, builder)


def _cut_text(lines: list[str], start: int, end: int, cuts: list[int]) -> TextAt:
    """The text of lines start to end, each from its offset in `cuts` on (a paragraph in a
    container, a setext heading), as markdown-it's getLines cuts them."""
    pieces = [line[cut:] for line, cut in zip(lines[start:end], cuts, strict=True)]
    return text_at(md_trim("\n".join(pieces)), start, end, lines)
