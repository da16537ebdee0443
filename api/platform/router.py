"""Platform settings (read by signed-in users, changed by the Secretariat)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.auth.dependencies import SecretariatDep, SignedInDep
from api.core.db import SessionDep
from api.core.schemas import WriteModel
from api.platform import settings as service
from api.platform.settings import PlatformSettings

router = APIRouter(prefix="/platform-settings", tags=["platform settings"])


class PlatformSettingsUpdate(PlatformSettings, WriteModel):
    """The settings as a request body: unknown keys refused, like every body."""


@router.get("", response_model=PlatformSettings)
async def get_platform_settings(session: SessionDep, actor: SignedInDep) -> PlatformSettings:
    return await service.read_all(session)


@router.patch("", response_model=PlatformSettings)
async def update_platform_settings(
    body: PlatformSettingsUpdate, session: SessionDep, actor: SecretariatDep
) -> PlatformSettings:
    """Change defaults such as the consent deadline; only the fields sent change."""
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    return await service.update(session, actor=actor, changes=changes)
