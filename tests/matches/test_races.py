"""Concurrency: consents racing each other and racing a revision, on real commits and separate connections."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from api.core import audit
from api.core.actor import SYSTEM
from api.models.commitments import SupportRequestComponent
from api.models.matches import ConsentDecision, MatchEvent
from tests.conftest import SECRET, CommittedDatabase
from tests.factories import (
    create_offer,
    create_organisation,
    create_request,
    create_secretariat_user,
    create_user,
    session_token_for,
    sign_in_client,
)


async def setup(committed: CommittedDatabase) -> dict[str, Any]:
    async with committed.sessionmaker() as session, session.begin():
        audit.bind_actor(session, SYSTEM)
        state = await create_organisation(session, kind="state_institution", country="NER")
        offerer = await create_organisation(session, kind="stakeholder", country="FRA")
        request = await create_request(session, organisation=state, status="validated")
        offer = await create_offer(session, organisation=offerer, status="validated")
        component = (
            (
                await session.execute(
                    select(SupportRequestComponent).where(SupportRequestComponent.request_id == request.id)
                )
            )
            .scalars()
            .first()
        )
        assert component is not None
        tokens = {
            "secretariat": await session_token_for(session, await create_secretariat_user(session)),
            "state": await session_token_for(session, await create_user(session, organisation=state)),
            "offerer": await session_token_for(session, await create_user(session, organisation=offerer)),
        }
        item = {"request_component_id": str(component.id), "offer_id": str(offer.id)}
    clients = {name: sign_in_client(committed.client(), token, SECRET) for name, token in tokens.items()}
    match = (
        await clients["secretariat"].post(
            "/api/v1/matches", json={"items": [item], "justification": "Test setup: the pair chosen by hand"}
        )
    ).json()
    await clients["secretariat"].post(f"/api/v1/matches/{match['id']}/actions/request_consent")
    return {"clients": clients, "match": match, "item": item}


async def close(clients: dict[str, Any]) -> None:
    await asyncio.gather(*(c.aclose() for c in clients.values()))


async def test_two_parties_granting_at_once_make_one_transition_to_consented(committed: CommittedDatabase) -> None:
    world = await setup(committed)
    clients, match = world["clients"], world["match"]
    try:
        body = {"decision": "grant", "proposal_version": 1}
        responses = await asyncio.gather(
            clients["state"].post(f"/api/v1/matches/{match['id']}/consent", json=body),
            clients["offerer"].post(f"/api/v1/matches/{match['id']}/consent", json=body),
        )
        assert [r.status_code for r in responses] == [200, 200]
        assert "consented" in {r.json()["status"] for r in responses}
        async with committed.sessionmaker() as session:
            transitions = (
                (
                    await session.execute(
                        select(MatchEvent).where(MatchEvent.match_id == match["id"], MatchEvent.kind == "all_consented")
                    )
                )
                .scalars()
                .all()
            )
        assert len(transitions) == 1
    finally:
        await close(clients)


async def test_a_grant_racing_a_revision_is_never_counted_for_the_old_version(committed: CommittedDatabase) -> None:
    for _ in range(3):
        world = await setup(committed)
        clients, match, item = world["clients"], world["match"], world["item"]
        try:
            await clients["state"].post(
                f"/api/v1/matches/{match['id']}/consent", json={"decision": "grant", "proposal_version": 1}
            )
            grant, revision = await asyncio.gather(
                clients["offerer"].post(
                    f"/api/v1/matches/{match['id']}/consent", json={"decision": "grant", "proposal_version": 1}
                ),
                clients["secretariat"].post(
                    f"/api/v1/matches/{match['id']}/revision", json={"items": [item], "public_summary": "changed"}
                ),
            )
            assert revision.status_code == 200
            final = (await clients["secretariat"].get(f"/api/v1/matches/{match['id']}")).json()
            assert final["proposal_version"] == 2
            # Whatever the order, after the revision nobody's consent stands for version 2.
            assert all(p["consent_status"] == "pending" for p in final["parties"])
            assert final["status"] == "consent_pending"
            if grant.status_code == 409:
                assert grant.json()["error"] == "StaleProposal"
            async with committed.sessionmaker() as session:
                decisions = (
                    (await session.execute(select(ConsentDecision).where(ConsentDecision.match_id == match["id"])))
                    .scalars()
                    .all()
                )
            assert all(d.proposal_version == 1 for d in decisions)
        finally:
            await close(clients)
