"""The fast path's planner state, and the blocks it takes that hold no other block.

blocks.py's planner walks a note's lines and dispatches each to a method; the ones here take
leaf blocks (tables, fenced and indented code, HTML blocks, setext headings, footnote
definitions, lines indented by one to three spaces) and keep the state every method shares:
the events planned, the open paragraph and the open list items. Each follows the
markdown-it-py rule it stands for, and raises Bail wherever it is unsure.
"""

from __future__ import annotations

from vault_tools.blocklines import (
    FENCE_OPEN,
    FOOTNOTE_LABEL,
    MAX_FILLED_CELLS,
    MAYBE_DELIMITER_ROW,
    SPECIAL_START,
    HtmlKind,
    atx_heading,
    delimiter_columns,
    header_columns,
    html_block_kind,
    indent_width,
    is_paragraph_line,
    md_trim,
)
from vault_tools.chunks import closes
from vault_tools.events import (
    CLOSE_ITEM,
    Block,
    ContainedParagraph,
    Event,
    Heading,
    OpenItem,
    Paragraph,
    SetextHeading,
    Table,
)


class Bail(Exception):
    """The chunk holds something the fast path does not take: markdown-it parses it."""


class BlockState:
    """What the planner's methods share about the lines they plan."""

    def __init__(self, lines: list[str], container: str, depth: int) -> None:
        self.lines = lines
        # "" for the body; "quote" or "item" for the text of a block quote or of an item's
        # content after a blank line, planned on its own (containerblocks.py).
        self.container = container
        self.depth = depth  # how many quotes and items hold these lines
        self.end = len(lines)
        self.events: list[Event] = []
        self.paragraph: int | None = None  # first line of the open top-level paragraph
        self.open_items: list[int] = []  # text column of each open list item, outermost first
        self.item: OpenItem | None = None  # the last item opened

    def close_paragraph(self, index: int) -> None:
        if self.paragraph is not None:
            self.events.append(Paragraph(self.paragraph, index))
            self.paragraph = None

    def close_blocks(self, index: int) -> None:
        if self.paragraph is not None:
            self.close_paragraph(index)
        while self.open_items:
            self.close_item()

    def close_item(self) -> None:
        """Close the innermost open item."""
        self.open_items.pop()
        last = self.events[-1]
        if type(last) is OpenItem and not last.closed:
            last.closed = True  # nothing came after its paragraph
        else:
            self.events.append(CLOSE_ITEM)

    def following(self, index: int) -> str:
        """The line after `index` ("" at the end): the delimiter row, if line `index` is a
        table's header row."""
        return self.lines[index + 1] if index + 1 < self.end else ""

    def plain(self, index: int) -> int:
        if self.open_items:
            raise Bail  # lazy continuation of the item's paragraph
        if self.paragraph is None:
            self.paragraph = index
        return index + 1

    def block(self, index: int, end: int, verbatim: bool = True) -> int:
        self.close_blocks(index)
        self.events.append(Block(index, end, verbatim))
        return end

    def after_blanks(self, index: int) -> int:
        """The first line from `index` that is not blank (the end if none)."""
        while index < self.end and not self.lines[index].strip(" \t"):
            index += 1
        return index

    def unclosed_end(self, index: int) -> int:
        """The end of a block opened on line `index` that nothing closes: the body's end.
        markdown-it does not count a last line of only spaces or tabs (or the "" after a final
        newline). In a container, where it ends is markdown-it's call."""
        if self.container:
            raise Bail
        last_blank = not self.lines[self.end - 1].strip(" \t")
        return self.end - 1 if self.end > index + 1 and last_blank else self.end


class LeafBlocks(BlockState):
    """Leaf blocks: each method takes the block starting on line `index`, returns where the
    next line to plan is."""

    def table(self, index: int, line: str) -> int | None:
        """The end of the table whose header row is `line`, or None when no table opens here.

        A table may also interrupt a paragraph. The header and delimiter rows must start in
        column 1 (an indented delimiter row is markdown-it's call, as is an indented header row
        unless the line is plain text), and body rows must start with `|`, `<` or a character
        no block rule looks at: any other row could end the table (a list, quote, heading,
        fence... interrupts it), and markdown-it decides those. Of the rules that end a table
        (the block quote's terminators) only html_block looks at `<`.
        """
        if index + 1 >= self.end or line[0] in " \t":
            return None
        following = self.lines[index + 1]
        columns = delimiter_columns(following)
        if not columns:
            if following[:1] in " \t" and MAYBE_DELIMITER_ROW.match(following.lstrip(" \t")):
                raise Bail  # maybe an indented delimiter row
            return None
        if columns != header_columns(line):
            return None
        if self.open_items:
            raise Bail  # lazy continuation or a table in the item: markdown-it's call
        self.close_paragraph(index)
        end = index + 2
        while end < self.end:
            row = self.lines[end]
            first = row[:1]
            if first in SPECIAL_START and first != "|":
                if not row.strip(" \t"):
                    break  # a blank line ends the table
                if first != "<":
                    raise Bail
                opened = html_block_kind(row)
                if opened is not None and opened[2]:
                    break  # an HTML block that may interrupt a paragraph (`<!--`) ends it
                # Any other line starting with `<` is a row.
            if not md_trim(row):
                raise Bail  # Unicode spaces only: markdown-it ends the table on it
            end += 1
        if (end - index - 2) * columns > MAX_FILLED_CELLS:
            raise Bail  # markdown-it may stop filling short rows (and end the table) earlier
        self.events.append(Table(index, end))
        return end

    def code_block(self, index: int) -> int:
        """Indented code at the top level: it runs over blank lines up to the last line
        indented by four columns or more before a line that is not."""
        end = row = index + 1
        while row < self.end:
            line = self.lines[row]
            if line.strip(" \t"):
                if indent_width(line) < 4:
                    break
                end = row + 1
            row += 1
        self.events.append(Block(index, end))
        return end

    def fence_end(self, index: int, line: str) -> int:
        run = len(line) - len(line.lstrip(line[0]))
        if line[0] == "`" and "`" in line[run:]:
            raise Bail  # not a fence: a code span in a paragraph
        closer = line[0] * run
        for row in range(index + 1, self.end):
            if closes(self.lines[row], closer):
                return row + 1
        return self.unclosed_end(index)

    def indented(self, index: int, line: str) -> int:
        """A line indented by one to three spaces, out of any list: an ATX heading, a fence or
        paragraph text as in column 1 (every block rule allows such indentation; a
        paragraph's text is trimmed). markdown-it decides the rest."""
        text = line.lstrip(" ")
        indent = len(line) - len(text)
        if "|" in text and MAYBE_DELIMITER_ROW.match(self.following(index).lstrip(" \t")):
            raise Bail  # markdown-it tries a table first: ` # |` over `---` is its header row
        if text[0] == "#" and (heading := atx_heading(text)) is not None:
            level, title, column = heading
            self.close_blocks(index)
            self.events.append(Heading(index, level, title, column + indent))
            return index + 1
        if text[0] in "`~" and FENCE_OPEN.match(text):
            return self.block(index, self.fence_end(index, text))
        if is_paragraph_line(text, self.following(index)):
            return self.plain(index)
        raise Bail

    def setext_heading(self, start: int, index: int, line: str) -> int:
        """The open paragraph (from line `start`), underlined by `line`: a heading.
        markdown-it's lheading finds the same underline: the paragraph's lines before it are
        those no other rule took."""
        self.paragraph = None
        level = 1 if line.lstrip(" ")[0] == "=" else 2
        self.events.append(SetextHeading(start, index, level, [0] * (index - start)))
        return index + 1

    def html_block(self, index: int, opened: HtmlKind) -> int:
        """An HTML block in column 1 (markdown-it's html_block; `opened`: its kind): kinds 6-7
        end before a blank line, the others on the line holding their end marker. Kind 7
        cannot interrupt a paragraph, not even an item's."""
        if not opened[2] and self.open_items:
            raise Bail
        closer = opened[1]
        if closer.search(""):  # kinds 6-7
            end = index + 1
            while end < self.end and self.lines[end].strip(" \t"):
                end += 1
            return self.block(index, end)
        for row in range(index, self.end):
            if closer.search(self.lines[row]):
                return self.block(index, row + 1)
        return self.block(index, self.unclosed_end(index))

    def footnote(self, index: int, text: str) -> int:
        """A footnote definition on one line in column 1, `text` after its label, that nothing
        after it goes on with: the next line is another definition, or blank lines then a line
        not indented (an indented one may be more of the footnote). Its text is a paragraph in
        it."""
        following = self.following(index)
        if following.strip(" \t"):
            if not FOOTNOTE_LABEL.match(following):
                raise Bail  # a lazy line of its paragraph, or a block in it
        else:
            after = self.after_blanks(index + 1)
            if after < self.end and self.lines[after][0] in " \t":
                raise Bail
        paragraph = bool(text.strip(" \t"))
        if paragraph and (text[0] != " " or not is_paragraph_line(text[1:], following)):
            raise Bail  # more blanks, or no plain text
        self.block(index, index + 1, verbatim=False)
        if paragraph:
            cut = len(self.lines[index]) - len(text) + 1  # after the label and a space
            self.events.append(ContainedParagraph(index, index + 1, [cut]))
        return index + 1
