"""No network access, ever (issue 9): links to URLs, embeds of URLs and schemas with remote
`$ref` are never fetched.

Sockets are disabled (socket.socket, create_connection, getaddrinfo and friends raise and
record the attempt) while `lint` and `export` run on notes full of URLs, in-process and in a
subprocess that uses worker processes. The attempts are recorded as well as refused, so that
code which swallows the error still fails the test.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

Cli = Callable[..., Result]

URL_NOTE = """---
source: https://example.com/frontmatter
cover: "![](https://example.com/cover.png)"
---
# Links everywhere ![[https://example.com/embed.png]]

![remote image](https://example.com/image.png) ![](http://example.net/x.jpg "title")
![[https://example.com/wiki-embed.pdf#page=2|300]] <img src="https://example.com/html.png">
<https://example.com/autolink> https://example.com/bare?q=1 [text](https://example.com/md)
<iframe src="https://www.youtube.com/embed/x"></iframe> [[https://example.com/as-wikilink]]

> [!note] https://example.com/in-a-callout
> - [ ] task with ![](https://example.com/task.png) and <mailto:me@example.com>

| image | link |
|---|---|
| ![](https://example.com/cell.png) | https://example.com/cell |

```
https://example.com/in-code
```
"""

# A schema whose $ref leads off the machine, and one whose $id makes a relative $ref remote.
REMOTE_REF_SCHEMA = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                     "properties": {"links": {"$ref": "https://example.com/links.schema.json"}}}
REMOTE_ID_SCHEMA = {"$schema": "http://json-schema.org/draft-07/schema#",
                    "$id": "https://example.com/schemas/note.json",
                    "properties": {"tags": {"$ref": "tags.json"}}}


class NetworkAttempt(OSError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every way to open a connection or resolve a name raises; the attempts are listed."""
    attempts: list[str] = []

    def refuse(name: str) -> Callable[..., Any]:
        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args!r}")
            raise NetworkAttempt(f"network access attempted: {name}")
        return refused

    class NoSocket(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            refuse("socket.socket")(*args, **kwargs)

    monkeypatch.setattr(socket, "socket", NoSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex",
                 "socketpair", "create_server"):
        monkeypatch.setattr(socket, name, refuse(f"socket.{name}"))
    yield attempts


def test_the_guard_catches_an_http_request(no_network: list[str]) -> None:
    """The fixture really stops urllib (what jsonschema's retrievers and requests use)."""
    import urllib.request

    with pytest.raises(OSError):
        urllib.request.urlopen("http://example.com/", timeout=1)
    assert no_network


def write_vault(root: Path, files: dict[str, str]) -> Path:
    (root / ".obsidian").mkdir(parents=True)
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def test_lint_and_export_of_urls_touch_no_network(run_cli: Cli, tmp_path: Path,
                                                  no_network: list[str]) -> None:
    vault = write_vault(tmp_path / "vault", {"Links.md": URL_NOTE, "Other.md": "# Other\n"})
    lint = run_cli("lint", str(vault), "-j", "1", "--select", "ALL", "--output-format", "json")
    assert lint.exit_code in (0, 1), lint.output
    assert any(item["path"].endswith("Links.md") for item in json.loads(lint.stdout))
    for fmt in ("json", "jsonl", "csv"):
        export = run_cli("export", str(vault), "-j", "1", "--format", fmt)
        assert export.exit_code == 0, export.output
    record = json.loads(run_cli("export", str(vault), "-j", "1", "--format", "jsonl")
                        .stdout.splitlines()[0])
    targets = {link["target"] for link in record["links"]}
    assert {"https://example.com/image.png", "https://example.com/autolink",
            "https://example.com/wiki-embed.pdf"} <= targets  # read as links, not fetched
    assert no_network == []


@pytest.mark.parametrize("schema", [REMOTE_REF_SCHEMA, REMOTE_ID_SCHEMA],
                         ids=["remote-ref", "remote-id"])
def test_schema_with_remote_ref_is_refused_not_fetched(schema: dict[str, Any], run_cli: Cli,
                                                       tmp_path: Path,
                                                       no_network: list[str]) -> None:
    vault = write_vault(tmp_path / "vault", {
        "Links.md": URL_NOTE,
        "note.schema.json": json.dumps(schema),
        ".vault-tools.toml": '[[schemas]]\nglob = "*.md"\nstructure = "note.schema.json"\n',
    })
    lint = run_cli("lint", str(vault), "-j", "1")
    assert no_network == []
    assert lint.exit_code == 2
    assert "Traceback" not in lint.output
    assert "note.schema.json" in lint.stderr and lint.stderr.count("\n") == 1


_GUARDED_CLI = """
import socket, sys

def refuse(*args, **kwargs):
    sys.stderr.write("NETWORK ATTEMPT\\n")
    raise OSError("network access attempted")

class NoSocket(socket.socket):
    def __init__(self, family=-1, *args, **kwargs):
        if family != socket.AF_UNIX:  # worker processes may talk over local pipes
            refuse()
        super().__init__(family, *args, **kwargs)

socket.socket = NoSocket
socket.create_connection = socket.getaddrinfo = socket.gethostbyname = refuse
from vault_tools.cli import main
sys.argv[0] = "vault-tools"
main()
"""


@pytest.mark.parametrize("command", [["lint", "--select", "ALL"], ["export"]])
def test_worker_processes_touch_no_network(command: list[str], tmp_path: Path) -> None:
    """The same with the default worker processes, which start with sockets disabled too."""
    vault = write_vault(tmp_path / "vault", {f"Links {i}.md": URL_NOTE for i in range(8)})
    env = {**os.environ, "VAULT_TOOLS_DEBUG": "1"}
    result = subprocess.run([sys.executable, "-c", _GUARDED_CLI, *command, str(vault), "-j", "2"],
                            capture_output=True, text=True, env=env, timeout=120, check=False)
    assert "NETWORK ATTEMPT" not in result.stderr
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1), result.stderr
