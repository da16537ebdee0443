"""Sign-in, sessions, personal access tokens, invitations and password resets."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse

from api.auth import schemas, service
from api.auth.dependencies import CSRF_COOKIE, SESSION_COOKIE, ActorDep, SignedInDep, UserDep
from api.core.config import Settings
from api.core.db import SessionDep
from api.core.errors import envelope_response
from api.core.security import csrf_token_for

router = APIRouter(tags=["auth"])


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _set_session_cookies(response: Response, token: str, settings: Settings) -> None:
    max_age = settings.session_ttl_hours * 3600
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=settings.is_https,
        path="/",
    )
    response.set_cookie(
        CSRF_COOKIE,
        csrf_token_for(settings.secret_key.get_secret_value(), token),
        max_age=max_age,
        httponly=False,
        samesite="lax",
        secure=settings.is_https,
        path="/",
    )


def _clear_session_cookies(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


@router.post("/auth/sign-in", response_model=schemas.Me)
async def sign_in(body: schemas.SignIn, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Sign in with e-mail and password; sets the HttpOnly session cookie and the CSRF cookie."""
    settings = _settings(request)
    outcome = await service.sign_in(
        session,
        email=body.email,
        password=body.password,
        client_address=_client_address(request),
        settings=settings,
    )
    if outcome.refusal is not None:
        # Returned rather than raised so the failed attempt is committed (see SignInOutcome).
        refusal = outcome.refusal
        return envelope_response(refusal.status_code, refusal.detail, code=refusal.code, headers=refusal.headers)
    assert outcome.user is not None and outcome.session_token is not None
    me = await service.me_for_user(session, user=outcome.user)
    response = JSONResponse(me.model_dump(mode="json"))
    _set_session_cookies(response, outcome.session_token, settings)
    return response


@router.post("/auth/sign-out", status_code=status.HTTP_204_NO_CONTENT)
async def sign_out(session: SessionDep, actor: ActorDep) -> Response:
    await service.sign_out(session, actor=actor)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    _clear_session_cookies(response)
    return response


@router.get("/auth/session", response_model=schemas.SessionState)
async def get_session_state(session: SessionDep, actor: ActorDep) -> schemas.SessionState:
    """Who is signed in, if anyone: 200 in both cases (`user` is null for visitors), so a page that works
    for both does not need a failing request to find out. Integration clients get null too."""
    if actor.kind != "user":
        return schemas.SessionState(user=None)
    return schemas.SessionState(user=await service.me(session, actor=actor))


@router.get("/auth/me", response_model=schemas.Me)
async def get_me(session: SessionDep, actor: UserDep) -> schemas.Me:
    return await service.me(session, actor=actor)


@router.patch("/auth/me", response_model=schemas.Me)
async def update_me(body: schemas.PreferencesUpdate, session: SessionDep, actor: UserDep) -> schemas.Me:
    return await service.update_preferences(session, actor=actor, changes=body)


@router.post("/auth/me/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_password(body: schemas.PasswordChange, session: SessionDep, actor: UserDep) -> None:
    await service.change_password(
        session, actor=actor, current_password=body.current_password, new_password=body.new_password
    )


@router.get("/auth/tokens", response_model=list[schemas.AccessToken])
async def list_access_tokens(session: SessionDep, actor: UserDep) -> list[schemas.AccessToken]:
    return await service.list_access_tokens(session, actor=actor)


@router.post("/auth/tokens", response_model=schemas.AccessTokenCreated, status_code=status.HTTP_201_CREATED)
async def create_access_token(
    body: schemas.AccessTokenCreate, session: SessionDep, actor: UserDep
) -> schemas.AccessTokenCreated:
    """Create a personal access token for scripts. The token is in this response only."""
    return await service.create_access_token(session, actor=actor, body=body)


@router.post("/auth/tokens/{token_id}/revoke", response_model=schemas.AccessToken)
async def revoke_access_token(token_id: uuid.UUID, session: SessionDep, actor: UserDep) -> schemas.AccessToken:
    return await service.revoke_access_token(session, actor=actor, token_id=token_id)


@router.get("/invitations", response_model=list[schemas.Invitation])
async def list_invitations(
    session: SessionDep, actor: SignedInDep, organisation_id: uuid.UUID | None = None
) -> list[schemas.Invitation]:
    return await service.list_invitations(session, actor=actor, organisation_id=organisation_id)


@router.post("/invitations", response_model=schemas.Invitation, status_code=status.HTTP_201_CREATED)
async def create_invitation(
    body: schemas.InvitationCreate, request: Request, session: SessionDep, actor: UserDep
) -> schemas.Invitation:
    """Invite a person to an organisation (Secretariat, or the organisation's focal point); e-mails a link."""
    return await service.create_invitation(session, actor=actor, body=body, settings=_settings(request))


@router.post("/invitations/{invitation_id}/revoke", response_model=schemas.Invitation)
async def revoke_invitation(invitation_id: uuid.UUID, session: SessionDep, actor: UserDep) -> schemas.Invitation:
    return await service.revoke_invitation(session, actor=actor, invitation_id=invitation_id)


@router.post("/auth/invitations/lookup", response_model=schemas.InvitationPreview)
async def preview_invitation(body: schemas.TokenBody, session: SessionDep) -> schemas.InvitationPreview:
    """What an invitation link is for, so the acceptance page can say it (POST keeps the token out of logs)."""
    return await service.preview_invitation(session, token=body.token)


@router.post("/auth/invitations/accept", response_model=schemas.Me)
async def accept_invitation(body: schemas.InvitationAccept, request: Request, session: SessionDep) -> Response:
    settings = _settings(request)
    user, token = await service.accept_invitation(session, body=body, settings=settings)
    me = await service.me_for_user(session, user=user)
    response = JSONResponse(me.model_dump(mode="json"))
    _set_session_cookies(response, token, settings)
    return response


@router.post("/auth/password-reset", status_code=status.HTTP_202_ACCEPTED)
async def request_password_reset(
    body: schemas.PasswordResetRequest, request: Request, session: SessionDep
) -> dict[str, str]:
    """Always 202: the answer does not tell whether the address has an account."""
    await service.request_password_reset(
        session, email=body.email, client_address=_client_address(request), settings=_settings(request)
    )
    return {"detail": "If an account exists for this address, a reset link is on its way."}


@router.post("/auth/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT)
async def confirm_password_reset(body: schemas.PasswordResetConfirm, session: SessionDep) -> None:
    await service.confirm_password_reset(session, token=body.token, password=body.password)
