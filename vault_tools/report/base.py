"""What every reporter receives."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TextIO

from vault_tools.findings import LintResult
from vault_tools.rules import RULES, Rule


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    statistics: bool = False
    rules: Mapping[str, Rule] = field(default_factory=lambda: RULES)
    version: str = ""


Reporter = Callable[[LintResult, TextIO, ReportOptions], None]
