"""Light metadata for the records' field types, read by the validator only when it runs.

Importing the domain costs next to nothing (the app paints its first week
before any validation library is loaded): these markers hold the limits and
checks as plain data, and turn into validation schema on first use through
``__get_pydantic_core_schema__``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, NamedTuple

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema


class _Meta:
    """Metadata that changes the validation schema of the type it annotates."""

    __slots__ = ()

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return self.apply(handler(source))

    def apply(self, schema: CoreSchema) -> CoreSchema:
        return schema


class Strict(_Meta):
    """No conversion between types: 5 is not "5", true is not 1."""

    __slots__ = ()

    def apply(self, schema: CoreSchema) -> CoreSchema:
        return {**schema, "strict": True}


class OneOf(_Meta):
    """One of a fixed set of words (a role, a status): exactly as written."""

    __slots__ = ("values",)

    def __init__(self, values: tuple[str, ...]) -> None:
        self.values = values

    def apply(self, schema: CoreSchema) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.literal_schema(list(self.values))


class Range(_Meta):
    """A number between ``minimum`` and ``maximum``, both included."""

    __slots__ = ("minimum", "maximum")

    def __init__(self, minimum: float, maximum: float) -> None:
        self.minimum = minimum
        self.maximum = maximum

    def apply(self, schema: CoreSchema) -> CoreSchema:
        return {**schema, "ge": self.minimum, "le": self.maximum}


class Length(_Meta):
    """Text of ``minimum`` to ``maximum`` characters."""

    __slots__ = ("minimum", "maximum")

    def __init__(self, minimum: int, maximum: int) -> None:
        self.minimum = minimum
        self.maximum = maximum

    def apply(self, schema: CoreSchema) -> CoreSchema:
        return {**schema, "min_length": self.minimum, "max_length": self.maximum}


def _takes_info(func: Callable[..., Any]) -> bool:
    return len(inspect.signature(func).parameters) >= 2


class Before(_Meta):
    """``func(value[, info])`` runs on the raw input first (parsing text, resolving a ref)."""

    __slots__ = ("func",)

    def __init__(self, func: Callable[..., Any]) -> None:
        self.func = func

    def apply(self, schema: CoreSchema) -> CoreSchema:
        from pydantic_core import core_schema

        if _takes_info(self.func):
            return core_schema.with_info_before_validator_function(self.func, schema)
        return core_schema.no_info_before_validator_function(self.func, schema)


class After(_Meta):
    """``func(value[, info])`` checks (and may return) the value once its type is right."""

    __slots__ = ("func",)

    def __init__(self, func: Callable[..., Any]) -> None:
        self.func = func

    def apply(self, schema: CoreSchema) -> CoreSchema:
        from pydantic_core import core_schema

        if _takes_info(self.func):
            return core_schema.with_info_after_validator_function(self.func, schema)
        return core_schema.no_info_after_validator_function(self.func, schema)


# -- markers read by the document writer (and reader) ----------------------------------------------


class Wire(NamedTuple):
    """How a value is written into a document (its validator reads it back)."""

    dump: Callable[[Any], Any]


class Key(NamedTuple):
    """The document's key for a field whose name differs (``from`` for ``Leave.start``)."""

    name: str


class OmitDefault:
    """A document leaves the key out while the value is the default (``"active": true``)."""

    def __repr__(self) -> str:
        return "OMIT_DEFAULT"


OMIT_DEFAULT: Final = OmitDefault()


class NotInDocument:
    """A field the document never carries (kept in the database only)."""


NOT_IN_DOCUMENT: Final = NotInDocument()
