"""The event catalogue's machinery: one written definition per event type (docs/events.md).

Each capability declares its event types once, in its own `events.py`: a name constant and a
frozen dataclass, tied together by `@declare(NAME)`. The service that records an event builds
that dataclass, `journal.record()` checks it against the declaration before anything is stored
(`encode`), and the projection's handler receives it rebuilt from the stored JSON (`decode`).
The payloads are the sync protocol, so the checks are strict where a payload is written and
tolerant of what a newer node may have added where one is read.

A field is one of: str, int, float, bool, None, Any, a `Literal`, a union (`X | None`),
`list[X]`, `dict[str, X]`, or another frozen dataclass (a nested record, stored as an object).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Protocol, TypeVar


class PayloadMismatch(TypeError):
    """A payload does not match its event type's declaration: a programming error (or a damaged
    event), never the user's. The message names the event type and the field."""


class UnknownEventType(PayloadMismatch):
    """No capability declares this event type."""


class EventPayload(Protocol):
    """What a declared payload is: a dataclass instance."""

    __dataclass_fields__: ClassVar[dict[str, Any]]


P = TypeVar("P")

_declared: dict[str, type[Any]] = {}
_hints: dict[type[Any], dict[str, Any]] = {}


def declare(name: str) -> Callable[[type[P]], type[P]]:
    """Register `cls` (a frozen dataclass) as the payload of event type `name`."""

    def register(cls: type[P]) -> type[P]:
        params = getattr(cls, "__dataclass_params__", None)
        if params is None or not params.frozen:
            raise TypeError(f"the payload of {name} must be a frozen dataclass")
        if name in _declared:
            raise RuntimeError(f"event type {name!r} is declared twice")
        # Every annotation resolved and of a JSON kind now: a mistake fails at import.
        for field, hint in _hints_of(cls).items():
            if not _supported(hint):
                raise TypeError(f"{name}: field {field!r} has a type a payload cannot hold")
        _declared[name] = cls
        return cls

    return register


def declared() -> dict[str, type[Any]]:
    """Every declared event type and its payload class (of the modules imported so far)."""
    return dict(_declared)


def payload_class(name: str) -> type[Any]:
    try:
        return _declared[name]
    except KeyError:
        raise UnknownEventType(
            f"event type {name!r} is not declared (declare it in its capability's events.py)"
        ) from None


def encode(name: str, payload: EventPayload | Mapping[str, Any]) -> dict[str, Any]:
    """The wire form (a JSON object) of a payload of event type `name`, checked strictly: the
    declared dataclass or a mapping with exactly its fields, each of its declared type."""
    cls = payload_class(name)
    if isinstance(payload, cls):
        data = {f.name: getattr(payload, f.name) for f in dataclasses.fields(cls)}
    elif isinstance(payload, Mapping):
        data = dict(payload)
    else:
        raise PayloadMismatch(
            f"{name}: the payload must be a {cls.__name__}, not a {type(payload).__name__}"
        )
    return _checked_object(name, cls, data, strict=True)


def decode(name: str, data: Mapping[str, Any]) -> Any:
    """The payload object of a stored event. Fields the declaration does not know (added by a
    newer node) are ignored, missing optional ones take their defaults; a missing required field
    or a value of the wrong type is refused."""
    cls = payload_class(name)
    return _build(cls, _checked_object(name, cls, dict(data), strict=False))


# --- checking ------------------------------------------------------------------------------


def _checked_object(
    name: str, cls: type[Any], data: dict[str, Any], *, strict: bool
) -> dict[str, Any]:
    """`data` as a JSON object with the declared fields of `cls` only, checked; nested records
    come back as plain objects too."""
    hints = _hints_of(cls)
    out: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if field.name in data:
            value = data[field.name]
            out[field.name] = _checked(name, field.name, hints[field.name], value, strict)
        elif _required(field):
            raise PayloadMismatch(f"{name}: field {field.name!r} is missing")
    unexpected = sorted(set(data) - set(out))
    if strict and unexpected:
        raise PayloadMismatch(
            f"{name}: field {unexpected[0]!r} is not declared in {cls.__name__}"
            " (a new field needs a declaration with a default: docs/events.md)"
        )
    return out


def _required(field: dataclasses.Field[Any]) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


_SCALARS: dict[Any, tuple[type, ...]] = {
    str: (str,),
    bool: (bool,),
    int: (int,),
    float: (int, float),
    type(None): (type(None),),
}


def _checked(name: str, where: str, hint: Any, value: Any, strict: bool) -> Any:
    """`value` if it is of the declared type `hint` (nested records as objects), else refused."""
    if hint is Any:
        return value
    origin = typing.get_origin(hint)
    if hint in _SCALARS:
        # bool is an int in Python, not in a payload.
        if isinstance(value, _SCALARS[hint]) and (hint is bool or not isinstance(value, bool)):
            return value
    elif origin is typing.Literal:
        if value in typing.get_args(hint):
            return value
    elif origin in (typing.Union, types.UnionType):
        for option in typing.get_args(hint):
            try:
                return _checked(name, where, option, value, strict)
            except PayloadMismatch:
                continue
    elif origin is list:
        if isinstance(value, list | tuple):
            (item,) = typing.get_args(hint)
            return [_checked(name, f"{where}[{i}]", item, v, strict) for i, v in enumerate(value)]
    elif origin is dict:
        if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
            _, item = typing.get_args(hint)
            return {k: _checked(name, f"{where}.{k}", item, v, strict) for k, v in value.items()}
    elif dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if isinstance(value, hint):
            value = {f.name: getattr(value, f.name) for f in dataclasses.fields(hint)}
        if isinstance(value, Mapping):
            return _checked_object(f"{name}: {where}", hint, dict(value), strict=strict)
    raise PayloadMismatch(
        f"{name}: field {where!r} should be {_describe(hint)}, not {type(value).__name__}"
        f" {value!r:.60}"
    )


def _supported(hint: Any) -> bool:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any or hint in _SCALARS or origin is typing.Literal:
        return True
    if origin in (typing.Union, types.UnionType, list):
        return all(_supported(a) for a in args)
    if origin is dict:
        return args[0] is str and _supported(args[1])
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return all(_supported(h) for h in _hints_of(hint).values())
    return False


def _describe(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")


def _hints_of(cls: type[Any]) -> dict[str, Any]:
    hints = _hints.get(cls)
    if hints is None:
        hints = _hints[cls] = typing.get_type_hints(cls)
    return hints


def _build(cls: type[P], data: dict[str, Any]) -> P:
    """The dataclass of checked wire data, nested records made too."""
    hints = _hints_of(cls)
    values = {key: _made(hints[key], value) for key, value in data.items()}
    return cls(**values)


def _made(hint: Any, value: Any) -> Any:
    if dataclasses.is_dataclass(hint) and isinstance(hint, type) and isinstance(value, dict):
        return _build(hint, value)
    origin = typing.get_origin(hint)
    if origin is list and isinstance(value, list):
        (item,) = typing.get_args(hint)
        return [_made(item, v) for v in value]
    if origin in (typing.Union, types.UnionType) and isinstance(value, dict):
        for option in typing.get_args(hint):
            if dataclasses.is_dataclass(option):
                return _made(option, value)
    return value
