"""Base classes for request and response bodies."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

from api.core.errors import NUL_REFUSED


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set | frozenset):
        return any(_holds_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    return False  # nested models check their own fields


class WriteModel(BaseModel):
    """Request bodies: unknown fields are refused (422 naming the field), strings are stripped, and text holding
    the NUL character is refused (PostgreSQL cannot store it: it would fail deep in the write)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_character(cls, value: Any) -> Any:
        if _holds_nul(value):
            raise ValueError(NUL_REFUSED)
        return value


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Message(ReadModel):
    detail: str


ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]
Email = Annotated[
    str,
    StringConstraints(
        min_length=3,
        max_length=320,
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        strip_whitespace=True,
        to_lower=True,
    ),
]
Password = Annotated[str, StringConstraints(min_length=1, max_length=256)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^(en|fr|es)$")]
