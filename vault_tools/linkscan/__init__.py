"""A fast scan of a note's headings, block ids and links, for the notes the parser does not read.

Checking the links of a few notes (pre-commit) or exporting backlinks needs other notes of the
vault: their headings, block ids and links. The parser costs about 1.5 ms a note; this line scan
reads the same facts for a fraction of that, with the parser's own link finders on each line.
It skips what the parser does not treat as content: frontmatter, fenced and indented code,
`$$` math, HTML blocks and `%% comments %%`, and follows lists and block quotes far enough to
know what is code and what is a heading. A note that may define link targets (`[label]: url`,
which may run over lines and end where only markdown-it's rule knows) is parsed instead.
tests/test_links.py checks that both agree, on the corpora and on notes written to trip it.
"""

from vault_tools.linkscan.defines import may_define
from vault_tools.linkscan.dispatch import scan_text

__all__ = ["may_define", "scan_text"]
