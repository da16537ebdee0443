"""Run-time defaults: consent deadlines and reminders, reporting intervals. Stored in `platform_settings`;
a key never set reads its default here."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.core import clock
from api.core.actor import Actor
from api.core.errors import Forbidden, field_error
from api.models.matches import PlatformSetting


class PlatformSettings(BaseModel):
    consent_deadline_days: int = Field(default=30, ge=1, le=365, description="Days parties have to consent")
    consent_reminder_days: list[int] = Field(
        default_factory=lambda: [7, 2], description="Reminders this many days before the consent deadline"
    )
    reporting_interval_months: int = Field(default=6, ge=1, le=24, description="Default reporting period")
    report_reminder_days: int = Field(default=14, ge=0, le=120, description="Reminder before a report is due")
    report_overdue_grace_days: int = Field(default=30, ge=0, le=180, description="Due report becomes overdue after")


DEFAULTS = PlatformSettings()


async def get(session: AsyncSession, key: str) -> Any:
    if key not in PlatformSettings.model_fields:
        raise KeyError(key)
    stored = await session.get(PlatformSetting, key)
    return stored.value if stored is not None else getattr(DEFAULTS, key)


async def read_all(session: AsyncSession) -> PlatformSettings:
    rows = (await session.execute(select(PlatformSetting))).scalars().all()
    values = {row.key: row.value for row in rows if row.key in PlatformSettings.model_fields}
    return PlatformSettings.model_validate({**DEFAULTS.model_dump(), **values})


async def update(session: AsyncSession, *, actor: Actor, changes: dict[str, Any]) -> PlatformSettings:
    """Change settings (the Secretariat); the whole result is validated before anything is stored."""
    if not actor.is_secretariat:
        raise Forbidden("Only the Secretariat changes platform settings")
    current = (await read_all(session)).model_dump()
    unknown = set(changes) - set(PlatformSettings.model_fields)
    if unknown:
        raise field_error(sorted(unknown)[0], "Unknown setting")
    merged = PlatformSettings.model_validate({**current, **changes})
    for key in changes:
        value = getattr(merged, key)
        row = await session.get(PlatformSetting, key)
        if row is None:
            session.add(PlatformSetting(key=key, value=value, updated_at=clock.now(), updated_by_user_id=actor.user_id))
        else:
            row.value = value
            row.updated_at = clock.now()
            row.updated_by_user_id = actor.user_id
    await session.flush()
    return merged
