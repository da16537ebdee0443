"""Which records the change feed and webhooks follow, and how each is seen.

A module whose model sets `__change_feed__` registers the resource here with the same visibility predicate
its own reads use, so the feed lists only changes to records the caller may currently see, and webhooks
build their payloads through the resource's normal read path.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from api.core.actor import Actor

Reader = Callable[[AsyncSession, Actor, uuid.UUID], Awaitable[BaseModel]]
OPERATIONS = {"insert": "created", "update": "updated", "delete": "deleted"}


@dataclass(frozen=True)
class FeedResource:
    name: str
    model: Any
    visible_to: Callable[[Actor], ColumnElement[bool]]
    # The read path webhooks use to build a payload; raises NotFound when the caller may not see the record.
    read: Reader | None
    # The scope an integration client needs to follow the resource.
    scope: str | None


FEED_RESOURCES: dict[str, FeedResource] = {}


def register_feed_resource(
    name: str,
    model: Any,
    visible_to: Callable[[Actor], ColumnElement[bool]],
    *,
    read: Reader | None = None,
    scope: str | None = None,
) -> None:
    """Follow `model` (whose `__change_feed__` is `name`; its primary key is `id`) in the feed and webhooks."""
    if getattr(model, "__change_feed__", None) != name:
        raise ValueError(f"{model.__name__}.__change_feed__ must be {name!r} to register it under that name")
    FEED_RESOURCES[name] = FeedResource(name, model, visible_to, read, scope)


def event_types() -> list[str]:
    """Every webhook event type: `<resource>.created|updated|deleted`."""
    return [f"{name}.{verb}" for name in sorted(FEED_RESOURCES) for verb in OPERATIONS.values()]


def event_type(resource: str, operation: str) -> str:
    return f"{resource}.{OPERATIONS.get(operation, operation)}"


def followed_by(actor: Actor) -> list[str]:
    """The resources `actor` may follow: all for users, those of its read scopes for clients."""
    return sorted(
        name for name, resource in FEED_RESOURCES.items() if resource.scope is None or actor.has_scope(resource.scope)
    )
