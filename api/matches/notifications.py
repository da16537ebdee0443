"""Match notifications: written to the outbox with the change, expanded to recipients by the worker.

Each recipient gets an in-app notification and an e-mail, once (dedup key per event and recipient), in their
language. Texts never name a counterpart before every party consented: until then a counterpart is described
as e.g. "a State in West and Central Africa".
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.core import audit, clock
from api.core.actor import SYSTEM
from api.core.config import Settings
from api.core.outbox import enqueue
from api.matches import repository, workflow
from api.matches.events import record_event
from api.models.identity import Organisation, User
from api.models.matches import Match, MatchFacilitator, Notification
from api.models.reference import Bureau, Country
from api.notifications.emails import queue_email
from api.platform import settings as platform_settings
from api.worker import handler, periodic

KIND = "match_notification"

# event -> language -> (title, body). {reference}: the match; {subject}: the party the event is about, as the
# recipient may know it; {deadline}; {status}.
TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "consent_requested": {
        "en": (
            "Your consent is requested ({reference})",
            "A match has been proposed for your organisation. Review the proposal and grant or decline consent "
            "before {deadline}. No detail about your organisation is shared before every party consents.",
        ),
        "fr": (
            "Votre consentement est demandé ({reference})",
            "Une mise en correspondance a été proposée à votre organisation. Examinez la proposition et donnez ou "
            "refusez votre consentement avant le {deadline}. Aucune information sur votre organisation n'est "
            "communiquée avant le consentement de toutes les parties.",
        ),
        "es": (
            "Se solicita su consentimiento ({reference})",
            "Se ha propuesto una vinculación a su organización. Examine la propuesta y otorgue o deniegue su "
            "consentimiento antes del {deadline}. No se comparte ningún dato de su organización antes del "
            "consentimiento de todas las partes.",
        ),
    },
    "consent_reminder": {
        "en": (
            "Reminder: consent due by {deadline} ({reference})",
            "Your decision on the proposed match is still awaited. The request expires on {deadline}.",
        ),
        "fr": (
            "Rappel : consentement attendu avant le {deadline} ({reference})",
            "Votre décision sur la mise en correspondance proposée est toujours attendue. La demande expire le "
            "{deadline}.",
        ),
        "es": (
            "Recordatorio: consentimiento antes del {deadline} ({reference})",
            "Aún se espera su decisión sobre la vinculación propuesta. La solicitud vence el {deadline}.",
        ),
    },
    "consent_granted": {
        "en": ("Consent granted ({reference})", "{subject} granted consent to the proposed match."),
        "fr": ("Consentement donné ({reference})", "{subject} a donné son consentement à la mise en correspondance."),
        "es": ("Consentimiento otorgado ({reference})", "{subject} otorgó su consentimiento a la vinculación."),
    },
    "consent_declined": {
        "en": ("Consent declined ({reference})", "{subject} declined the proposed match."),
        "fr": ("Consentement refusé ({reference})", "{subject} a refusé la mise en correspondance proposée."),
        "es": ("Consentimiento denegado ({reference})", "{subject} rechazó la vinculación propuesta."),
    },
    "consent_withdrawn": {
        "en": ("Consent withdrawn ({reference})", "{subject} withdrew its consent to the match."),
        "fr": ("Consentement retiré ({reference})", "{subject} a retiré son consentement."),
        "es": ("Consentimiento retirado ({reference})", "{subject} retiró su consentimiento."),
    },
    "match_consented": {
        "en": (
            "Every party consented ({reference})",
            "All parties consented: you can now see each other's details and contacts on the platform.",
        ),
        "fr": (
            "Toutes les parties ont consenti ({reference})",
            "Toutes les parties ont consenti : vous pouvez désormais voir les informations et contacts de "
            "chacune sur la plateforme.",
        ),
        "es": (
            "Todas las partes consintieron ({reference})",
            "Todas las partes consintieron: ya pueden ver los datos y contactos de cada una en la plataforma.",
        ),
    },
    "match_declined": {
        "en": ("Match declined ({reference})", "A party declined the proposed match; nothing was shared."),
        "fr": (
            "Mise en correspondance refusée ({reference})",
            "Une partie a refusé la proposition ; aucune information n'a été communiquée.",
        ),
        "es": ("Vinculación rechazada ({reference})", "Una parte rechazó la propuesta; no se compartió nada."),
    },
    "match_expired": {
        "en": (
            "Consent request expired ({reference})",
            "The consent deadline passed before every party decided; the facilitating office follows up.",
        ),
        "fr": (
            "Demande de consentement expirée ({reference})",
            "Le délai est passé avant la décision de toutes les parties ; le bureau facilitateur assure le suivi.",
        ),
        "es": (
            "Solicitud de consentimiento vencida ({reference})",
            "El plazo venció antes de que decidieran todas las partes; la oficina facilitadora hará el seguimiento.",
        ),
    },
    "stage_changed": {
        "en": ("Match {reference}: {status}", "The match moved to the stage: {status}."),
        "fr": (
            "Mise en correspondance {reference} : {status}",
            "La mise en correspondance est passée à l'étape : {status}.",
        ),
        "es": ("Vinculación {reference}: {status}", "La vinculación pasó a la etapa: {status}."),
    },
    "report_due": {
        "en": (
            "Progress report due ({reference})",
            "A progress report on this match is due soon. Draft it on the platform.",
        ),
        "fr": (
            "Rapport d'avancement attendu ({reference})",
            "Un rapport d'avancement sur cette mise en correspondance est bientôt attendu. "
            "Rédigez-le sur la plateforme.",
        ),
        "es": (
            "Informe de avance pendiente ({reference})",
            "Pronto vence un informe de avance sobre esta vinculación. Redáctelo en la plataforma.",
        ),
    },
    "report_overdue": {
        "en": ("Progress report overdue ({reference})", "A progress report on this match is overdue."),
        "fr": (
            "Rapport d'avancement en retard ({reference})",
            "Un rapport d'avancement sur cette mise en correspondance est en retard.",
        ),
        "es": (
            "Informe de avance atrasado ({reference})",
            "Un informe de avance sobre esta vinculación está atrasado.",
        ),
    },
    "report_submitted": {
        "en": (
            "Progress report submitted ({reference})",
            "A progress report was submitted: please attest or review it.",
        ),
        "fr": (
            "Rapport d'avancement soumis ({reference})",
            "Un rapport d'avancement a été soumis : veuillez l'attester ou l'examiner.",
        ),
        "es": (
            "Informe de avance presentado ({reference})",
            "Se presentó un informe de avance: atestígüelo o revíselo.",
        ),
    },
    "report_attested": {
        "en": (
            "Progress report attested ({reference})",
            "The requesting party attested the progress report: it awaits review.",
        ),
        "fr": (
            "Rapport d'avancement attesté ({reference})",
            "La partie requérante a attesté le rapport : il attend l'examen.",
        ),
        "es": (
            "Informe de avance atestiguado ({reference})",
            "La parte solicitante atestiguó el informe: espera revisión.",
        ),
    },
    "report_sent_back": {
        "en": (
            "Progress report sent back ({reference})",
            "The progress report was sent back with comments: please revise it.",
        ),
        "fr": (
            "Rapport d'avancement renvoyé ({reference})",
            "Le rapport a été renvoyé avec des commentaires : veuillez le réviser.",
        ),
        "es": ("Informe de avance devuelto ({reference})", "El informe fue devuelto con comentarios: revíselo."),
    },
    "report_accepted": {
        "en": ("Progress report accepted ({reference})", "The progress report was accepted."),
        "fr": ("Rapport d'avancement accepté ({reference})", "Le rapport d'avancement a été accepté."),
        "es": ("Informe de avance aceptado ({reference})", "El informe de avance fue aceptado."),
    },
    "facilitator_assigned": {
        "en": ("You facilitate match {reference}", "Your office was asked to facilitate this match."),
        "fr": (
            "Vous facilitez la mise en correspondance {reference}",
            "Votre bureau doit faciliter cette mise en correspondance.",
        ),
        "es": ("Usted facilita la vinculación {reference}", "Se pidió a su oficina facilitar esta vinculación."),
    },
}

STATUS_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "consent_pending": "consent pending",
        "consented": "consented",
        "under_discussion": "under discussion",
        "agreed": "agreed",
        "planning": "planning",
        "in_progress": "in progress",
        "fulfilled": "fulfilled",
        "suspended": "suspended",
        "cancelled": "cancelled",
        "declined": "declined",
        "expired": "expired",
        "proposed": "proposed",
    },
    "fr": {
        "consent_pending": "consentement en attente",
        "consented": "consentie",
        "under_discussion": "en discussion",
        "agreed": "convenue",
        "planning": "planification",
        "in_progress": "en cours",
        "fulfilled": "réalisée",
        "suspended": "suspendue",
        "cancelled": "annulée",
        "declined": "refusée",
        "expired": "expirée",
        "proposed": "proposée",
    },
    "es": {
        "consent_pending": "consentimiento pendiente",
        "consented": "consentida",
        "under_discussion": "en discusión",
        "agreed": "acordada",
        "planning": "planificación",
        "in_progress": "en curso",
        "fulfilled": "cumplida",
        "suspended": "suspendida",
        "cancelled": "cancelada",
        "declined": "rechazada",
        "expired": "vencida",
        "proposed": "propuesta",
    },
}

KIND_PHRASES = {
    "en": ("a State", "an organisation", "in", "Your organisation"),
    "fr": ("un État", "une organisation", "en", "Votre organisation"),
    "es": ("un Estado", "una organización", "en", "Su organización"),
}


async def emit(
    session: AsyncSession,
    match: Match,
    event: str,
    *,
    audience: str,
    party_id: uuid.UUID | None = None,
    extra: dict[str, Any] | None = None,
    organisation_ids: list[uuid.UUID] | None = None,
    dedup: str | None = None,
) -> None:
    """Queue a notification about `match` in the same transaction; the worker finds the recipients.

    audience: "parties" (focal points of every party), "pending_parties", "offering_parties",
    "requesting_parties", "all" (parties and facilitators), "facilitators", or "organisations" (the members of
    `organisation_ids`).
    """
    await enqueue(
        session,
        kind=KIND,
        dedup_key=f"match:{match.id}:{event}:{dedup or uuid.uuid4().hex}",
        payload={
            "match_id": str(match.id),
            "event": event,
            "audience": audience,
            "party_id": str(party_id) if party_id else None,
            "extra": extra or {},
            "organisation_ids": [str(i) for i in organisation_ids or []],
        },
    )


async def _facilitator_users(session: AsyncSession, match: Match) -> list[uuid.UUID]:
    organisation_ids = list(
        (
            await session.execute(select(MatchFacilitator.organisation_id).where(MatchFacilitator.match_id == match.id))
        ).scalars()
    )
    if not organisation_ids:
        # No facilitating office yet: the Secretariat follows the match.
        organisation_ids = list(
            (await session.execute(select(Organisation.id).where(Organisation.kind == "secretariat"))).scalars()
        )
    return [user_id for _, user_id in await repository.members(session, organisation_ids)]


async def _describe(session: AsyncSession, organisation: Organisation, language: str) -> str:
    """A counterpart as a party may know it before disclosure: its kind and region, never its name."""
    state, other, preposition, _ = KIND_PHRASES.get(language, KIND_PHRASES["en"])
    phrase = state if organisation.contributor_type == "state" else other
    if organisation.country_iso3:
        bureau = (
            await session.execute(
                select(Bureau)
                .join(Country, Country.bureau_code == Bureau.code)
                .where(Country.iso3 == organisation.country_iso3)
            )
        ).scalar_one_or_none()
        if bureau is not None:
            name = getattr(bureau, f"name_{language}", bureau.name_en)
            return f"{phrase} {preposition} {name}"
    return phrase


@handler(KIND)
async def deliver(session: AsyncSession, message: Any, settings: Settings) -> None:
    payload: dict[str, Any] = message.payload
    match = await session.get(Match, uuid.UUID(payload["match_id"]))
    if match is None:
        return
    parties = await repository.parties(session, match.id)
    audience = payload["audience"]
    recipients: dict[uuid.UUID, str] = {}  # user -> "facilitator" | party id
    party_orgs = {p.organisation_id: p for p, _ in parties}
    if audience in ("parties", "all", "pending_parties", "offering_parties", "requesting_parties"):
        wanted = [
            p
            for p, _ in parties
            if (audience != "pending_parties" or p.consent_status == "pending")
            and (audience != "offering_parties" or p.side == "offering")
            and (audience != "requesting_parties" or p.side == "requesting")
        ]
        for organisation_id, user_id in await repository.focal_points(session, [p.organisation_id for p in wanted]):
            recipients.setdefault(user_id, str(party_orgs[organisation_id].id))
    if audience in ("all", "facilitators"):
        for user_id in await _facilitator_users(session, match):
            recipients[user_id] = "facilitator"
    if audience == "organisations":
        ids = [uuid.UUID(i) for i in payload["organisation_ids"]]
        for _, user_id in await repository.members(session, ids):
            recipients.setdefault(user_id, "facilitator")
    if not recipients:
        return
    subject_party = next((pair for pair in parties if str(pair[0].id) == payload.get("party_id")), None)
    users = {u.id: u for u in (await session.execute(select(User).where(User.id.in_(recipients)))).scalars()}
    disclosed = match.disclosed and match.status in workflow.DISCLOSING
    for user_id, role in recipients.items():
        user = users.get(user_id)
        if user is None:
            continue
        language = user.preferred_language if user.preferred_language in ("en", "fr", "es") else "en"
        subject = ""
        if subject_party is not None:
            party, organisation = subject_party
            if role == str(party.id):
                subject = KIND_PHRASES[language][3]
            elif role == "facilitator" or disclosed:
                subject = organisation.name
            else:
                described = await _describe(session, organisation, language)
                subject = described[:1].upper() + described[1:]
        title, body = TEXTS[payload["event"]][language]
        status = payload.get("extra", {}).get("status", match.status)
        deadline = match.consent_deadline.strftime("%Y-%m-%d") if match.consent_deadline else "-"
        context = {
            "reference": match.reference,
            "subject": subject,
            "deadline": deadline,
            "status": STATUS_NAMES[language].get(status, status),
        }
        title, body = title.format(**context), body.format(**context)
        key = f"{message.dedup_key}:{user_id}"
        inserted = (
            await session.execute(
                insert(Notification)
                .values(
                    id=uuid.uuid4(),
                    user_id=user_id,
                    kind=payload["event"],
                    title=title,
                    body=body,
                    link=f"/matches/{match.id}",
                    match_id=match.id,
                    dedup_key=key,
                    created_at=clock.now(),
                )
                .on_conflict_do_nothing(index_elements=["dedup_key"])
                .returning(Notification.id)
            )
        ).scalar_one_or_none()
        if inserted is not None:
            await queue_email(
                session,
                to=user.email,
                template="notification",
                language=language,
                context={"title": title, "body": body, "link": f"{settings.public_base_url}/matches/{match.id}"},
                dedup_key=key,
                recipient_user_id=user_id,
            )


@periodic("match_consent_deadlines")
async def process_consent_deadlines(session: AsyncSession, settings: Settings) -> int:
    """Send reminders before consent deadlines; expire matches whose deadline passed (alerting facilitators).
    Never approves anything: a match without every consent cannot become consented here."""
    now = clock.now()
    audit.bind_actor(session, SYSTEM)
    handled = 0
    # Nearest first: with 1 day left the 2-day reminder is due, not the 7-day one already sent.
    reminder_days = sorted(set(await platform_settings.get(session, "consent_reminder_days")))
    pending = (
        (
            await session.execute(
                select(Match)
                .where(Match.status == "consent_pending", Match.consent_deadline.is_not(None))
                .with_for_update(skip_locked=True)
            )
        )
        .scalars()
        .all()
    )
    for match in pending:
        assert match.consent_deadline is not None
        if match.consent_deadline <= now:
            match.status = "expired"
            match.status_reason = "The consent deadline passed"
            audit.label(session, match, "matches.consent_expired")
            record_event(
                session, match, "consent_expired", actor=SYSTEM, data={"from": "consent_pending", "to": "expired"}
            )
            await emit(session, match, "match_expired", audience="all", dedup=f"v{match.proposal_version}")
            handled += 1
            continue
        for days in reminder_days:
            if match.consent_deadline - timedelta(days=days) <= now:
                await emit(
                    session,
                    match,
                    "consent_reminder",
                    audience="pending_parties",
                    dedup=f"v{match.proposal_version}:d{days}",
                )
                handled += 1
                break
    await session.flush()
    return handled
