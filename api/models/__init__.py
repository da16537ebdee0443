"""All ORM models, imported here so Alembic and the app see one complete metadata."""

from api.models.audit import AuditEvent
from api.models.base import Base
from api.models.identity import (
    Invitation,
    Membership,
    OfficeCountry,
    Organisation,
    PasswordReset,
    PersonalAccessToken,
    SignInAttempt,
    User,
    UserSession,
)
from api.models.outbox import OutboxMessage
from api.models.reference import Area, Bureau, Country, Region, VocabularyTerm

__all__ = [
    "Area",
    "AuditEvent",
    "Base",
    "Bureau",
    "Country",
    "Invitation",
    "Membership",
    "OfficeCountry",
    "Organisation",
    "OutboxMessage",
    "PasswordReset",
    "PersonalAccessToken",
    "Region",
    "SignInAttempt",
    "User",
    "UserSession",
    "VocabularyTerm",
]
