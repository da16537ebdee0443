"""Client secrets (shown once, kept as a salted SHA-256) and the short-lived access tokens (JWT, HS256).

A token names its client, its scopes, its own id and the client's secret version; the verifier checks the
client row on every call, so a revoked client or a rotated secret stops every token at once.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from api.core import clock
from api.core.security import constant_time_equals

SECRET_PREFIX = "acsg_cs_"  # noqa: S105 - a public prefix, not a secret
ISSUER = "acsg"
AUDIENCE = "acsg-api"
ALGORITHM = "HS256"


def new_client_secret() -> tuple[str, str, str]:
    """(secret, salt, hash): the secret goes to the client once, the salt and hash to the database."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)
    return secret, salt, hash_secret(secret, salt)


def hash_secret(secret: str, salt: str) -> str:
    # The secret is 256 random bits: a fast hash is enough (no dictionary to guess from), and token
    # requests stay cheap.
    return hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest()


def secret_matches(secret: str, salt: str, expected_hash: str) -> bool:
    return constant_time_equals(hash_secret(secret, salt), expected_hash)


@dataclass(frozen=True)
class TokenClaims:
    client_id: uuid.UUID
    scopes: frozenset[str]
    secret_version: int
    token_id: str
    expires_at: datetime


def issue(
    *, signing_key: str, client_id: uuid.UUID, scopes: frozenset[str], secret_version: int, ttl_seconds: int
) -> tuple[str, TokenClaims]:
    now = clock.now()
    claims = TokenClaims(
        client_id=client_id,
        scopes=scopes,
        secret_version=secret_version,
        token_id=uuid.uuid4().hex,
        expires_at=now + timedelta(seconds=ttl_seconds),
    )
    payload: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(client_id),
        "client_id": str(client_id),
        "scope": " ".join(sorted(scopes)),
        "sv": secret_version,
        "jti": claims.token_id,
        "iat": int(now.timestamp()),
        "exp": int(claims.expires_at.timestamp()),
    }
    return jwt.encode(payload, signing_key, algorithm=ALGORITHM), claims


class ExpiredToken(Exception):
    pass


def read(token: str, *, signing_key: str) -> TokenClaims | None:
    """The claims of one of our tokens; None when it is not one (another kind of bearer token, or forged);
    `ExpiredToken` when it was ours but has expired (by the platform clock, which tests move)."""
    if token.count(".") != 2:
        return None
    try:
        # Expiry is checked below against the platform clock (which tests move), not pyjwt's wall clock.
        payload = jwt.decode(
            token,
            signing_key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"verify_exp": False, "verify_iat": False, "require": ["exp", "sub", "jti", "sv"]},
        )
        claims = TokenClaims(
            client_id=uuid.UUID(str(payload["sub"])),
            scopes=frozenset(str(payload.get("scope", "")).split()),
            secret_version=int(payload["sv"]),
            token_id=str(payload["jti"]),
            expires_at=datetime.fromtimestamp(int(payload["exp"]), tz=UTC),
        )
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):
        return None
    if claims.expires_at <= clock.now():
        raise ExpiredToken
    return claims
