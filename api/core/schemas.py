"""Base classes for request and response bodies."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints


class WriteModel(BaseModel):
    """Request bodies: unknown fields are refused (422 naming the field), strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
