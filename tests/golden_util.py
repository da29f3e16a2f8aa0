"""Golden files: expected outputs kept under tests/golden/, compared byte for byte.

They change only on purpose. When a change in output is intended (a new rule fires on
sample_vault, a reporter changes), regenerate them and review the diff before committing:

    python -m pytest tests/test_report_formats.py tests/test_export.py --update-golden
    git diff tests/golden/

tests/conftest.py loads this module as a pytest plugin, which adds the option. Without the
option a missing or different golden file fails the test with a unified diff; nothing is ever
rewritten automatically.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
UPDATE_OPTION = "--update-golden"
UPDATE_COMMAND = (f"python -m pytest tests/test_report_formats.py tests/test_export.py "
                  f"{UPDATE_OPTION}")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(UPDATE_OPTION, action="store_true", default=False,
                     help="Rewrite tests/golden/ files from the current output (review the diff).")


def updating(config: pytest.Config) -> bool:
    # getoption's default covers runs where this module was not loaded as a plugin.
    return bool(config.getoption(UPDATE_OPTION, default=False))


def read_golden(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as stream:
        return stream.read()


def assert_golden(request: pytest.FixtureRequest, name: str, actual: str) -> None:
    """Compare `actual` with tests/golden/<name>, or rewrite that file under --update-golden."""
    path = GOLDEN_DIR / name
    if updating(request.config):
        if request.node.get_closest_marker("xfail"):
            # Output known to be wrong must never become the expected output.
            pytest.skip(f"not rewriting golden/{name}: its test is marked xfail")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as stream:
            stream.write(actual)
        return
    if not path.exists():
        pytest.fail(f"no golden file {path}; create it with `{UPDATE_COMMAND}`", pytrace=False)
    expected = read_golden(path)
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=f"golden/{name}", tofile="actual"))
        pytest.fail(f"output differs from golden/{name}:\n{diff}\nIf the change is intended, "
                    f"run `{UPDATE_COMMAND}` and review `git diff tests/golden/`.", pytrace=False)
