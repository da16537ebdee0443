"""Support requests: drafting, editing with ETags, the workflow, the scope rule, lists, search, idempotency."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments import workflow
from api.models.commitments import COMMITMENT_STATUSES, ExistingSupport, SupportRequest
from api.models.identity import Organisation
from tests.factories import (
    create_member,
    create_organisation,
    create_pledge,
    create_request,
    create_secretariat_user,
    create_user,
)


def request_body(organisation: Organisation, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Strengthening refugee status determination",
        "organisation_id": str(organisation.id),
        "components": [
            {
                "area_code": "procedures.rsd",
                "modalities": ["training", "remote_advice"],
                "support_types": ["technical"],
                "description": "Interview techniques for new eligibility officers",
            },
            {
                "area_code": "procedures.coi",
                "modalities": ["study_visit"],
                "support_types": ["technical", "material"],
                "description": "Setting up a country of origin information unit",
            },
        ],
        "qualities": ["fairness", "efficiency"],
        "languages": ["fr", "en"],
        "urgency": "high",
        "public_summary": "The asylum authority seeks support for first-instance decisions.",
        "confidential_details": "Budget constraints described in the annex",
        "contacts": [{"name": "A. Focal", "email": "focal@example.gov"}],
        "attachments": [{"title": "Needs assessment", "url": "https://example.gov/needs.pdf"}],
    }
    body.update(overrides)
    return body


@pytest.fixture
async def state(db: AsyncSession) -> tuple[Any, Organisation]:
    government = await create_organisation(db, kind="state_government", country="NER")
    institution = await create_organisation(db, kind="state_institution", country="NER", parent=government)
    user = await create_user(db, organisation=institution)
    return user, institution


class TestCreate:
    async def test_focal_point_drafts_a_request(self, state: Any, as_user: Any) -> None:
        user, organisation = state
        client = await as_user(user)
        response = await client.post("/api/v1/support-requests", json=request_body(organisation))
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["view"] == "full" and body["status"] == "draft"
        assert body["reference"].startswith("REQ-") and body["country_iso3"] == "NER"
        assert [c["area_code"] for c in body["components"]] == ["procedures.rsd", "procedures.coi"]
        assert body["components"][0]["status"] == "open"
        assert body["allowed_actions"] == ["submit", "withdraw"]
        assert body["can_edit"] is True
        assert response.headers["etag"] == f'"{body["id"]}:1"'
        assert response.headers["location"].endswith(body["id"])

    async def test_an_editor_drafts_but_a_viewer_cannot(self, db: AsyncSession, state: Any, as_user: Any) -> None:
        _, organisation = state
        editor = await create_user(db, organisation=organisation, role="editor")
        viewer = await create_user(db, organisation=organisation, role="viewer")
        assert (
            await (await as_user(editor)).post("/api/v1/support-requests", json=request_body(organisation))
        ).status_code == 201
        response = await (await as_user(viewer)).post("/api/v1/support-requests", json=request_body(organisation))
        assert response.status_code == 403

    async def test_another_organisation_cannot_draft_for_a_state(
        self, db: AsyncSession, state: Any, as_user: Any
    ) -> None:
        _, organisation = state
        stranger, _ = await create_member(db)
        response = await (await as_user(stranger)).post("/api/v1/support-requests", json=request_body(organisation))
        assert response.status_code == 403

    async def test_a_stakeholder_cannot_be_the_requester(self, db: AsyncSession, as_user: Any) -> None:
        user, stakeholder = await create_member(db)
        response = await (await as_user(user)).post("/api/v1/support-requests", json=request_body(stakeholder))
        assert response.status_code == 422
        assert response.json()["fields"][0]["field"] == "organisation_id"

    async def test_invalid_codes_are_named_field_by_field(self, state: Any, as_user: Any) -> None:
        user, organisation = state
        body = request_body(organisation, languages=["xx"])
        body["components"][1]["area_code"] = "procedures.nope"
        body["components"][0]["modalities"] = ["telepathy"]
        response = await (await as_user(user)).post("/api/v1/support-requests", json=body)
        assert response.status_code == 422
        fields = {f["field"] for f in response.json()["fields"]}
        assert fields == {"components.1.area_code", "components.0.modalities.0", "languages.0"}

    async def test_a_request_needs_a_component(self, state: Any, as_user: Any) -> None:
        user, organisation = state
        response = await (await as_user(user)).post(
            "/api/v1/support-requests", json=request_body(organisation, components=[])
        )
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "body.components"

    async def test_joint_stakeholders_and_pledges_are_linked(self, db: AsyncSession, state: Any, as_user: Any) -> None:
        user, organisation = state
        partner = await create_organisation(db, kind="stakeholder", contributor_type="academia")
        pledge = await create_pledge(db, organisations=(organisation,))
        body = request_body(organisation, partner_organisation_ids=[str(partner.id)], pledge_ids=[str(pledge.id)])
        created = (await (await as_user(user)).post("/api/v1/support-requests", json=body)).json()
        assert [p["id"] for p in created["partners"]] == [str(partner.id)]
        assert [p["external_id"] for p in created["pledges"]] == [pledge.external_id]
        partner_user = await create_user(db, organisation=partner)
        seen = (await (await as_user(partner_user)).get(f"/api/v1/support-requests/{created['id']}")).json()
        assert seen["view"] == "full"

    async def test_timeframe_must_be_ordered(self, state: Any, as_user: Any) -> None:
        user, organisation = state
        body = request_body(organisation, starts_on="2027-05-01", ends_on="2027-01-01")
        response = await (await as_user(user)).post("/api/v1/support-requests", json=body)
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "ends_on"


class TestUpdate:
    async def test_update_requires_if_match(self, state: Any, as_user: Any) -> None:
        user, organisation = state
        client = await as_user(user)
        created = await client.post("/api/v1/support-requests", json=request_body(organisation))
        url = f"/api/v1/support-requests/{created.json()['id']}"
        missing = await client.patch(url, json={"title": "A better title"})
        assert missing.status_code == 428 and missing.json()["error"] == "PreconditionRequired"
        ok = await client.patch(url, json={"title": "A better title"}, headers={"If-Match": created.headers["etag"]})
        assert ok.status_code == 200 and ok.json()["version"] == 2
        stale = await client.patch(url, json={"title": "Another"}, headers={"If-Match": created.headers["etag"]})
        assert stale.status_code == 412 and stale.json()["error"] == "PreconditionFailed"

    async def test_components_are_updated_in_place_by_position(self, state: Any, as_user: Any) -> None:
        user, organisation = state
        client = await as_user(user)
        created = await client.post("/api/v1/support-requests", json=request_body(organisation))
        first_id = created.json()["components"][0]["id"]
        components = [{"area_code": "procedures.backlog", "support_types": ["technical"], "description": "Backlog"}]
        response = await client.patch(
            f"/api/v1/support-requests/{created.json()['id']}",
            json={"components": components},
            headers={"If-Match": created.headers["etag"]},
        )
        assert response.status_code == 200
        assert [(c["id"], c["area_code"]) for c in response.json()["components"]] == [(first_id, "procedures.backlog")]

    async def test_owner_cannot_edit_after_validation_but_the_secretariat_can(
        self, db: AsyncSession, state: Any, as_user: Any
    ) -> None:
        user, organisation = state
        record = await create_request(db, organisation=organisation, status="validated")
        etag = f'"{record.id}:{record.version}"'
        owner = await as_user(user)
        refused = await owner.patch(
            f"/api/v1/support-requests/{record.id}", json={"title": "Changed"}, headers={"If-Match": etag}
        )
        assert refused.status_code == 403
        admin = await as_user(await create_secretariat_user(db))
        allowed = await admin.patch(
            f"/api/v1/support-requests/{record.id}", json={"title": "Changed"}, headers={"If-Match": etag}
        )
        assert allowed.status_code == 200


ROLE_FOR_ACTOR = {"owner_focal_point": "owner", "owner_editor": "editor", "secretariat": "secretariat"}


class TestWorkflow:
    @pytest.mark.parametrize(("status", "action"), list(itertools.product(COMMITMENT_STATUSES, workflow.ACTIONS)))
    async def test_each_action_from_each_status(
        self, status: str, action: str, db: AsyncSession, state: Any, as_user: Any
    ) -> None:
        """Allowed transitions work for a role holding them; every other combination is a 409 or 403."""
        user, organisation = state
        record = await create_request(db, organisation=organisation, status=status)
        transition = workflow.transition_for(status, action)
        human_roles = (transition.roles - {"system"}) if transition else frozenset()
        if transition is not None and human_roles:
            role = sorted(human_roles)[0]
            actor = user if role != "secretariat" else await create_secretariat_user(db)
            if role == "owner_editor":
                actor = await create_user(db, organisation=organisation, role="editor")
            client = await as_user(actor)
            response = await client.post(
                f"/api/v1/support-requests/{record.id}/actions/{action}", json={"reason": "Not about asylum"}
            )
            assert response.status_code == 200, response.text
            assert response.json()["status"] == transition.target
        else:
            admin = await as_user(await create_secretariat_user(db))
            response = await admin.post(f"/api/v1/support-requests/{record.id}/actions/{action}", json={"reason": "x"})
            assert response.status_code in (403, 409), response.text
            if transition is None:
                assert response.json()["error"] == "InvalidTransition"

    async def test_reject_needs_a_reason(self, db: AsyncSession, state: Any, as_user: Any) -> None:
        _, organisation = state
        record = await create_request(db, organisation=organisation, status="submitted")
        admin = await as_user(await create_secretariat_user(db))
        response = await admin.post(f"/api/v1/support-requests/{record.id}/actions/reject")
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "reason"

    async def test_an_editor_cannot_submit(self, db: AsyncSession, state: Any, as_user: Any) -> None:
        _, organisation = state
        record = await create_request(db, organisation=organisation)
        editor = await create_user(db, organisation=organisation, role="editor")
        response = await (await as_user(editor)).post(f"/api/v1/support-requests/{record.id}/actions/submit")
        assert response.status_code == 403

    async def test_transitions_are_audited_with_their_business_name(
        self, db: AsyncSession, state: Any, as_user: Any
    ) -> None:
        from api.models.audit import AuditEvent

        user, organisation = state
        record = await create_request(db, organisation=organisation)
        response = await (await as_user(user)).post(f"/api/v1/support-requests/{record.id}/actions/submit")
        actions = (
            await db.execute(
                select(AuditEvent.action, AuditEvent.changes).where(
                    AuditEvent.request_id == response.headers["x-request-id"]
                )
            )
        ).all()
        assert tuple(a for a, _ in actions if a.startswith("support_requests")) == ("support_requests.submit",)
        changes = next(c for a, c in actions if a == "support_requests.submit")
        assert changes["status"] == {"before": "draft", "after": "submitted"}


class TestScopeRule:
    async def test_submitting_a_request_outside_asylum_records_its_rejection(
        self, db: AsyncSession, state: Any, as_user: Any
    ) -> None:
        user, organisation = state
        record = await create_request(
            db, organisation=organisation, areas=("non_asylum.migration", "non_asylum.border")
        )
        response = await (await as_user(user)).post(f"/api/v1/support-requests/{record.id}/actions/submit")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "rejected"
        assert "Out of scope" in body["rejection_reason"] and "non_asylum.migration" in body["rejection_reason"]

    async def test_a_state_establishing_an_asylum_system_is_in_scope(
        self, db: AsyncSession, state: Any, as_user: Any
    ) -> None:
        user, organisation = state
        record = await create_request(
            db, organisation=organisation, areas=("non_asylum.other",), is_establishing_system=True
        )
        response = await (await as_user(user)).post(f"/api/v1/support-requests/{record.id}/actions/submit")
        assert response.json()["status"] == "submitted"

    async def test_one_asylum_component_keeps_a_request_in_scope(
        self, db: AsyncSession, state: Any, as_user: Any
    ) -> None:
        user, organisation = state
        record = await create_request(db, organisation=organisation, areas=("non_asylum.border", "procedures.access"))
        response = await (await as_user(user)).post(f"/api/v1/support-requests/{record.id}/actions/submit")
        assert response.json()["status"] == "submitted"

    async def test_validating_an_out_of_scope_request_is_refused(
        self, db: AsyncSession, state: Any, as_user: Any
    ) -> None:
        _, organisation = state
        record = await create_request(
            db, organisation=organisation, status="submitted", areas=("non_asylum.migration",)
        )
        admin = await as_user(await create_secretariat_user(db))
        response = await admin.post(f"/api/v1/support-requests/{record.id}/actions/validate")
        assert response.status_code == 409 and response.json()["error"] == "OutOfScope"


class TestListAndSearch:
    async def test_accent_insensitive_search_in_french_and_spanish(
        self, db: AsyncSession, state: Any, as_user: Any
    ) -> None:
        _, organisation = state
        french = await create_request(
            db,
            organisation=organisation,
            status="validated",
            public_summary="Renforcer l'équipe chargée des entretiens à distance",
        )
        spanish = await create_request(
            db,
            organisation=organisation,
            status="validated",
            public_summary="Capacitación del personal de determinación",
        )
        viewer, _ = await create_member(db)
        client = await as_user(viewer)

        async def found(q: str) -> set[str]:
            page = (await client.get("/api/v1/support-requests", params={"q": q})).json()
            return {item["id"] for item in page["items"]}

        assert str(french.id) in await found("equipe")
        assert str(french.id) in await found("entretiens a distance")
        assert str(french.id) in await found("ÉQUIPE")
        assert str(spanish.id) in await found("capacitacion")
        assert str(spanish.id) in await found("determinacion personal")
        assert str(spanish.id) not in await found("equipe")

    async def test_search_folds_decomposed_accents_and_letters_without_decomposition(
        self, db: AsyncSession, state: Any, as_user: Any
    ) -> None:
        _, organisation = state
        # "e" + combining acute (text pasted from a system that stores decomposed accents), œ, ø and ł.
        record = await create_request(
            db,
            organisation=organisation,
            status="validated",
            public_summary="Re\u0301vision des procédures, manœuvre à Øresund et à Łódź",
        )
        client = await as_user((await create_member(db))[0])

        async def found(q: str) -> set[str]:
            page = (await client.get("/api/v1/support-requests", params={"q": q})).json()
            return {item["id"] for item in page["items"]}

        for query in ("revision", "révision", "manœuvre", "oresund", "Øresund", "lodz", "Łódź"):
            assert str(record.id) in await found(query), query
        assert str(record.id) not in await found("manoeuvre osaka")

    async def test_a_parent_area_finds_child_components(self, db: AsyncSession, state: Any, as_user: Any) -> None:
        _, organisation = state
        child = await create_request(db, organisation=organisation, status="validated", areas=("procedures.coi",))
        other = await create_request(db, organisation=organisation, status="validated", areas=("legal.legislation",))
        client = await as_user((await create_member(db))[0])
        ids = {
            i["id"]
            for i in (await client.get("/api/v1/support-requests", params={"area": "procedures"})).json()["items"]
        }
        assert str(child.id) in ids and str(other.id) not in ids

    async def test_filters_combine(self, db: AsyncSession, as_user: Any) -> None:
        niger = await create_organisation(db, kind="state_institution", country="NER")
        mexico = await create_organisation(db, kind="state_institution", country="MEX")
        a = await create_request(db, organisation=niger, status="validated", urgency="critical", languages=("fr",))
        b = await create_request(db, organisation=mexico, status="validated", urgency="critical", languages=("es",))
        c = await create_request(db, organisation=niger, status="validated", urgency="low", languages=("fr",))
        client = await as_user((await create_member(db))[0])

        async def ids(**params: Any) -> set[str]:
            return {i["id"] for i in (await client.get("/api/v1/support-requests", params=params)).json()["items"]}

        assert await ids(bureau="wca", urgency="critical") >= {str(a.id)}
        assert str(b.id) not in await ids(bureau="wca")
        assert str(b.id) in await ids(region="419")
        assert await ids(country="NER", language="fr") >= {str(a.id), str(c.id)}
        assert str(c.id) not in await ids(urgency="critical")

    async def test_keyset_pages_are_stable_and_complete(self, db: AsyncSession, as_user: Any) -> None:
        organisation = await create_organisation(db, kind="state_institution", country="TCD")
        created = {str((await create_request(db, organisation=organisation, status="validated")).id) for _ in range(7)}
        client = await as_user((await create_member(db))[0])
        seen: list[str] = []
        cursor = None
        for _ in range(10):
            params: dict[str, Any] = {"country": "TCD", "limit": 3, "sort": "title"}
            if cursor:
                params["cursor"] = cursor
            page = (await client.get("/api/v1/support-requests", params=params)).json()
            assert page["total"] == 7
            seen += [i["id"] for i in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert len(seen) == 7 and set(seen) == created

    async def test_oldest_submitted_first_puts_never_submitted_last(self, db: AsyncSession, as_user: Any) -> None:
        from datetime import UTC, datetime

        organisation = await create_organisation(db, kind="state_institution", country="BDI")
        newer = await create_request(db, organisation=organisation, status="validated")
        older = await create_request(db, organisation=organisation, status="validated")
        draft = await create_request(db, organisation=organisation)
        newer.submitted_at = datetime(2026, 5, 1, tzinfo=UTC)
        older.submitted_at = datetime(2026, 1, 1, tzinfo=UTC)
        await db.flush()
        client = await as_user((await create_member(db))[0])
        secretariat = await as_user(await create_secretariat_user(db))
        page = await secretariat.get("/api/v1/support-requests", params={"country": "BDI", "sort": "submitted_at"})
        assert [i["id"] for i in page.json()["items"]] == [str(older.id), str(newer.id), str(draft.id)]
        assert (await client.get("/api/v1/support-requests", params={"sort": "submitted_at"})).status_code == 200

    async def test_unknown_sort_is_refused(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/v1/support-requests", params={"sort": "secret"})
        assert response.status_code == 422


class TestDuplicationWarnings:
    async def test_overlapping_existing_support_is_flagged_to_the_entitled(
        self, db: AsyncSession, state: Any, as_user: Any
    ) -> None:
        user, organisation = state
        record = await create_request(db, organisation=organisation, status="validated", areas=("procedures.rsd",))
        db.add(
            ExistingSupport(
                provider_name="Bilateral donor",
                recipient_country_iso3="NER",
                areas=["procedures"],
                area_codes=["procedures"],
                source_kind="bilateral",
            )
        )
        db.add(
            ExistingSupport(
                provider_name="Elsewhere",
                recipient_country_iso3="NER",
                areas=["legal.legislation"],
                area_codes=["legal", "legal.legislation"],
            )
        )
        await db.flush()
        detail = (await (await as_user(user)).get(f"/api/v1/support-requests/{record.id}")).json()
        assert [w["provider_name"] for w in detail["duplication_warnings"]] == ["Bilateral donor"]
        admin = await as_user(await create_secretariat_user(db))
        listed = (await admin.get("/api/v1/support-requests", params={"country": "NER"})).json()["items"]
        assert next(i for i in listed if i["id"] == str(record.id))["duplication_count"] == 1
        outsider = await as_user((await create_member(db))[0])
        listed = (await outsider.get("/api/v1/support-requests", params={"country": "NER"})).json()["items"]
        assert next(i for i in listed if i["id"] == str(record.id))["duplication_count"] is None


class TestIdempotency:
    async def test_a_retry_returns_the_same_response(self, db: AsyncSession, state: Any, as_user: Any) -> None:
        user, organisation = state
        client = await as_user(user)
        headers = {"Idempotency-Key": "create-42"}
        first = await client.post("/api/v1/support-requests", json=request_body(organisation), headers=headers)
        again = await client.post("/api/v1/support-requests", json=request_body(organisation), headers=headers)
        assert first.status_code == again.status_code == 201
        assert first.json() == again.json() and again.headers["idempotent-replayed"] == "true"
        other = await client.post(
            "/api/v1/support-requests", json=request_body(organisation, title="Another title"), headers=headers
        )
        assert other.status_code == 422 and other.json()["error"] == "IdempotencyKeyReused"

    async def test_fifty_parallel_creates_with_one_key_create_one_record(self, committed: Any) -> None:
        from api.core import audit
        from api.core.actor import SYSTEM
        from tests.conftest import SECRET
        from tests.factories import session_token_for, sign_in_client

        async with committed.sessionmaker() as session, session.begin():
            audit.bind_actor(session, SYSTEM)
            organisation = await create_organisation(session, kind="state_institution", country="NER")
            user = await create_user(session, organisation=organisation)
            token = await session_token_for(session, user)
        clients = [sign_in_client(committed.client(), token, SECRET) for _ in range(50)]
        try:
            responses = await asyncio.gather(
                *(
                    c.post(
                        "/api/v1/support-requests", json=request_body(organisation), headers={"Idempotency-Key": "k-50"}
                    )
                    for c in clients
                )
            )
        finally:
            await asyncio.gather(*(c.aclose() for c in clients))
        assert {r.status_code for r in responses} == {201}
        assert len({r.json()["id"] for r in responses}) == 1
        async with committed.sessionmaker() as session:
            count = (await session.execute(select(func.count()).select_from(SupportRequest))).scalar_one()
        assert count == 1


async def test_can_edit_says_who_may_change_the_content_now(db: AsyncSession, state: Any, as_user: Any) -> None:
    user, organisation = state
    owner = await as_user(user)
    secretariat = await as_user(await create_secretariat_user(db))
    draft = await create_request(db, organisation=organisation)
    validated = await create_request(db, organisation=organisation, status="validated")
    assert (await owner.get(f"/api/v1/support-requests/{draft.id}")).json()["can_edit"] is True
    assert (await owner.get(f"/api/v1/support-requests/{validated.id}")).json()["can_edit"] is False
    assert (await secretariat.get(f"/api/v1/support-requests/{validated.id}")).json()["can_edit"] is True
    refused = await owner.patch(
        f"/api/v1/support-requests/{validated.id}", json={"title": "New title"}, headers={"If-Match": "*"}
    )
    assert refused.status_code == 403 and "Secretariat only" in refused.json()["detail"]


async def test_an_organisation_filter_finds_the_joint_requests_it_is_a_partner_of(
    db: AsyncSession, state: Any, as_user: Any
) -> None:
    from api.models.commitments import SupportRequestPartner

    _, organisation = state
    partner = await create_organisation(db, kind="stakeholder", country="FRA")
    joint = await create_request(db, organisation=organisation, status="validated")
    db.add(SupportRequestPartner(request_id=joint.id, organisation_id=partner.id))
    other = await create_request(db, organisation=organisation, status="validated")
    await db.flush()
    secretariat = await as_user(await create_secretariat_user(db))
    page = await secretariat.get("/api/v1/support-requests", params={"organisation_id": str(partner.id)})
    ids = {item["id"] for item in page.json()["items"]}
    assert str(joint.id) in ids and str(other.id) not in ids
