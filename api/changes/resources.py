"""The resources the change feed and webhooks follow: pledges, support requests and offers, matches,
progress reports and knowledge items, each with its own visibility predicate and read path."""

from __future__ import annotations

import uuid

from pydantic import BaseModel
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import True_

from api.changes.registry import register_feed_resource
from api.core.actor import Actor
from api.knowledge import repository as knowledge_repository
from api.knowledge import service as knowledge_service
from api.matches import repository as matches_repository
from api.matches import service as matches_service
from api.models.commitments import Pledge, SupportOffer, SupportRequest
from api.models.knowledge import KnowledgeItem
from api.models.matches import Match
from api.models.reports import ProgressReport, ReportingSchedule
from api.pledges import repository as pledges_repository
from api.pledges import service as pledges_service
from api.reports import repository as reports_repository
from api.reports import service as reports_service
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


async def _read_match(session: AsyncSession, actor: Actor, record_id: uuid.UUID) -> BaseModel:
    # The facilitator's, a party's or the public (redacted) view, as the caller reads it anywhere else.
    return await matches_service.get(session, actor=actor, match_id=record_id)


async def _read_report(session: AsyncSession, actor: Actor, record_id: uuid.UUID) -> BaseModel:
    return await reports_service.get(session, actor=actor, report_id=record_id)


async def _read_knowledge_item(session: AsyncSession, actor: Actor, record_id: uuid.UUID) -> BaseModel:
    # The editors' view for the author organisation and the Secretariat, the public view otherwise.
    return await knowledge_service.get(session, actor=actor, item_id=record_id)


def report_visible_to(actor: Actor) -> ColumnElement[bool]:
    """The reports' own predicate (it reads the report's reporting schedule), as a condition on the report."""
    predicate = reports_repository.visible_to(actor)
    if isinstance(predicate, True_):
        return predicate
    return ProgressReport.schedule_id.in_(select(ReportingSchedule.id).where(predicate))


register_feed_resource("pledge", Pledge, pledges_repository.visible_to, read=_read_pledge, scope="pledges:read")
register_feed_resource(
    "support_request", SupportRequest, requests_repository.visible_to, read=_read_request, scope="requests:read"
)
register_feed_resource(
    "support_offer", SupportOffer, offers_repository.visible_to, read=_read_offer, scope="offers:read"
)
register_feed_resource("match", Match, matches_repository.visible_to, read=_read_match, scope="matches:read")
register_feed_resource("progress_report", ProgressReport, report_visible_to, read=_read_report, scope="reports:read")
register_feed_resource(
    "knowledge_item",
    KnowledgeItem,
    knowledge_repository.visible_to,
    read=_read_knowledge_item,
    scope="knowledge:read",
)
