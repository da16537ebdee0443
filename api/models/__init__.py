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
from api.models.files import StoredFile
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
from api.models.imports import ImportJob
from api.models.integrations import IntegrationClient, IntegrationRateWindow, WebhookDelivery, WebhookSubscription
from api.models.knowledge import KnowledgeItem
from api.models.matches import (
    AllocationRun,
    ConsentDecision,
    Match,
    MatchEvent,
    MatchFacilitator,
    MatchingCriteria,
    MatchItem,
    MatchNote,
    MatchParty,
    Notification,
    PlatformSetting,
)
from api.models.outbox import OutboxMessage
from api.models.reference import Area, Bureau, Country, Region, VocabularyTerm
from api.models.reports import ProgressReport, ProgressReportRevision, ReportingSchedule

__all__ = [
    "AllocationRun",
    "Area",
    "AuditEvent",
    "Base",
    "Bureau",
    "ChangeEvent",
    "ConsentDecision",
    "Country",
    "ExistingSupport",
    "IdempotencyKey",
    "ImportJob",
    "IntegrationClient",
    "IntegrationRateWindow",
    "Invitation",
    "KnowledgeItem",
    "Match",
    "MatchEvent",
    "MatchFacilitator",
    "MatchItem",
    "MatchNote",
    "MatchParty",
    "MatchingCriteria",
    "Membership",
    "Notification",
    "OfficeCountry",
    "Organisation",
    "OutboxMessage",
    "PasswordReset",
    "PersonalAccessToken",
    "PlatformSetting",
    "Pledge",
    "PledgeOrganisation",
    "ProgressReport",
    "ProgressReportRevision",
    "Region",
    "ReportingSchedule",
    "SignInAttempt",
    "StoredFile",
    "SupportOffer",
    "SupportOfferComponent",
    "SupportRequest",
    "SupportRequestComponent",
    "SupportRequestPartner",
    "SupportRequestPledge",
    "User",
    "UserSession",
    "VocabularyTerm",
    "WebhookDelivery",
    "WebhookSubscription",
]
