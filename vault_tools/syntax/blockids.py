"""Block ids: `^id` (letters, digits, `-`) after whitespace at the very end of a block."""

from __future__ import annotations

import re

BLOCK_ID = re.compile(r"(?:^|\s)\^([A-Za-z0-9-]+)[ \t]*$")


def find_block_id(masked: str) -> tuple[str, int] | None:
    """(id, offset of the `^`) when the block ends with a block id."""
    if "^" not in masked:
        return None
    match = BLOCK_ID.search(masked)
    if match is None:
        return None
    return match.group(1), match.start(1) - 1
