"""Sign-in, lockout, CSRF, personal access tokens, invitations and password resets."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.core import clock
from api.models.identity import Membership, User
from api.models.outbox import OutboxMessage
from tests.factories import (
    PASSWORD,
    access_token_for,
    create_member,
    create_organisation,
    create_secretariat_user,
    create_user,
)


async def sign_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post("/api/v1/auth/sign-in", json={"email": email, "password": password})


def csrf_from(client: httpx.AsyncClient) -> dict[str, str]:
    return {"X-CSRF-Token": client.cookies["acsg_csrf"]}


class TestSignIn:
    async def test_valid_credentials_open_a_cookie_session(self, db: AsyncSession, client: httpx.AsyncClient) -> None:
        user, organisation = await create_member(db)
        response = await sign_in(client, user.email.upper())
        assert response.status_code == 200
        assert response.json()["memberships"][0]["organisation_id"] == str(organisation.id)
        cookie = response.headers.get_list("set-cookie")
        session_cookie = next(c for c in cookie if c.startswith("acsg_session="))
        assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
        assert (await client.get("/api/v1/auth/me")).json()["email"] == user.email

    async def test_wrong_password_is_a_401(self, db: AsyncSession, client: httpx.AsyncClient) -> None:
        user, _ = await create_member(db)
        response = await sign_in(client, user.email, "wrong password!!")
        assert response.status_code == 401
        assert response.json()["error"] == "InvalidCredentials"
        assert "acsg_session" not in response.cookies

    async def test_unknown_email_answers_like_a_wrong_password(self, client: httpx.AsyncClient) -> None:
        response = await sign_in(client, "nobody@example.org")
        assert response.status_code == 401 and response.json()["error"] == "InvalidCredentials"

    async def test_deactivated_user_cannot_sign_in(self, db: AsyncSession, client: httpx.AsyncClient) -> None:
        user = await create_user(db, is_active=False)
        assert (await sign_in(client, user.email)).status_code == 401

    async def test_me_without_a_session_is_a_401(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/v1/auth/me")
        assert response.status_code == 401 and response.json()["error"] == "Unauthorized"

    async def test_the_session_state_answers_visitors_and_users_alike(
        self, db: AsyncSession, client: httpx.AsyncClient
    ) -> None:
        visitor = await client.get("/api/v1/auth/session")
        assert visitor.status_code == 200 and visitor.json() == {"user": None}
        user, _ = await create_member(db)
        await sign_in(client, user.email)
        signed_in = await client.get("/api/v1/auth/session")
        assert signed_in.status_code == 200 and signed_in.json()["user"]["email"] == user.email

    async def test_sign_out_ends_the_session(self, db: AsyncSession, client: httpx.AsyncClient) -> None:
        user, _ = await create_member(db)
        await sign_in(client, user.email)
        headers = csrf_from(client)
        assert (await client.post("/api/v1/auth/sign-out", headers=headers)).status_code == 204
        client.cookies.clear()
        assert (await client.get("/api/v1/auth/me")).status_code == 401

    async def test_sign_in_is_audited(self, db: AsyncSession, client: httpx.AsyncClient) -> None:
        user, _ = await create_member(db)
        response = await sign_in(client, user.email)
        from api.models.audit import AuditEvent

        actions = (
            (
                await db.execute(
                    select(AuditEvent.action).where(AuditEvent.request_id == response.headers["x-request-id"])
                )
            )
            .scalars()
            .all()
        )
        assert "auth.signed_in" in actions


class TestLockout:
    async def test_repeated_failures_lock_the_account(self, db: AsyncSession, client: httpx.AsyncClient) -> None:
        user, _ = await create_member(db)
        for _ in range(5):
            assert (await sign_in(client, user.email, "wrong password!!")).status_code == 401
        locked = await sign_in(client, user.email)
        assert locked.status_code == 429
        assert locked.json()["error"] == "AccountLocked"
        assert int(locked.headers["retry-after"]) > 0

    async def test_lockout_expires(self, db: AsyncSession, client: httpx.AsyncClient) -> None:
        user, _ = await create_member(db)
        for _ in range(5):
            await sign_in(client, user.email, "wrong password!!")
        clock.advance(timedelta(minutes=16))
        assert (await sign_in(client, user.email)).status_code == 200

    async def test_unknown_emails_lock_the_same_way(self, client: httpx.AsyncClient) -> None:
        for _ in range(5):
            await sign_in(client, "ghost@example.org", "whatever password")
        response = await sign_in(client, "ghost@example.org", "whatever password")
        assert response.status_code == 429 and response.json()["error"] == "AccountLocked"

    async def test_secretariat_can_unlock(self, db: AsyncSession, client: httpx.AsyncClient, as_user: Any) -> None:
        user, _ = await create_member(db)
        for _ in range(5):
            await sign_in(client, user.email, "wrong password!!")
        admin = await as_user(await create_secretariat_user(db))
        assert (await admin.patch(f"/api/v1/users/{user.id}", json={"unlock": True})).status_code == 200
        assert (await sign_in(client, user.email)).status_code == 200

    async def test_rate_limit_per_address(self, db: AsyncSession, app: Any, client: httpx.AsyncClient) -> None:
        app.state.settings = app.state.settings.model_copy(update={"login_rate_per_ip_per_minute": 3})
        for index in range(3):
            await sign_in(client, f"someone{index}@example.org", "wrong password!!")
        response = await sign_in(client, "another@example.org", "wrong password!!")
        assert response.status_code == 429 and response.headers["retry-after"] == "60"


class TestCSRF:
    async def test_cookie_write_without_csrf_header_is_refused(
        self, db: AsyncSession, client: httpx.AsyncClient
    ) -> None:
        user, _ = await create_member(db)
        await sign_in(client, user.email)
        response = await client.patch("/api/v1/auth/me", json={"preferred_language": "fr"})
        assert response.status_code == 403 and response.json()["error"] == "CSRFFailed"

    async def test_cookie_write_with_a_wrong_csrf_header_is_refused(
        self, db: AsyncSession, client: httpx.AsyncClient
    ) -> None:
        user, _ = await create_member(db)
        await sign_in(client, user.email)
        response = await client.patch(
            "/api/v1/auth/me", json={"preferred_language": "fr"}, headers={"X-CSRF-Token": "forged"}
        )
        assert response.status_code == 403

    async def test_cookie_write_with_the_csrf_header_succeeds(
        self, db: AsyncSession, client: httpx.AsyncClient
    ) -> None:
        user, _ = await create_member(db)
        await sign_in(client, user.email)
        response = await client.patch("/api/v1/auth/me", json={"preferred_language": "fr"}, headers=csrf_from(client))
        assert response.status_code == 200 and response.json()["preferred_language"] == "fr"


class TestAccessTokens:
    async def test_token_is_shown_once_and_authenticates(
        self, db: AsyncSession, as_user: Any, client_factory: Any
    ) -> None:
        user, _ = await create_member(db)
        browser = await as_user(user)
        created = await browser.post("/api/v1/auth/tokens", json={"name": "import script"})
        assert created.status_code == 201
        token = created.json()["token"]
        assert token.startswith("acsg_pat_")
        listed = (await browser.get("/api/v1/auth/tokens")).json()
        assert "token" not in listed[0] and listed[0]["token_prefix"] == token[:15]
        script = client_factory(headers={"Authorization": f"Bearer {token}"})
        assert (await script.get("/api/v1/auth/me")).json()["id"] == str(user.id)
        # Bearer tokens need no CSRF header.
        assert (await script.patch("/api/v1/auth/me", json={"preferred_language": "es"})).status_code == 200

    async def test_revoked_token_is_refused(self, db: AsyncSession, as_user: Any, client_factory: Any) -> None:
        user, _ = await create_member(db)
        token = await access_token_for(db, user)
        browser = await as_user(user)
        token_id = (await browser.get("/api/v1/auth/tokens")).json()[0]["id"]
        assert (await browser.post(f"/api/v1/auth/tokens/{token_id}/revoke")).status_code == 200
        script = client_factory(headers={"Authorization": f"Bearer {token}"})
        assert (await script.get("/api/v1/auth/me")).status_code == 401

    async def test_someone_elses_token_cannot_be_revoked(self, db: AsyncSession, as_user: Any) -> None:
        owner, _ = await create_member(db)
        await access_token_for(db, owner)
        owner_client = await as_user(owner)
        token_id = (await owner_client.get("/api/v1/auth/tokens")).json()[0]["id"]
        other = await as_user((await create_member(db))[0])
        assert (await other.post(f"/api/v1/auth/tokens/{token_id}/revoke")).status_code == 404

    @pytest.mark.parametrize("header", ["Bearer acsg_pat_forged", "Bearer garbage", "Basic abc", "Bearer "])
    async def test_invalid_bearer_is_a_401(self, header: str, client_factory: Any) -> None:
        response = await client_factory(headers={"Authorization": header}).get("/api/v1/auth/me")
        assert response.status_code == 401


def _link_token(body: str) -> str:
    match = re.search(r"token=([A-Za-z0-9_\-]+)", body)
    assert match, body
    return match.group(1)


async def _last_email(db: AsyncSession, to: str) -> dict[str, Any]:
    rows = (await db.execute(select(OutboxMessage).where(OutboxMessage.kind == "email"))).scalars().all()
    matching = [r.payload for r in rows if r.payload["to"] == to]
    assert matching, f"no e-mail to {to}"
    return matching[-1]


class TestInvitations:
    async def test_focal_point_invites_and_invitee_accepts(
        self, db: AsyncSession, as_user: Any, client: httpx.AsyncClient
    ) -> None:
        focal_point, organisation = await create_member(db)
        inviter = await as_user(focal_point)
        created = await inviter.post(
            "/api/v1/invitations",
            json={
                "email": "New.Colleague@Example.org",
                "organisation_id": str(organisation.id),
                "role": "editor",
            },
        )
        assert created.status_code == 201 and created.json()["status"] == "pending"
        email = await _last_email(db, "new.colleague@example.org")
        token = _link_token(email["body"])
        preview = await client.post("/api/v1/auth/invitations/lookup", json={"token": token})
        assert preview.json()["organisation_name"] == organisation.name and not preview.json()["has_account"]
        accepted = await client.post(
            "/api/v1/auth/invitations/accept",
            json={"token": token, "full_name": "New Colleague", "password": "a long enough passphrase"},
        )
        assert accepted.status_code == 200
        assert accepted.json()["memberships"][0]["role"] == "editor"
        assert (await client.get("/api/v1/auth/me")).status_code == 200
        again = await client.post(
            "/api/v1/auth/invitations/accept",
            json={"token": token, "full_name": "New Colleague", "password": "a long enough passphrase"},
        )
        assert again.status_code == 404 and again.json()["error"] == "InvalidToken"

    async def test_editor_cannot_invite(self, db: AsyncSession, as_user: Any) -> None:
        editor, organisation = await create_member(db, role="editor")
        response = await (await as_user(editor)).post(
            "/api/v1/invitations",
            json={"email": "x@example.org", "organisation_id": str(organisation.id), "role": "viewer"},
        )
        assert response.status_code == 403

    async def test_focal_point_cannot_invite_to_another_organisation(self, db: AsyncSession, as_user: Any) -> None:
        focal_point, _ = await create_member(db)
        other = await create_organisation(db)
        response = await (await as_user(focal_point)).post(
            "/api/v1/invitations",
            json={"email": "x@example.org", "organisation_id": str(other.id), "role": "viewer"},
        )
        assert response.status_code == 403

    async def test_expired_invitation_is_refused(
        self, db: AsyncSession, as_user: Any, client: httpx.AsyncClient
    ) -> None:
        admin = await as_user(await create_secretariat_user(db))
        organisation = await create_organisation(db)
        await admin.post(
            "/api/v1/invitations",
            json={"email": "late@example.org", "organisation_id": str(organisation.id), "role": "viewer"},
        )
        token = _link_token((await _last_email(db, "late@example.org"))["body"])
        clock.advance(timedelta(hours=73))
        response = await client.post("/api/v1/auth/invitations/lookup", json={"token": token})
        assert response.status_code == 404

    async def test_existing_account_joins_with_its_password(
        self, db: AsyncSession, as_user: Any, client: httpx.AsyncClient
    ) -> None:
        person, _ = await create_member(db)
        admin = await as_user(await create_secretariat_user(db))
        organisation = await create_organisation(db)
        await admin.post(
            "/api/v1/invitations",
            json={"email": person.email, "organisation_id": str(organisation.id), "role": "focal_point"},
        )
        token = _link_token((await _last_email(db, person.email))["body"])
        wrong = await client.post("/api/v1/auth/invitations/accept", json={"token": token, "password": "not it at all"})
        assert wrong.status_code == 422 and wrong.json()["fields"][0]["field"] == "password"
        right = await client.post("/api/v1/auth/invitations/accept", json={"token": token, "password": PASSWORD})
        assert right.status_code == 200
        memberships = (await db.execute(select(Membership).where(Membership.user_id == person.id))).scalars().all()
        assert len(memberships) == 2

    async def test_weak_password_is_refused_naming_the_field(
        self, db: AsyncSession, as_user: Any, client: httpx.AsyncClient
    ) -> None:
        admin = await as_user(await create_secretariat_user(db))
        organisation = await create_organisation(db)
        await admin.post(
            "/api/v1/invitations",
            json={
                "email": "weak@example.org",
                "organisation_id": str(organisation.id),
                "role": "viewer",
                "full_name": "Weak Password",
            },
        )
        token = _link_token((await _last_email(db, "weak@example.org"))["body"])
        response = await client.post("/api/v1/auth/invitations/accept", json={"token": token, "password": "short"})
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "password"

    async def test_revoked_invitation_cannot_be_used(
        self, db: AsyncSession, as_user: Any, client: httpx.AsyncClient
    ) -> None:
        focal_point, organisation = await create_member(db)
        inviter = await as_user(focal_point)
        invitation = (
            await inviter.post(
                "/api/v1/invitations",
                json={
                    "email": "revoked@example.org",
                    "organisation_id": str(organisation.id),
                    "role": "viewer",
                },
            )
        ).json()
        token = _link_token((await _last_email(db, "revoked@example.org"))["body"])
        assert (await inviter.post(f"/api/v1/invitations/{invitation['id']}/revoke")).json()["status"] == "revoked"
        assert (await client.post("/api/v1/auth/invitations/lookup", json={"token": token})).status_code == 404


class TestPasswordReset:
    async def test_reset_sets_a_new_password_and_ends_sessions(
        self, db: AsyncSession, client: httpx.AsyncClient, as_user: Any
    ) -> None:
        user, _ = await create_member(db)
        old_session = await as_user(user)
        assert (await client.post("/api/v1/auth/password-reset", json={"email": user.email})).status_code == 202
        token = _link_token((await _last_email(db, user.email))["body"])
        confirmed = await client.post(
            "/api/v1/auth/password-reset/confirm", json={"token": token, "password": "a brand new passphrase"}
        )
        assert confirmed.status_code == 204
        assert (await old_session.get("/api/v1/auth/me")).status_code == 401
        assert (await sign_in(client, user.email, "a brand new passphrase")).status_code == 200
        reused = await client.post(
            "/api/v1/auth/password-reset/confirm", json={"token": token, "password": "yet another passphrase"}
        )
        assert reused.status_code == 404

    async def test_unknown_address_gets_the_same_answer_and_no_mail(
        self, db: AsyncSession, client: httpx.AsyncClient
    ) -> None:
        response = await client.post("/api/v1/auth/password-reset", json={"email": "nobody@example.org"})
        assert response.status_code == 202
        mails = (await db.execute(select(OutboxMessage).where(OutboxMessage.kind == "email"))).scalars().all()
        assert all(m.payload["to"] != "nobody@example.org" for m in mails)

    async def test_expired_link_is_refused(self, db: AsyncSession, client: httpx.AsyncClient) -> None:
        user, _ = await create_member(db)
        await client.post("/api/v1/auth/password-reset", json={"email": user.email})
        token = _link_token((await _last_email(db, user.email))["body"])
        clock.advance(timedelta(minutes=61))
        response = await client.post(
            "/api/v1/auth/password-reset/confirm", json={"token": token, "password": "a brand new passphrase"}
        )
        assert response.status_code == 404


class TestChangePassword:
    async def test_change_requires_the_current_password(self, db: AsyncSession, as_user: Any) -> None:
        user, _ = await create_member(db)
        client = await as_user(user)
        wrong = await client.post(
            "/api/v1/auth/me/password",
            json={"current_password": "nope nope nope", "new_password": "another passphrase"},
        )
        assert wrong.status_code == 422 and wrong.json()["fields"][0]["field"] == "current_password"
        right = await client.post(
            "/api/v1/auth/me/password",
            json={"current_password": PASSWORD, "new_password": "another passphrase"},
        )
        assert right.status_code == 204
        refreshed = await db.get(User, user.id)
        assert refreshed is not None
