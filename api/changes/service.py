"""The change feed: integration clients with `changes:read` and the Secretariat follow what changed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from api.changes import registry, repository, schemas
from api.core.actor import Actor
from api.core.errors import Forbidden, field_error
from api.core.pagination import decode_cursor, encode_cursor

CURSOR_KEY = "changes"


def decode(cursor: str | None) -> repository.Position:
    if not cursor:
        return repository.Position()
    txid, event_id = decode_cursor(cursor, key=CURSOR_KEY, length=2)
    if not isinstance(txid, int) or not isinstance(event_id, int):
        raise field_error("query.cursor", "Invalid cursor: restart from the first page", "cursor_invalid")
    return repository.Position(txid, event_id)


def encode(position: repository.Position) -> str:
    return encode_cursor(CURSOR_KEY, [position.txid, position.event_id])


def resources_for(actor: Actor, wanted: Sequence[str] | None) -> list[str]:
    """The resources asked for (all those the caller may follow when none are named)."""
    allowed = registry.followed_by(actor)
    if not wanted:
        return allowed
    names = [name.strip() for value in wanted for name in value.split(",") if name.strip()]
    for position, name in enumerate(names):
        if name not in registry.FEED_RESOURCES:
            known = ", ".join(sorted(registry.FEED_RESOURCES))
            raise field_error(f"query.resources.{position}", f"Unknown resource '{name}'; use {known}")
        if name not in allowed:
            raise Forbidden(f"This client lacks the scope '{registry.FEED_RESOURCES[name].scope}' to follow {name}")
    return list(dict.fromkeys(names))


async def page(
    session: AsyncSession, *, actor: Actor, cursor: str | None, limit: int, resources: Sequence[str] | None
) -> schemas.ChangePage:
    """Changes after `cursor`, in commit order, to records the caller may currently see."""
    if actor.kind == "user" and not actor.is_secretariat:
        raise Forbidden("The change feed is for integration clients and the Secretariat")
    changes, position, more = await repository.scan(
        session,
        actor,
        after=decode(cursor),
        resources=resources_for(actor, resources),
        limit=limit,
        scan_limit=max(limit * 10, 1000),
    )
    return schemas.ChangePage(
        items=[
            schemas.Change(
                resource=change.resource,
                id=change.record_id,
                version=change.version,
                operation=change.operation,
                event_type=registry.event_type(change.resource, change.operation),
                time=change.occurred_at,
            )
            for change in changes
        ],
        next_cursor=encode(position),
        has_more=more,
    )
