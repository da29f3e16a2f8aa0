"""The fast path against markdown-it-py on the CommonMark spec's examples and markdown-it-py's own
test fixtures, each also wrapped the ways notes wrap Markdown (after a paragraph, in a quote, a
list item, a callout, after frontmatter, with comments, CRLF...).

Those examples are the hardest small inputs anyone has written for a CommonMark parser; they
are not ours to copy into the repository, so this script takes them from the source
distribution of the installed markdown-it-py (downloaded with pip, or given as a folder):

    python fuzz/spec_differential.py                      # pip downloads the sdist
    python fuzz/spec_differential.py path/to/markdown_it_py-4.3.0/   # an unpacked sdist

Prints each input where the two routes differ (or the parser crashes), then the count; exits 1
when there is any.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path

from vault_tools.model import INTERNAL_ERROR
from vault_tools.parse import parse_source
from vault_tools.source import decode

Variant = Callable[[str], str]


def _indented(prefix: str) -> Variant:
    return lambda md: "".join(prefix + line for line in md.splitlines(True))


# How a note puts a piece of Markdown among other blocks; each wrapper adds Obsidian syntax
# around it, so a difference in what holds the piece also shows in links, tags or sections.
VARIANTS: dict[str, Variant] = {
    "as is": lambda md: md,
    "after a paragraph": lambda md: "Intro [[A]] #t ==h==\n\n" + md,
    "continuing a paragraph": lambda md: "Intro [[A]] #t ==h==\n" + md,
    "before a line": lambda md: md + "\ntext [[B]] #u ==v==\n",
    "before a paragraph": lambda md: md + "\n\ntext [[B]] #u\n",
    "after frontmatter": lambda md: "---\ntags: [x]\n---\n" + md + "\n[[C]]\n",
    "in a quote": lambda md: _indented("> ")(md) + "\n[[D]]\n",
    "in a callout": lambda md: "> [!note] T [[A]]\n" + _indented("> ")(md),
    "in a list item": lambda md: "- item [[E]]\n" + _indented("  ")(md) + "\n- after [[F]]\n",
    "in a nested item": lambda md: "- a\n  - b [[B]]\n" + _indented("    ")(md) + "\n  - c\n",
    "in an ordered item": lambda md: "1. one\n" + _indented("   ")(md) + "2. two [[T]]\n",
    "between headings": lambda md: "# H1\n" + md + "\n## H2\ntext [[G]]\n",
    "with comments": lambda md: "%% c [[X]] %%\n" + md + "\n%%\nhidden [[Y]]\n%%\ntext [[Z]]\n",
    "in math": lambda md: "$$\n" + md + "\n$$\n[[M]]\n",
    "twice": lambda md: md + "\n" + md,
    "with links": lambda md: md.replace("foo", "[[foo]]").replace("bar", "#bar")
    .replace("baz", "==baz=="),
    "tabs": lambda md: md.replace("    ", "\t"),
    "CRLF": lambda md: md.replace("\n", "\r\n") + "[[H]]\r\n",
}


def sdist_folder(work: Path) -> Path:
    """The installed markdown-it-py's source distribution, downloaded and unpacked in `work`."""
    wanted = f"markdown-it-py=={version('markdown-it-py')}"
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary",
                    ":all:", wanted, "-d", str(work)], check=True)
    archive = next(work.glob("markdown_it_py-*.tar.gz"))
    with tarfile.open(archive) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.10.12+: refuse odd members
            tar.extractall(work, filter="data")
        else:
            tar.extractall(work)  # the registry's own archive, for the version installed
    return next(path for path in work.iterdir() if path.is_dir())


def examples(sdist: Path) -> Iterator[tuple[str, str]]:
    """(name, Markdown) of every spec example and every fixture input."""
    spec = sdist / "tests" / "test_cmark_spec" / "commonmark.json"
    for example in json.loads(spec.read_text(encoding="utf-8")):
        yield f"spec example {example['example']}", example["markdown"]
    # A fixture file is blocks of: title, ".", input, ".", expected HTML, ".".
    for path in sorted((sdist / "tests" / "test_port" / "fixtures").glob("*.md")):
        parts = re.split(r"^\.\n", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        for number, index in enumerate(range(1, len(parts) - 1, 2), start=1):
            yield f"{path.name} case {number}", parts[index]


def verdict(text: str) -> str:
    """What is wrong with the two routes' notes of `text`: "" when nothing is."""
    source = decode(text.encode("utf-8"))
    fast = parse_source(source, "m.md", fast=True)
    if fast != parse_source(source, "m.md", fast=False):
        return "differs"
    # The parser turns its own crash into a VT000 error of the note (the same on both routes).
    crashed = [error.message for error in fast.errors if error.code == INTERNAL_ERROR]
    return f"raises ({crashed[0]})" if crashed else ""


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="vault-tools-spec-") as work:
        sdist = Path(argv[1]) if len(argv) > 1 else sdist_folder(Path(work))
        checked = failed = 0
        for name, markdown in examples(sdist):
            for variant, wrap in VARIANTS.items():
                text = wrap(markdown)
                checked += 1
                found = verdict(text)
                if found:
                    failed += 1
                    print(f"{found}: {name}, {variant}: {text!r}")
    print(f"{checked} inputs, {failed} where the fast path differs from markdown-it-py "
          "(or the parser crashes)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
