"""All ORM models, imported here so Alembic and the app see one complete metadata."""

from api.models.audit import AuditEvent
from api.models.base import Base
from api.models.changes import ChangeEvent
from api.models.commitments import (
    ExistingSupport,
    Pledge,
    PledgeOrganisation,
    SupportOffer,
    SupportOfferComponent,
    SupportRequest,
    SupportRequestComponent,
    SupportRequestPartner,
    SupportRequestPledge,
)
from api.models.idempotency import IdempotencyKey
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
    "ChangeEvent",
    "Country",
    "ExistingSupport",
    "IdempotencyKey",
    "Invitation",
    "Membership",
    "OfficeCountry",
    "Organisation",
    "OutboxMessage",
    "PasswordReset",
    "PersonalAccessToken",
    "Pledge",
    "PledgeOrganisation",
    "Region",
    "SignInAttempt",
    "SupportOffer",
    "SupportOfferComponent",
    "SupportRequest",
    "SupportRequestComponent",
    "SupportRequestPartner",
    "SupportRequestPledge",
    "User",
    "UserSession",
    "VocabularyTerm",
]
