"""The model's fast constructors build values nothing can tell from the dataclasses' own: equal,
same hash, repr and pickle, replaceable, convertible and as frozen."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from vault_tools import model
from vault_tools.model import (
    Highlight,
    InlineText,
    Item,
    Link,
    Paragraph,
    Section,
    fast_constructor,
)

_CHILD = Item("child", 3, 5, None, "*")
_PARAGRAPH = Paragraph("para", 4)
_HIGHLIGHT = Highlight("hi", 4, 2, ("Top",))

# (class, its fast constructor, positional arguments, a different value for each field): each
# field holds a value of its own, so that a value set in the wrong slot cannot go unnoticed.
CASES = [
    pytest.param(InlineText, model.new_inline_text, ("text [[a]]", 7, (1, 3), "text xxxxx"),
                 id="InlineText"),
    pytest.param(Item, model.new_item, ("text", 2, 3, "x", "-", (_CHILD,)), id="Item"),
    pytest.param(Item, model.new_item, ("text", 2, 3, None, "."), id="Item-defaults"),
    pytest.param(Paragraph, model.new_paragraph, ("para", 9), id="Paragraph"),
    pytest.param(Link, model.new_link, ("wikilink", "Note", "Head", "blk", "alias", 4, 8),
                 id="Link"),
    pytest.param(Link, model.new_link, ("url", "https://x.org", None, None, None, 1, 1),
                 id="Link-nones"),
    pytest.param(Section, model.new_section,
                 ("Top", 2, 3, 1, ("Top",), 9, (_CHILD,), (_PARAGRAPH,), (_HIGHLIGHT,),
                  (Section("Sub", 3, 5, 1, ("Top", "Sub"), 9),), True), id="Section"),
    pytest.param(Section, model.new_section, (None, 0, 1, 1, (), 4), id="Section-defaults"),
]

Build = Callable[..., Any]


@pytest.mark.parametrize(("cls", "build", "args"), CASES)
def test_fast_value_equals_the_constructors(cls: type, build: Build, args: tuple[Any, ...]
                                            ) -> None:
    fast, slow = build(*args), cls(*args)
    assert type(fast) is cls
    assert fast == slow and slow == fast
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    assert dataclasses.asdict(fast) == dataclasses.asdict(slow)
    assert dataclasses.astuple(fast) == dataclasses.astuple(slow)
    assert copy.deepcopy(fast) == slow


@pytest.mark.parametrize(("cls", "build", "args"), CASES)
def test_fast_value_takes_keywords_and_defaults(cls: type, build: Build, args: tuple[Any, ...]
                                                ) -> None:
    names = [each.name for each in dataclasses.fields(cls)]
    by_name = dict(zip(names, args, strict=False))
    assert build(**by_name) == cls(**by_name)
    assert _parameters(build) == _parameters(cls)


def _parameters(function: Callable[..., Any]) -> list[tuple[str, Any, Any]]:
    return [(each.name, each.kind, each.default)
            for each in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize(("cls", "build", "args"), CASES)
def test_fast_value_pickles_as_the_constructors(cls: type, build: Build, args: tuple[Any, ...]
                                                ) -> None:
    fast, slow = build(*args), cls(*args)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        dumped = pickle.dumps(fast, protocol)
        assert dumped == pickle.dumps(slow, protocol)
        assert pickle.loads(dumped) == slow


@pytest.mark.parametrize(("cls", "build", "args"), CASES)
def test_fast_value_is_frozen_and_replaceable(cls: type, build: Build, args: tuple[Any, ...]
                                              ) -> None:
    fast = build(*args)
    first = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(fast, first, "changed")
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(fast, first)
    assert not hasattr(fast, "__dict__")  # slotted: no instance dict to take a value
    replaced = dataclasses.replace(fast, **{first: "changed"})
    assert replaced == dataclasses.replace(cls(*args), **{first: "changed"})
    assert getattr(fast, first) == args[0]


@pytest.mark.parametrize(("cls", "build", "args"), CASES)
def test_fast_constructor_checks_arguments_as_the_constructor(
        cls: type, build: Build, args: tuple[Any, ...]) -> None:
    with pytest.raises(TypeError):
        build(*args[:1])
    with pytest.raises(TypeError):
        build(*args, unknown=1)


def test_fast_constructor_refuses_a_field_it_cannot_set() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class WithFactory:
        items: list[int] = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(frozen=True)
    class WithoutSlots:
        name: str

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        name: str

        def __post_init__(self) -> None:
            assert self.name

    with pytest.raises(TypeError, match="items"):
        fast_constructor(WithFactory)
    with pytest.raises(TypeError, match="name"):
        fast_constructor(WithoutSlots)
    with pytest.raises(TypeError, match="__post_init__"):
        fast_constructor(Checked)


def test_every_fast_constructor_has_cases() -> None:
    covered = {each.values[1] for each in CASES}
    assert covered == {value for name, value in vars(model).items() if name.startswith("new_")}
