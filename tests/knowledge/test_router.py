"""Knowledge items: drafting by role, editing with ETags, review and publication, visibility of drafts,
language versions, and turning a closed match into a draft."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.audit import AuditEvent
from api.models.changes import ChangeEvent
from tests.factories import create_organisation, create_user
from tests.knowledge.conftest import Editors, item_body


class TestCreate:
    async def test_a_focal_point_drafts_an_item_for_its_organisation(self, editors: Editors) -> None:
        response = await editors.focal_point.post("/api/v1/knowledge/items", json=item_body())
        assert response.status_code == 201, response.text
        item = response.json()
        assert item["view"] == "full" and item["status"] == "draft"
        assert item["organisation"]["id"] == str(editors.organisation.id)
        assert item["allowed_actions"] == ["submit"] and item["can_edit"] is True
        assert item["year"] == 2020
        assert (
            '<a href="https://example.org/guide" rel="nofollow noopener noreferrer">the guide</a>' in item["body_html"]
        )
        assert response.headers["etag"] == f'"{item["id"]}:1"'
        assert response.headers["location"].endswith(item["id"])

    async def test_an_editor_drafts_but_a_viewer_cannot(self, editors: Editors) -> None:
        assert (await editors.editor.post("/api/v1/knowledge/items", json=item_body())).status_code == 201
        assert (await editors.viewer.post("/api/v1/knowledge/items", json=item_body())).status_code == 403

    async def test_nobody_drafts_for_another_organisation(self, editors: Editors) -> None:
        body = item_body(organisation_id=str(editors.organisation.id))
        assert (await editors.stranger.post("/api/v1/knowledge/items", json=body)).status_code == 403

    async def test_anonymous_callers_cannot_draft(self, editors: Editors) -> None:
        assert (await editors.anonymous.post("/api/v1/knowledge/items", json=item_body())).status_code == 401

    async def test_the_secretariat_drafts_without_an_author_organisation(self, editors: Editors) -> None:
        item = await editors.draft(editors.secretariat)
        assert item["organisation"] is None and item["allowed_actions"] == ["submit"]

    async def test_invalid_codes_are_named_field_by_field(self, editors: Editors) -> None:
        body = item_body(areas=["procedures.rsd", "nope"], countries=["XXX"], regions=["999"], contributor_types=["x"])
        response = await editors.focal_point.post("/api/v1/knowledge/items", json=body)
        assert response.status_code == 422
        fields = {f["field"] for f in response.json()["fields"]}
        assert fields == {"areas.1", "countries.0", "regions.0", "contributor_types.0"}

    async def test_unknown_fields_and_unsafe_link_schemes_are_refused(self, editors: Editors) -> None:
        response = await editors.focal_point.post("/api/v1/knowledge/items", json=item_body(status="published"))
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "body.status"
        links = [{"title": "x", "url": "javascript:alert(1)"}]
        response = await editors.focal_point.post("/api/v1/knowledge/items", json=item_body(source_links=links))
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "body.source_links.0.url"

    async def test_regions_are_expanded_for_filters(self, editors: Editors, db: AsyncSession) -> None:
        from api.models.knowledge import KnowledgeItem

        item = await editors.draft(countries=["NER"], regions=["419"])
        stored = await db.get(KnowledgeItem, item["id"])
        assert stored is not None
        # Latin America (419) and its parent the Americas (019); Niger's Africa (002), Sub-Saharan (202), West (011).
        assert {"419", "019", "002", "202", "011"} <= set(stored.region_codes)

    async def test_a_retry_with_the_same_idempotency_key_returns_the_first_item(self, editors: Editors) -> None:
        headers = {"Idempotency-Key": "kb-create-1"}
        first = await editors.focal_point.post("/api/v1/knowledge/items", json=item_body(), headers=headers)
        again = await editors.focal_point.post("/api/v1/knowledge/items", json=item_body(), headers=headers)
        assert first.status_code == again.status_code == 201
        assert first.json()["id"] == again.json()["id"]


class TestUpdate:
    async def test_update_requires_if_match_and_refuses_a_stale_one(self, editors: Editors) -> None:
        item = await editors.draft()
        url = f"/api/v1/knowledge/items/{item['id']}"
        assert (await editors.focal_point.patch(url, json={"title": "New title"})).status_code == 428
        ok = await editors.focal_point.patch(
            url, json={"title": "New title"}, headers={"If-Match": f'"{item["id"]}:1"'}
        )
        assert ok.status_code == 200 and ok.json()["version"] == 2 and ok.headers["etag"] == f'"{item["id"]}:2"'
        stale = await editors.focal_point.patch(url, json={"title": "Other"}, headers={"If-Match": f'"{item["id"]}:1"'})
        assert stale.status_code == 412

    async def test_the_body_is_rendered_again_after_an_edit(self, editors: Editors) -> None:
        item = await editors.draft()
        response = await editors.editor.patch(
            f"/api/v1/knowledge/items/{item['id']}",
            json={"body": "Now *emphasised*", "areas": ["legal"]},
            headers={"If-Match": f'"{item["id"]}:1"'},
        )
        assert response.status_code == 200
        assert response.json()["body_html"].strip() == "<p>Now <em>emphasised</em></p>"
        assert response.json()["areas"] == ["legal"]

    async def test_the_author_cannot_edit_once_submitted_but_the_secretariat_can(self, editors: Editors) -> None:
        item = await editors.draft()
        submitted = (await editors.act(editors.focal_point, item, "submit")).json()
        etag = {"If-Match": f'"{item["id"]}:{submitted["version"]}"'}
        url = f"/api/v1/knowledge/items/{item['id']}"
        assert (await editors.focal_point.patch(url, json={"title": "Late"}, headers=etag)).status_code == 403
        assert (await editors.secretariat.patch(url, json={"title": "Copy-edited"}, headers=etag)).status_code == 200

    async def test_a_stranger_cannot_edit_a_published_item(self, editors: Editors) -> None:
        item = await editors.published()
        response = await editors.stranger.patch(
            f"/api/v1/knowledge/items/{item['id']}", json={"title": "Mine"}, headers={"If-Match": "*"}
        )
        assert response.status_code == 403


class TestWorkflow:
    async def test_draft_review_publish_archive_republish(self, editors: Editors) -> None:
        item = await editors.draft()
        submitted = await editors.act(editors.editor, item, "submit")
        assert submitted.status_code == 200 and submitted.json()["status"] == "in_review"
        assert submitted.json()["allowed_actions"] == []
        assert (await editors.act(editors.focal_point, item, "publish")).status_code == 403
        published = await editors.act(editors.secretariat, item, "publish")
        assert published.json()["status"] == "published" and published.json()["published_at"]
        assert (await editors.act(editors.focal_point, item, "archive")).status_code == 403
        archived = await editors.act(editors.secretariat, item, "archive")
        assert archived.json()["status"] == "archived" and archived.json()["archived_at"]
        republished = await editors.act(editors.secretariat, item, "republish")
        assert republished.json()["status"] == "published"
        assert republished.json()["published_at"] == published.json()["published_at"]

    async def test_returning_to_draft_needs_a_comment_which_the_author_reads(self, editors: Editors) -> None:
        item = await editors.draft()
        await editors.act(editors.focal_point, item, "submit")
        missing = await editors.act(editors.secretariat, item, "return_to_draft")
        assert missing.status_code == 422 and missing.json()["fields"][0]["field"] == "comment"
        returned = await editors.act(editors.secretariat, item, "return_to_draft", "Add the results")
        assert returned.json()["status"] == "draft"
        seen = (await editors.focal_point.get(f"/api/v1/knowledge/items/{item['id']}")).json()
        assert seen["review_comment"] == "Add the results" and seen["can_edit"] is True

    async def test_an_impossible_transition_is_a_conflict(self, editors: Editors) -> None:
        item = await editors.draft()
        response = await editors.act(editors.secretariat, item, "publish")
        assert response.status_code == 409 and response.json()["error"] == "InvalidTransition"

    async def test_transitions_are_audited_and_fed_to_the_change_feed(self, editors: Editors, db: AsyncSession) -> None:
        item = await editors.draft()
        response = await editors.act(editors.focal_point, item, "submit")
        events = (
            await db.execute(select(AuditEvent).where(AuditEvent.request_id == response.headers["x-request-id"]))
        ).scalars()
        assert [e.action for e in events] == ["knowledge_items.submit"]
        feed = (await db.execute(select(ChangeEvent).where(ChangeEvent.record_id == item["id"]))).scalars().all()
        assert feed and {e.resource for e in feed} == {"knowledge_item"}


class TestVisibility:
    @pytest.mark.parametrize(
        ("reader", "status"),
        [
            ("focal_point", 200),
            ("viewer", 200),
            ("secretariat", 200),
            ("stranger", 404),
            ("anonymous", 404),
        ],
    )
    async def test_a_draft_is_seen_by_its_organisation_and_the_secretariat_only(
        self, editors: Editors, reader: str, status: int
    ) -> None:
        item = await editors.draft()
        response = await getattr(editors, reader).get(f"/api/v1/knowledge/items/{item['id']}")
        assert response.status_code == status
        if status == 200:
            assert response.json()["view"] == "full"

    async def test_an_item_in_review_stays_hidden_from_the_public(self, editors: Editors) -> None:
        item = await editors.draft()
        await editors.act(editors.focal_point, item, "submit")
        assert (await editors.anonymous.get(f"/api/v1/knowledge/items/{item['id']}")).status_code == 404
        listed = (await editors.stranger.get("/api/v1/knowledge/items", params={"status": "in_review"})).json()
        assert item["id"] not in [i["id"] for i in listed["items"]]

    async def test_the_public_reads_a_published_item_without_editor_fields(self, editors: Editors) -> None:
        item = await editors.published()
        response = await editors.anonymous.get(f"/api/v1/knowledge/items/{item['id']}")
        public = response.json()
        assert response.status_code == 200 and public["view"] == "public"
        assert "etag" not in response.headers
        assert not {"body", "review_comment", "version", "status", "allowed_actions"} & set(public)
        assert public["body_html"] == item["body_html"]

    async def test_an_archived_item_leaves_the_public_portal(self, editors: Editors) -> None:
        item = await editors.published()
        await editors.act(editors.secretariat, item, "archive")
        assert (await editors.anonymous.get(f"/api/v1/knowledge/items/{item['id']}")).status_code == 404
        assert (await editors.viewer.get(f"/api/v1/knowledge/items/{item['id']}")).status_code == 200


class TestTranslations:
    async def test_language_versions_are_linked_and_say_also_available_in(self, editors: Editors) -> None:
        english = await editors.published()
        response = await editors.focal_point.post(
            f"/api/v1/knowledge/items/{english['id']}/translations",
            json={"language": "es", "title": "Entrevistas a distancia en Brasil", "body": "Por *video*."},
        )
        assert response.status_code == 201, response.text
        spanish = response.json()
        assert spanish["translation_group_id"] == english["translation_group_id"]
        assert spanish["areas"] == english["areas"] and spanish["countries"] == ["BRA"]
        assert spanish["status"] == "draft"
        # The public sees the Spanish version only once it is published.
        public = (await editors.anonymous.get(f"/api/v1/knowledge/items/{english['id']}")).json()
        assert public["also_available_in"] == []
        await editors.act(editors.focal_point, spanish, "submit")
        await editors.act(editors.secretariat, spanish, "publish")
        public = (await editors.anonymous.get(f"/api/v1/knowledge/items/{english['id']}")).json()
        assert [(v["language"], v["id"]) for v in public["also_available_in"]] == [("es", spanish["id"])]

    async def test_a_second_version_in_the_same_language_is_a_conflict(self, editors: Editors) -> None:
        item = await editors.draft()
        response = await editors.focal_point.post(
            f"/api/v1/knowledge/items/{item['id']}/translations", json={"language": "en", "title": "Again"}
        )
        assert response.status_code == 409 and response.json()["fields"][0]["field"] == "language"

    async def test_only_editors_translate(self, editors: Editors) -> None:
        item = await editors.published()
        response = await editors.stranger.post(
            f"/api/v1/knowledge/items/{item['id']}/translations", json={"language": "fr", "title": "Entretiens"}
        )
        assert response.status_code == 403


class TestFromMatch:
    async def _match(self, db: AsyncSession, status: str, *, disclosed: bool) -> Any:
        from api.models.matches import Match, MatchItem, MatchParty
        from tests.factories import create_offer, create_request

        state = await create_organisation(db, kind="state_institution", country="ZMB", name="Commissioner for Refugees")
        offerer = await create_organisation(db, kind="stakeholder", contributor_type="academia", name="Kiosk Lab")
        request = await create_request(db, organisation=state, status="validated", areas=("procedures.registration",))
        offer = await create_offer(db, organisation=offerer, status="validated", areas=("procedures.registration",))
        match = Match(
            reference=f"MATCH-T-{state.id.hex[:6]}",
            status=status,
            disclosed=disclosed,
            public_summary="Self-service kiosks for refugees\nRegistration renewals without queues.",
            agreed_scope="Design and install two kiosks; train *registration* staff.",
        )
        db.add(match)
        await db.flush()
        from api.models.commitments import SupportRequestComponent

        component_id = (
            await db.execute(select(SupportRequestComponent.id).where(SupportRequestComponent.request_id == request.id))
        ).scalar_one()
        db.add_all(
            [
                MatchParty(match_id=match.id, organisation_id=state.id, side="requesting", request_id=request.id),
                MatchParty(match_id=match.id, organisation_id=offerer.id, side="offering", offer_id=offer.id),
                MatchItem(match_id=match.id, request_component_id=component_id, offer_id=offer.id),
            ]
        )
        await db.flush()
        return match, state, offerer

    async def test_a_fulfilled_match_becomes_a_prefilled_draft(
        self, db: AsyncSession, as_user: Any, editors: Editors
    ) -> None:
        match, state, _ = await self._match(db, "fulfilled", disclosed=True)
        party = await as_user(await create_user(db, organisation=state))
        response = await party.post(
            "/api/v1/knowledge/items/from-match", json={"match_id": str(match.id), "kind": "good_practice"}
        )
        assert response.status_code == 201, response.text
        item = response.json()
        assert item["status"] == "draft" and item["match_id"] == str(match.id)
        assert item["organisation"]["id"] == str(state.id)
        assert item["title"] == "Self-service kiosks for refugees"
        assert item["areas"] == ["procedures.registration"] and item["countries"] == ["ZMB"]
        assert "Kiosk Lab (offering)" in item["body"] and "\\*registration\\*" in item["body"]
        assert "<em>" not in item["body_html"]

    async def test_a_party_does_not_learn_an_undisclosed_counterpart(self, db: AsyncSession, as_user: Any) -> None:
        match, state, _ = await self._match(db, "cancelled", disclosed=False)
        party = await as_user(await create_user(db, organisation=state))
        response = await party.post(
            "/api/v1/knowledge/items/from-match", json={"match_id": str(match.id), "language": "fr"}
        )
        assert response.status_code == 201, response.text
        body = response.json()["body"]
        assert "Kiosk Lab" not in body and "Une organisation partenaire (offrant)" in body

    async def test_a_match_still_running_is_refused(self, db: AsyncSession, editors: Editors) -> None:
        match, _, _ = await self._match(db, "in_progress", disclosed=True)
        response = await editors.secretariat.post(
            "/api/v1/knowledge/items/from-match", json={"match_id": str(match.id)}
        )
        assert response.status_code == 409 and response.json()["error"] == "MatchNotClosed"

    async def test_a_hidden_match_is_not_found(self, db: AsyncSession, editors: Editors) -> None:
        match, _, _ = await self._match(db, "fulfilled", disclosed=True)
        response = await editors.stranger.post("/api/v1/knowledge/items/from-match", json={"match_id": str(match.id)})
        assert response.status_code == 404


async def test_every_error_names_its_field_and_is_an_envelope(editors: Editors, client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/knowledge/items", params={"limit": 500, "region": "x"})
    assert response.status_code == 422
    assert {f["field"] for f in response.json()["fields"]} == {"query.limit", "query.region"}


class TestExport:
    async def test_the_download_has_the_lists_rows_filters_and_visibility(self, editors: Editors) -> None:
        shown = await editors.published(title="Entretiens à distance au Niger", language="fr", countries=["NER"])
        await editors.published(title="Country of origin research", countries=["BRA"])
        draft = await editors.draft(title="Unfinished draft")
        anonymous = await editors.anonymous.get(
            "/api/v1/knowledge/items/export", params={"format": "csv", "q": "entretiens a distance"}
        )
        assert anonymous.status_code == 200 and anonymous.headers["content-type"].startswith("text/csv")
        rows = anonymous.text.lstrip("\ufeff").splitlines()
        assert rows[0].split(",")[:3] == ["id", "kind", "language"] and "snippet" not in rows[0]
        assert len(rows) == 2 and rows[1].startswith(shown["id"])
        everything = (await editors.anonymous.get("/api/v1/knowledge/items/export")).text
        assert draft["id"] not in everything and "Country of origin research" in everything
        # The author's organisation downloads its drafts when it asks for them, as the list shows them.
        own = await editors.focal_point.get("/api/v1/knowledge/items/export", params={"status": "draft"})
        assert draft["id"] in own.text
        xlsx = await editors.secretariat.get("/api/v1/knowledge/items/export", params={"format": "xlsx"})
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    async def test_bad_filters_are_refused_naming_the_field(self, editors: Editors) -> None:
        response = await editors.anonymous.get("/api/v1/knowledge/items/export", params={"region": "Africa"})
        assert response.status_code == 422
        assert response.json()["fields"][0]["field"].endswith("region")
