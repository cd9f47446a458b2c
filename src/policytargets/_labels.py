"""Bilingual labels and the small validators every model class shares."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal, TypeVar

from attrs import field, frozen

from ._errors import InvalidValueError

__all__ = ["Label", "Lang"]

Lang = Literal["zh", "en"]
E = TypeVar("E", bound=StrEnum)


def check_id(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: an id is non-empty text with no surrounding blanks."""
    if not isinstance(value, str) or not value or value != value.strip() or not value.isprintable():
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name}",
            "a non-empty printable id without surrounding spaces",
            value,
        )


def check_text(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: a string (possibly empty)."""
    if not isinstance(value, str):
        raise InvalidValueError(f"{type(instance).__name__}.{attribute.name}", "text", value)


def check_optional_text(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: a string or None."""
    if value is not None:
        check_text(instance, attribute, value)


def check_bool(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: exactly True or False (no truthy strings or numbers)."""
    if not isinstance(value, bool):
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name}", "True or False", value
        )


def check_instances(kind: type, name: str) -> Any:
    """attrs validator factory: a tuple whose items are all ``kind``."""

    def check(instance: object, attribute: Any, value: Any) -> None:
        where = f"{type(instance).__name__}.{attribute.name}"
        if not isinstance(value, tuple):
            raise InvalidValueError(where, f"a tuple of {name}", value)
        for i, item in enumerate(value):
            if not isinstance(item, kind):
                raise InvalidValueError(f"{where}[{i}]", f"a {name}", item)

    return check


def to_tuple(value: Any) -> Any:
    """attrs converter: lists (and other iterables but text) become tuples."""
    if isinstance(value, list | tuple):
        return tuple(value)
    return value


def to_enum(kind: type[E], where: str, value: Any) -> E:
    """A member of ``kind`` from itself or its value, for attrs converters.

    Refuses anything else with :class:`InvalidValueError` naming the field and
    the accepted values (``StrEnum("x")`` alone raises a bare ``ValueError``).
    """
    try:
        return kind(value)
    except (ValueError, TypeError):
        accepted = ", ".join(repr(m.value) for m in kind)
        raise InvalidValueError(where, f"one of {accepted}", value) from None


def check_instance(kind: type | tuple[type, ...], name: str, *, optional: bool = False) -> Any:
    """attrs validator factory: an instance of ``kind`` (or None when optional)."""

    def check(instance: object, attribute: Any, value: Any) -> None:
        if optional and value is None:
            return
        if not isinstance(value, kind):
            raise InvalidValueError(f"{type(instance).__name__}.{attribute.name}", name, value)

    return check


@frozen(kw_only=True)
class Label:
    """A name in Chinese and in English; at least one of the two is given.

    ``str(label)`` is the Chinese text when there is one; :meth:`text` picks a
    language and falls back to the other.
    """

    zh: str = field(default="", validator=check_text)
    en: str = field(default="", validator=check_text)

    def __attrs_post_init__(self) -> None:
        if not self.zh.strip() and not self.en.strip():
            raise InvalidValueError("Label", "a Chinese or an English text", (self.zh, self.en))

    def text(self, lang: Lang = "zh") -> str:
        """The label in ``lang``, or in the other language when that one is empty."""
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first or second

    def __str__(self) -> str:
        return self.text("zh")
