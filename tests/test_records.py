"""Records behave as the frozen dataclasses they replace (sfauthgen/records.py)."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfauthgen.records import field, record, replace


@record
class Point:
    kind: ClassVar[str] = "point"
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list, compare=False, repr=False)


@record
class Point3(Point):
    z: int = 0


@dataclasses.dataclass(frozen=True)
class DataPoint:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    notes: list[str] = dataclasses.field(default_factory=list, compare=False, repr=False)


@record(order=True)
class Place:
    path: str
    line: int


@record(eq=False)
class Handle:
    value: int


@record(frozen=False)
class Counter:
    counts: dict[str, int] = field(default_factory=dict)


values = st.tuples(st.integers(), st.integers(), st.lists(st.text(max_size=3), max_size=3).map(tuple))


@given(values, values)
def test_equality_hash_and_repr_match_a_frozen_dataclass(a: tuple, b: tuple) -> None:
    left, right = Point(*a), Point(*b)
    assert (left == right) == (DataPoint(*a) == DataPoint(*b))
    if left == right:
        assert hash(left) == hash(right)
    assert repr(left) == repr(DataPoint(*a)).replace("DataPoint", "Point")


@given(st.tuples(st.text(max_size=3), st.integers()), st.tuples(st.text(max_size=3), st.integers()))
def test_order_is_the_order_of_the_field_tuples(a: tuple, b: tuple) -> None:
    assert (Place(*a) < Place(*b)) == (a < b)
    assert (Place(*a) >= Place(*b)) == (a >= b)


def test_defaults_factories_keywords_and_class_variables() -> None:
    point = Point(1, tags=("a",))
    assert (point.x, point.y, point.tags, point.notes) == (1, 0, ("a",), [])
    assert Point(1).notes is not Point(1).notes
    assert Point.kind == "point" and Point.y == 0
    assert "kind" not in Point.__record_fields__  # type: ignore[attr-defined]
    assert Point(1, notes=["x"]) == Point(1)  # notes are not compared
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, 2, (), [], 5)  # type: ignore[call-arg]


def test_a_subclass_adds_its_fields_after_its_base() -> None:
    point = Point3(1, 2, z=3)
    assert repr(point) == "Point3(x=1, y=2, tags=(), z=3)"
    assert point != Point(1, 2)  # another class is never equal
    assert Point3.__match_args__ == ("x", "y", "tags", "notes", "z")  # type: ignore[attr-defined]


def test_frozen_records_refuse_assignment_and_deletion() -> None:
    point = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'x'"):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'x'"):
        del point.x  # type: ignore[misc]


def test_mutable_records_are_not_hashable_and_eq_false_compares_identity() -> None:
    counter = Counter()
    counter.counts = {"a": 1}
    assert counter == Counter({"a": 1})
    with pytest.raises(TypeError):
        hash(counter)
    assert Handle(1) != Handle(1)
    assert len({Handle(1), Handle(1)}) == 2


def test_replace_copy_and_pickle_keep_the_values() -> None:
    point = Point3(1, 2, ("t",), z=3)
    assert replace(point, z=9) == Point3(1, 2, ("t",), z=9)
    with pytest.raises(TypeError, match="has no field 'w'"):
        replace(point, w=1)
    assert pickle.loads(pickle.dumps(point)) == point
    assert copy.deepcopy(point) == point


def test_declaration_mistakes_fail_as_with_a_dataclass() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):

        @record
        class Misordered:
            a: int = 1
            b: int

    with pytest.raises(ValueError, match="mutable default list for field a"):

        @record
        class Shared:
            a: list[int] = []  # noqa: RUF012 - the mistake under test

    with pytest.raises(TypeError, match="do not run __post_init__"):

        @record
        class Posted:
            a: int

            def __post_init__(self) -> None: ...
