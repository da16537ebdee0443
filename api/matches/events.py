"""Writing the match timeline."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.core import clock
from api.core.actor import Actor
from api.models.matches import Match, MatchEvent


def record_event(
    session: AsyncSession,
    match: Match,
    kind: str,
    *,
    actor: Actor,
    audience: str = "all",
    party_id: uuid.UUID | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Add an event to the match's timeline (who may read it is decided when it is read)."""
    session.add(
        MatchEvent(
            match_id=match.id,
            kind=kind,
            audience=audience,
            party_id=party_id,
            actor_user_id=actor.user_id,
            data=data or {},
            occurred_at=clock.now(),
        )
    )
