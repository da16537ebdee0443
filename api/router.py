"""The /api/v1 router: every domain router, each route declaring the error envelope for its errors."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from api.audit.router import router as audit_router
from api.auth.router import router as auth_router
from api.changes.router import router as changes_router
from api.core.errors import ERROR_RESPONSES
from api.existing_support.router import router as existing_support_router
from api.files.router import router as files_router
from api.imports.router import router as imports_router
from api.integrations.policy import client_policy
from api.integrations.router import router as integrations_router
from api.knowledge.router import router as knowledge_router
from api.matches.router import router as matches_router
from api.matching.router import router as matching_router
from api.notifications.router import router as notifications_router
from api.organisations.router import router as organisations_router
from api.platform.router import router as platform_router
from api.pledges.router import router as pledges_router
from api.portal.router import router as portal_router
from api.reference.router import router as reference_router
from api.reports.router import router as reports_router
from api.stats.router import router as stats_router
from api.support_offers.router import router as support_offers_router
from api.support_requests.router import router as support_requests_router
from api.system.router import router as system_router
from api.users.router import router as users_router
from api.webhooks.router import router as webhooks_router

# Integration clients pass one gate on every call: counted, audited, rate-limited and held to their scopes.
api_router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, dependencies=[Depends(client_policy)])
for domain_router in (
    auth_router,
    reference_router,
    organisations_router,
    users_router,
    pledges_router,
    support_requests_router,
    support_offers_router,
    existing_support_router,
    matches_router,
    matching_router,
    notifications_router,
    reports_router,
    knowledge_router,
    files_router,
    platform_router,
    portal_router,
    stats_router,
    integrations_router,
    changes_router,
    webhooks_router,
    imports_router,
    audit_router,
    system_router,
):
    api_router.include_router(domain_router)
