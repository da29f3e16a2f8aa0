"""The seed note (../shared/seed), the note this project was started from: its two groups of
roles, every heading, bullet and highlight, read from a real vault file through the CLI path."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from vault_tools.model import Note
from vault_tools.notes import read_note

YES_ROLES = [
    ("Machine Learning Operations", 9),
    ("Machine Learning Engineer", 12),
    ("Data Scientist", 20),
    ("Lead or PM", 29),
    ("AI Research Scientist", 34),
    ("AI Engineer", 38),
]

BULLETS = [
    (("Yes", "Machine Learning Operations"), 11, "Manages the deployment, monitoring, and "
     "optimization of AI/ML models in production environments."),
    (("Yes", "Data Scientist"), 22,
     "Analyzes and interprets complex data to provide insights and build AI models."),
    (("Yes", "Data Scientist"), 23, "Assess the performance of the machine learning model "
     "according to the performance requirements"),
    (("Yes", "Data Scientist"), 24,
     "Develop and implement ML model to solve specific bussiness problems"),
    (("Yes", "Data Scientist"), 25,
     "Perform hyperparameter tuning to make sure the model training process is optimized"),
    (("Yes", "Lead or PM"), 31, "Designs the overall structure of AI systems, ensuring "
     "scalability, performance, and security"),
    (("Yes", "Lead or PM"), 32, "Oversees the development and deployment of AI-powered products."),
    (("Yes", "AI Research Scientist"), 36,
     "Conducts cutting-edge research to develop new AI algorithms, models, and technologies."),
    (("Yes", "AI Engineer"), 40, "Develops, tests, and implements AI solutions, typically "
     "involving both software and hardware aspects."),
    (("Not", "Data Engineer"), 48,
     "Extract raw data from different sources and store in a centrailized place"),
    (("Not", "Data Engineer"), 49, "Design and maintain data pipelines to ensure efficient data "
     "flow and accessibility for analysis."),
    (("Not", "Data Engineer"), 50, "Make sure that incoming data is validated according to data "
     "quality requirements."),
]

HIGHLIGHTS = [
    "take machine learning models from a local notebook to a functioning model in production",
    "design, development, deployment, and monitoring",
    "automation",
]


@pytest.fixture
def seed(seed_note: Path) -> Note:
    return read_note(seed_note)


def test_two_groups(seed: Note) -> None:
    assert [(s.heading, s.level, s.line) for s in seed.sections] == [("Yes", 1, 8), ("Not", 1, 42)]


def test_every_role_heading_with_its_level(seed: Note) -> None:
    yes, no = seed.sections
    assert [(s.heading, s.level, s.line) for s in yes.sections] == [
        (name, 2, line) for name, line in YES_ROLES]
    # `### Data Engineer` sits directly under `# Not`: a skipped level, still its child.
    assert [(s.heading, s.level, s.line, s.path) for s in no.sections] == [
        ("Data Engineer", 3, 44, ("Not", "Data Engineer"))]
    assert all(not s.sections for s in (*yes.sections, *no.sections))


def test_every_bullet(seed: Note) -> None:
    got = [(s.path, b.line, b.text) for s in seed.iter_sections() for b in s.bullets]
    assert got == BULLETS
    assert all(b.task is None and b.marker == "-" and not b.children
               for s in seed.iter_sections() for b in s.bullets)


def test_paragraphs(seed: Note) -> None:
    assert [p.line for p in seed.preamble.paragraphs] == [6]
    assert seed.preamble.paragraphs[0].text.startswith("Xác định rõ được công việc")
    by_path = {s.path: [p.line for p in s.paragraphs] for s in seed.iter_sections()}
    assert by_path[("Yes", "Machine Learning Engineer")] == [14, 16, 18]
    assert by_path[("Yes", "Data Scientist")] == [27]
    assert by_path[("Not", "Data Engineer")] == [46]


def test_three_highlights_on_line_27(seed: Note) -> None:
    section = ("Yes", "Data Scientist")
    assert [(h.text, h.line, h.section) for h in seed.highlights] == [
        (text, 27, section) for text in HIGHLIGHTS]
    [data_scientist] = [s for s in seed.iter_sections() if s.path == section]
    assert [h.text for h in data_scientist.highlights] == HIGHLIGHTS
    cols = [h.col for h in seed.highlights]
    assert cols == sorted(cols)


def test_url_on_line_46(seed: Note) -> None:
    assert [(x.kind, x.target, x.line, x.col) for x in seed.links] == [
        ("url", "https://www.deeplearning.ai/courses/data-engineering", 46, 1)]


def test_frontmatter_tag_and_no_errors(seed: Note) -> None:
    assert (seed.path, seed.title, seed.tags, seed.errors) == ("Roles.md", "Roles", ("Work",), ())
    assert seed.frontmatter_data == {"tags": ["Work"]}


def test_seed_through_the_cli(seed_note: Path, run_cli: Callable[..., Result]) -> None:
    result = run_cli("export", str(seed_note.parent), "--format", "jsonl")
    assert result.exit_code == 0
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["path"] == "Roles.md"
    assert [h["line"] for h in record["highlights"]] == [27, 27, 27]
    assert [s["heading"] for s in record["sections"][1]["sections"]] == ["Data Engineer"]
