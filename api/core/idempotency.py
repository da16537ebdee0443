"""`Idempotency-Key` on creates: a retried request gets the first response again instead of a duplicate.

The key row is inserted at the start of the request's transaction. A concurrent request with the same key
blocks on the unique index until the first commits, then finds the stored response and replays it; if the
first failed (rolled back), the second simply proceeds. Same key with another body is a 422.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.core import audit, clock
from api.core.actor import Actor
from api.core.errors import ValidationFailed, field_error
from api.models.idempotency import IdempotencyKey

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=200, description="Retry-safe creates: reuse the key to retry"),
]


def _caller(actor: Actor) -> str:
    if actor.user_id is not None:
        return f"user:{actor.user_id}"
    if actor.client_id is not None:
        return f"client:{actor.client_id}"
    return f"{actor.kind}:-"


def _hash(body: BaseModel | dict[str, Any] | None) -> str:
    data = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


async def idempotent(
    session: AsyncSession,
    *,
    actor: Actor,
    key: str | None,
    scope: str,
    body: BaseModel | dict[str, Any] | None,
    status_code: int,
    create: Callable[[], Awaitable[BaseModel]],
    headers: Callable[[BaseModel], dict[str, str]] | None = None,
) -> JSONResponse:
    """Run `create` once per (caller, key); replay its stored response for retries."""
    if key is None:
        result = await create()
        return JSONResponse(
            result.model_dump(mode="json"), status_code=status_code, headers=headers(result) if headers else None
        )
    if not key.strip():
        raise field_error("header.Idempotency-Key", "The key must not be blank")
    caller, request_hash = _caller(actor), _hash(body)
    inserted = (
        await session.execute(
            insert(IdempotencyKey)
            .values(caller=caller, key=key, scope=scope, request_hash=request_hash, created_at=clock.now())
            .on_conflict_do_nothing(index_elements=["caller", "key"])
            .returning(IdempotencyKey.id)
        )
    ).scalar_one_or_none()
    if inserted is None:
        stored = (
            await session.execute(
                select(IdempotencyKey).where(IdempotencyKey.caller == caller, IdempotencyKey.key == key)
            )
        ).scalar_one()
        if stored.scope != scope or stored.request_hash != request_hash:
            raise ValidationFailed(
                "This Idempotency-Key was already used with another request; use a new key",
                code="IdempotencyKeyReused",
            )
        assert stored.status_code is not None and stored.response_body is not None
        await audit.record(session, action="idempotency.replayed", record_type=scope, note=key)
        return JSONResponse(
            stored.response_body, status_code=stored.status_code, headers={"Idempotent-Replayed": "true"}
        )
    result = await create()
    payload = result.model_dump(mode="json")
    await session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.id == inserted)
        .values(status_code=status_code, response_body=payload)
    )
    return JSONResponse(payload, status_code=status_code, headers=headers(result) if headers else None)
