"""Records: the typed values every stage passes on, frozen unless a class says otherwise.

A record is declared like a dataclass (annotated fields, defaults, `field(...)`) and behaves like
one: keyword or positional construction, equality and hashing over the compared fields, a
`Name(field=value, ...)` repr, `FrozenInstanceError` on assignment. `dataclasses.dataclass`
builds six functions per class, each through its own `exec`, and looks at every annotation;
with some seventy classes that was 40 ms of every command's start (issue 18, measured with
`python -X importtime`). A record builds one function, its `__init__`; equality, hashing,
ordering, repr and the frozen guard are shared functions reading the class's field names.

`replace` is `dataclasses.replace` for records.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, get_origin, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:  # typing has it from Python 3.11; type checkers are all it is for

    def dataclass_transform(**kwargs: Any) -> Callable[[T], T]:
        return lambda function: function

T = TypeVar("T")

_FACTORY = object()  # the default of a parameter whose value a factory makes


class _Field:
    __slots__ = ("default", "default_factory", "repr", "compare", "name")

    def __init__(self, default: Any, default_factory: Any, repr: bool, compare: bool) -> None:
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare
        self.name = ""


def field(*, default: Any = MISSING, default_factory: Callable[[], Any] | Any = MISSING, repr: bool = True,
          compare: bool = True) -> Any:
    """A field with a default made per instance, or left out of the repr or of equality."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("a field cannot have both a default and a default_factory")
    return _Field(default, default_factory, repr, compare)


@overload
@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(*, frozen: bool = True, eq: bool = True, order: bool = False) -> Callable[[type[T]], type[T]]: ...


def record(cls: type[T] | None = None, /, *, frozen: bool = True, eq: bool = True,
           order: bool = False) -> type[T] | Callable[[type[T]], type[T]]:
    """Make `cls` a record (`@record`, or `@record(frozen=False)`, `@record(eq=False)`, `@record(order=True)`)."""

    def make(cls: type[T]) -> type[T]:
        return _make(cls, frozen=frozen, eq=eq, order=order)

    return make if cls is None else make(cls)


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of the record `obj` with `changes`."""
    values = {name: getattr(obj, name) for name in type(obj).__record_fields__}  # type: ignore[attr-defined]
    unknown = changes.keys() - values.keys()
    if unknown:
        raise TypeError(f"{type(obj).__qualname__} has no field {sorted(unknown)[0]!r}")
    values.update(changes)
    return type(obj)(**values)


def _is_class_var(annotation: Any) -> bool:
    if isinstance(annotation, str):
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    return annotation is ClassVar or get_origin(annotation) is ClassVar


def _fields_of(cls: type) -> dict[str, _Field]:
    """The fields of `cls`: its record bases' first (in MRO order), then its own annotations."""
    fields: dict[str, _Field] = {}
    for base in reversed(cls.__mro__[1:]):
        fields.update(base.__dict__.get("__record_fields__", {}))
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if _is_class_var(annotation):
            continue
        value = cls.__dict__.get(name, MISSING)
        spec = value if isinstance(value, _Field) else _Field(value, MISSING, True, True)
        if isinstance(spec.default, (list, dict, set)):
            raise ValueError(f"mutable default {type(spec.default).__name__} for field {name}: use default_factory")
        spec.name = name
        fields[name] = spec
        if spec.default is MISSING:
            if name in cls.__dict__:
                delattr(cls, name)
        else:
            setattr(cls, name, spec.default)
    return fields


def _init_source(cls: type, fields: dict[str, _Field]) -> tuple[str, dict[str, Any]]:
    names: dict[str, Any] = {"__name__": cls.__module__, "_FACTORY": _FACTORY}
    parameters, body = [], ["    _d = self.__dict__"]
    seen_default = False
    for name, spec in fields.items():
        if spec.default is not MISSING:
            names[f"_d_{name}"] = spec.default
            parameters.append(f"{name}=_d_{name}")
            seen_default = True
        elif spec.default_factory is not MISSING:
            names[f"_f_{name}"] = spec.default_factory
            parameters.append(f"{name}=_FACTORY")
            body.append(f"    if {name} is _FACTORY:\n        {name} = _f_{name}()")
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {name!r} follows default argument")
        else:
            parameters.append(name)
        body.append(f"    _d[{name!r}] = {name}")
    return f"def __init__(self, {', '.join(parameters)}):\n" + "\n".join(body) + "\n", names


def _make(cls: type[T], *, frozen: bool, eq: bool, order: bool) -> type[T]:
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__qualname__}: records do not run __post_init__")
    fields = _fields_of(cls)
    source, names = _init_source(cls, fields)
    exec(source, names)  # noqa: S102 - the source is built above from the class's own field names
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    compared = [name for name, spec in fields.items() if spec.compare]
    added: dict[str, Any] = {
        "__init__": init,
        "__record_fields__": fields,
        "__match_args__": tuple(fields),
        "__record_key__": staticmethod(_key(compared)),
        "__record_repr__": tuple(name for name, spec in fields.items() if spec.repr),
    }
    if eq:
        class_hash = cls.__dict__.get("__hash__", MISSING)
        if class_hash is MISSING or (class_hash is None and "__eq__" in cls.__dict__):
            # As a dataclass: frozen and compared is hashable; mutable and compared is not.
            added["__hash__"] = _hash if frozen else None
    if frozen:
        added.update(__setattr__=_frozen_setattr, __delattr__=_frozen_delattr)
    shared: list[tuple[str, Callable[..., Any]]] = [("__repr__", _repr)]
    if eq:
        shared.append(("__eq__", _eq))
    if order:
        shared += [("__lt__", _lt), ("__le__", _le), ("__gt__", _gt), ("__ge__", _ge)]
    # Methods the class body defines itself stay, as with a dataclass.
    added.update((name, function) for name, function in shared if name not in cls.__dict__)
    for name, value in added.items():
        setattr(cls, name, value)
    return cls


def _key(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    if not names:
        return lambda obj: ()
    if len(names) == 1:
        only = operator.attrgetter(names[0])
        return lambda obj: (only(obj),)
    return operator.attrgetter(*names)


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_repr__)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self.__record_key__(self) == other.__record_key__(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__record_key__(self))


def _lt(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self.__record_key__(self) < other.__record_key__(other)
    return NotImplemented


def _le(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self.__record_key__(self) <= other.__record_key__(other)
    return NotImplemented


def _gt(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self.__record_key__(self) > other.__record_key__(other)
    return NotImplemented


def _ge(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self.__record_key__(self) >= other.__record_key__(other)
    return NotImplemented


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
