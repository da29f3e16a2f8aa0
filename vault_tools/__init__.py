"""vault-tools: read an Obsidian vault, extract the structure of its notes, check it, export it.

The public API is imported lazily, so that `vault-tools --version` and a one-note pre-commit
run do not pay for markdown-it and YAML before they need them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from vault_tools.model import Item, Link, Note, Section
    from vault_tools.notes import iter_notes, read_note
    from vault_tools.parse import parse_note

_EXPORTS = {
    "Item": "vault_tools.model",
    "Link": "vault_tools.model",
    "Note": "vault_tools.model",
    "Section": "vault_tools.model",
    "iter_notes": "vault_tools.notes",
    "read_note": "vault_tools.notes",
    "parse_note": "vault_tools.parse",
}

__all__ = ["Item", "Link", "Note", "Section", "__version__", "iter_notes", "parse_note",
           "read_note"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'vault_tools' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
