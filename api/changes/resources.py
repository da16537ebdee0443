"""The resources followed from the start: pledges, support requests and support offers."""

from __future__ import annotations

import uuid

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from api.changes.registry import register_feed_resource
from api.core.actor import Actor
from api.models.commitments import Pledge, SupportOffer, SupportRequest
from api.pledges import repository as pledges_repository
from api.pledges import service as pledges_service
from api.support_offers import repository as offers_repository
from api.support_offers import service as offers_service
from api.support_requests import repository as requests_repository
from api.support_requests import service as requests_service


async def _read_pledge(session: AsyncSession, actor: Actor, record_id: uuid.UUID) -> BaseModel:
    return await pledges_service.get(session, actor=actor, pledge_id=record_id)


async def _read_request(session: AsyncSession, actor: Actor, record_id: uuid.UUID) -> BaseModel:
    return await requests_service.get(session, actor=actor, request_id=record_id)


async def _read_offer(session: AsyncSession, actor: Actor, record_id: uuid.UUID) -> BaseModel:
    return await offers_service.get(session, actor=actor, offer_id=record_id)


register_feed_resource("pledge", Pledge, pledges_repository.visible_to, read=_read_pledge, scope="pledges:read")
register_feed_resource(
    "support_request", SupportRequest, requests_repository.visible_to, read=_read_request, scope="requests:read"
)
register_feed_resource(
    "support_offer", SupportOffer, offers_repository.visible_to, read=_read_offer, scope="offers:read"
)
