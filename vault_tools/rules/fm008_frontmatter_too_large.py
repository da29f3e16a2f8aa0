"""The frontmatter grows too large once its YAML aliases are expanded, or nests too deep.

A few lines of YAML anchors and aliases (`&a` / `*a`) or merge keys (`<<: [*a, *a]`) can
describe millions of values (the "billion laughs" attack) or a value that contains itself, and
collections nested thousands deep crash YAML parsers. vault-tools stops after 100,000 values or
100 levels and ignores such frontmatter instead of exhausting memory; other tools reading the
vault may not be so careful. Write the values out, or drop the aliases.

Passes:

    ---
    a: &x [1, 2]
    b: *x
    ---

Fails:

    ---
    a: &a [x, x, x, x, x, x, x, x, x]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
    ---
"""

from __future__ import annotations

from collections.abc import Iterator

from vault_tools.findings import Severity, Violation
from vault_tools.rules.base import NoteContext, Options
from vault_tools.rules.problems import problems_with_code

CODE = "FM008"
NAME = "frontmatter-too-large"
SEVERITY = Severity.ERROR


def check(ctx: NoteContext, options: Options) -> Iterator[Violation]:
    yield from problems_with_code(ctx, CODE)
