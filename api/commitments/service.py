"""Rules shared by support requests and support offers: roles, references, components, transitions, ETags."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments import workflow
from api.commitments.schemas import ComponentIn
from api.commitments.validation import Checker, with_parents
from api.core import audit, clock
from api.core.actor import Actor
from api.core.errors import Forbidden, InvalidTransition, PreconditionFailed, PreconditionRequired, field_error
from api.models.commitments import SupportOffer, SupportRequest


class ComponentRow(Protocol):
    position: int
    area_code: str
    modalities: list[str]
    support_types: list[str]
    description: str


def roles_for(actor: Actor, *, owner_ids: Sequence[uuid.UUID]) -> frozenset[workflow.Role]:
    """The workflow roles `actor` holds on a record owned by `owner_ids` (owner first, then partners)."""
    roles: set[workflow.Role] = set()
    if actor.is_secretariat:
        roles.add("secretariat")
    if actor.kind == "system":
        roles.add("system")
    for organisation_id in owner_ids:
        if actor.is_focal_point_of(organisation_id):
            roles.update(("owner_focal_point", "owner_editor"))
        elif actor.can_edit_for(organisation_id):
            roles.add("owner_editor")
    return frozenset(roles)


async def next_reference(session: AsyncSession, *, prefix: str, sequence: str) -> str:
    """A human reference such as REQ-2026-00042, from a database sequence (unique under concurrency)."""
    number = (await session.execute(text(f"SELECT nextval('{sequence}')"))).scalar_one()
    return f"{prefix}-{clock.now().year}-{number:05d}"


async def check_components(checker: Checker, components: Sequence[ComponentIn], *, field: str = "components") -> None:
    for position, component in enumerate(components):
        await checker.check_area(f"{field}.{position}.area_code", component.area_code)
        await checker.check_codes(f"{field}.{position}.modalities", "modalities", component.modalities)
        await checker.check_codes(f"{field}.{position}.support_types", "support_types", component.support_types)


async def sync_components(
    session: AsyncSession, existing: Sequence[Any], wanted: Sequence[ComponentIn], *, factory: Any
) -> list[Any]:
    """Update components in place by position, add new ones, delete those beyond the new length.

    In place, not delete-and-insert: component ids are referenced by matches and must stay stable.
    """
    by_position = {row.position: row for row in existing}
    result = []
    for position, component in enumerate(wanted):
        row = by_position.pop(position, None)
        if row is None:
            row = factory(position=position)
            session.add(row)
        row.area_code = component.area_code
        row.modalities = list(component.modalities)
        row.support_types = list(component.support_types)
        row.description = component.description
        result.append(row)
    for row in by_position.values():
        await session.delete(row)
    return result


def refresh_denormalised(
    record: SupportRequest | SupportOffer, components: Sequence[ComponentRow], *, extra_search: Sequence[str] = ()
) -> None:
    """Keep the filter arrays and the search text in step with the components."""
    record.area_codes = with_parents(c.area_code for c in components)
    record.support_types = sorted({t for c in components for t in c.support_types})
    record.modalities = sorted({m for c in components for m in c.modalities})
    parts = [record.reference, record.title, record.public_summary, *(c.description for c in components), *extra_search]
    record.search_text = "\n".join(part for part in parts if part)


def etag(record: SupportRequest | SupportOffer | Any) -> str:
    return f'"{record.id}:{record.version}"'


def check_if_match(record: Any, if_match: str | None, *, required: bool = True) -> None:
    """428 without If-Match (when required), 412 when it names another version of the record."""
    if if_match is None:
        if required:
            raise PreconditionRequired("Send the record's ETag in If-Match to update it")
        return
    candidates = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" not in candidates and etag(record) not in candidates:
        raise PreconditionFailed("The record changed since you read it; reload it and apply your change again")


TIMESTAMP_FOR: dict[str, str] = {"submitted": "submitted_at", "validated": "validated_at", "closed": "closed_at"}


def perform_transition(
    session: AsyncSession,
    *,
    record: SupportRequest | SupportOffer,
    action: str,
    roles: frozenset[workflow.Role],
    label: str,
    reason: str | None = None,
) -> None:
    """Apply one workflow action, or refuse: 409 when the state does not allow it, 403 for the wrong role."""
    transition = workflow.transition_for(record.status, action)
    if transition is None:
        raise InvalidTransition(
            f"Cannot {action.replace('_', ' ')} a {label} that is {record.status.replace('_', ' ')}"
        )
    if not transition.roles & roles:
        raise Forbidden(f"You may not {action.replace('_', ' ')} this {label}")
    if action == "reject":
        if not reason:
            raise field_error("reason", "Give the reason for the rejection")
        record.rejection_reason = reason
    elif action == "revise":
        record.rejection_reason = None
    record.status = transition.target
    stamp = TIMESTAMP_FOR.get(transition.target)
    if stamp:
        setattr(record, stamp, clock.now())
    audit.label(session, record, f"{record.__tablename__}.{action}", note=reason)
