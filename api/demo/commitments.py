"""Demo pledges, requests, offers and existing support: the public ACSG examples (domain brief, section 8)
and a few hundred synthetic records across regions and areas, so lists and filters have something to show.

Records carry source "demo" and a stable external id, so loading twice adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments.service import next_reference, refresh_denormalised
from api.commitments.validation import with_parents
from api.core import clock
from api.demo.seed import demo_id
from api.models.commitments import (
    ExistingSupport,
    Pledge,
    PledgeOrganisation,
    SupportOffer,
    SupportOfferComponent,
    SupportRequest,
    SupportRequestComponent,
    SupportRequestPledge,
)
from api.models.identity import Organisation
from api.models.reference import Country

SOURCE = "demo"


@dataclass(frozen=True)
class DemoComponent:
    area: str
    modalities: tuple[str, ...]
    support_types: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class DemoRequest:
    key: str
    organisation: str
    title: str
    summary: str
    components: tuple[DemoComponent, ...]
    languages: tuple[str, ...]
    status: str = "validated"
    qualities: tuple[str, ...] = ("fairness", "efficiency")
    urgency: str = "normal"
    establishing: bool = False
    pledge: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    confidential: str = ""


@dataclass(frozen=True)
class DemoOffer:
    key: str
    organisation: str
    title: str
    summary: str
    components: tuple[DemoComponent, ...]
    languages: tuple[str, ...]
    served_countries: tuple[str, ...] = ()
    served_regions: tuple[str, ...] = ()
    capacity: int = 2
    pledge: str | None = None
    status: str = "validated"
    proactive_target: str | None = None


PLEDGES = (
    (
        "canada-2019",
        "GRF2019",
        "Canada: asylum capacity support to Mexico",
        ("canada-ircc", "canada-irb"),
        ("procedures.rsd", "procedures.quality"),
        "fulfilled",
    ),
    (
        "mexico-2019",
        "GRF2019",
        "Mexico: strengthening COMAR's refugee status determination",
        ("mexico-comar",),
        ("procedures.rsd", "procedures.registration"),
        "fulfilled",
    ),
    (
        "france-2019",
        "GRF2019",
        "France: sharing asylum expertise with States in the Sahel",
        ("france-ofpra", "france-cnda"),
        ("procedures.rsd", "procedures.coi"),
        "in_progress",
    ),
    (
        "niger-2019",
        "GRF2019",
        "Niger: a fair and efficient asylum procedure",
        ("niger-dgecmr",),
        ("procedures.rsd", "procedures.registration"),
        "in_progress",
    ),
    (
        "chad-2019",
        "GRF2019",
        "Chad: adopting a national asylum law",
        ("chad-cnarr",),
        ("legal.legislation",),
        "planning",
    ),
    (
        "new-zealand-2019",
        "GRF2019",
        "New Zealand: peer support to asylum systems in Asia and the Pacific",
        ("nz-mbie",),
        ("procedures.rsd",),
        "fulfilled",
    ),
    (
        "georgia-2021",
        "HLOM2021",
        "Georgia: sharing experience on RSD, COI and quality assurance",
        ("georgia-mia",),
        ("procedures.rsd", "procedures.coi", "procedures.quality"),
        "fulfilled",
    ),
)

REQUESTS = (
    DemoRequest(
        "mexico-comar",
        "mexico-comar",
        "Strengthening refugee status determination at COMAR",
        "COMAR seeks support to train eligibility officers, reduce the backlog and set up quality assurance.",
        (
            DemoComponent(
                "procedures.rsd",
                ("training", "expert_deployment"),
                ("technical",),
                "Training of new eligibility officers in interviewing and credibility assessment",
            ),
            DemoComponent("procedures.backlog", ("remote_advice",), ("technical",), "Strategy to reduce the backlog"),
            DemoComponent("procedures.quality", ("peer_review",), ("technical",), "A quality assurance unit"),
        ),
        ("es", "en"),
        pledge="mexico-2019",
        starts_on=date(2019, 12, 1),
        ends_on=date(2022, 12, 31),
        confidential="Staffing figures and the backlog per office are in the annex shared with UNHCR Mexico.",
    ),
    DemoRequest(
        "niger-dgec",
        "niger-dgecmr",
        "Appui à la procédure d'asile du Niger",
        "La Direction générale de l'état civil, des migrations et des réfugiés souhaite renforcer l'enregistrement "
        "et la détermination du statut de réfugié.",
        (
            DemoComponent(
                "procedures.rsd",
                ("training", "study_visit"),
                ("technical",),
                "Formation des agents à l'entretien et à la rédaction des décisions",
            ),
            DemoComponent(
                "procedures.registration",
                ("equipment", "training"),
                ("technical", "material"),
                "Enregistrement biométrique et délivrance de documents",
            ),
        ),
        ("fr",),
        pledge="niger-2019",
        starts_on=date(2021, 4, 1),
        ends_on=date(2025, 12, 31),
        confidential="Besoins budgétaires détaillés transmis au Secrétariat.",
    ),
    DemoRequest(
        "chad-cnarr",
        "chad-cnarr",
        "Adoption d'une loi nationale sur l'asile au Tchad",
        "Le Tchad s'est engagé à adopter une loi sur l'asile et à créer les institutions chargées de l'appliquer.",
        (
            DemoComponent(
                "legal.legislation",
                ("expert_deployment", "remote_advice"),
                ("technical",),
                "Appui à la rédaction du projet de loi sur l'asile",
            ),
            DemoComponent(
                "institutional.establishment",
                ("study_visit",),
                ("technical",),
                "Conception de l'autorité chargée de l'asile",
            ),
        ),
        ("fr", "ar"),
        establishing=True,
        urgency="high",
        pledge="chad-2019",
        starts_on=date(2023, 1, 1),
    ),
    DemoRequest(
        "philippines-doj",
        "philippines-doj",
        "Refugee and stateless status determination in the Philippines",
        "The DOJ Refugees and Stateless Persons Protection Unit seeks mentoring for its protection officers.",
        (
            DemoComponent(
                "procedures.rsd",
                ("peer_review", "remote_advice"),
                ("technical",),
                "Mentoring of protection officers on complex claims",
            ),
            DemoComponent("procedures.case_management", ("remote_advice",), ("technical",), "Case management tools"),
        ),
        ("en",),
        starts_on=date(2020, 3, 1),
        ends_on=date(2023, 6, 30),
    ),
    DemoRequest(
        "north-macedonia",
        "north-macedonia-moi",
        "Quality of first-instance asylum decisions in North Macedonia",
        "The Asylum Sector seeks exchanges on RSD, country of origin information and quality assurance.",
        (
            DemoComponent("procedures.rsd", ("study_visit",), ("technical",), "Study visit on interviewing"),
            DemoComponent("procedures.coi", ("study_visit",), ("technical",), "COI research methods"),
        ),
        ("en", "ru"),
        starts_on=date(2022, 6, 1),
        ends_on=date(2022, 12, 31),
    ),
    DemoRequest(
        "tajikistan",
        "tajikistan-mia",
        "Refugee status determination and quality assurance in Tajikistan",
        "The Refugee Status Department seeks exchanges on RSD procedures and quality assurance.",
        (
            DemoComponent("procedures.rsd", ("study_visit",), ("technical",), "Study visit on RSD procedures"),
            DemoComponent("procedures.quality", ("study_visit",), ("technical",), "Quality assurance mechanisms"),
        ),
        ("ru", "en"),
        starts_on=date(2022, 6, 1),
        ends_on=date(2022, 12, 31),
    ),
)

OFFERS = (
    DemoOffer(
        "canada-irb",
        "canada-irb",
        "Canada's support to refugee status determination in Mexico",
        "IRCC and the IRB share training material, decision-making guidance and quality assurance practice.",
        (
            DemoComponent(
                "procedures.rsd",
                ("training", "expert_deployment"),
                ("technical",),
                "Training of trainers and decision-making guidance",
            ),
            DemoComponent("procedures.quality", ("peer_review",), ("technical",), "Quality assurance practice"),
        ),
        ("en", "fr", "es"),
        served_regions=("419",),
        pledge="canada-2019",
    ),
    DemoOffer(
        "france-ofpra",
        "france-ofpra",
        "Expertise française en matière d'asile pour le Niger",
        "L'OFPRA, la CNDA et le ministère de l'Intérieur partagent leur expérience de l'instruction des demandes.",
        (
            DemoComponent(
                "procedures.rsd",
                ("training", "study_visit", "expert_deployment"),
                ("technical",),
                "Formation et visites d'étude",
            ),
            DemoComponent("procedures.coi", ("remote_advice",), ("technical",), "Information sur les pays d'origine"),
            DemoComponent(
                "legal.legislation",
                ("expert_deployment", "remote_advice"),
                ("technical",),
                "Appui à l'élaboration de la législation sur l'asile et de ses textes d'application",
            ),
        ),
        ("fr",),
        served_regions=("202",),
        capacity=3,
        pledge="france-2019",
    ),
    DemoOffer(
        "new-zealand-mbie",
        "nz-mbie",
        "New Zealand peer support on refugee status determination",
        "MBIE's refugee status officers mentor colleagues in the region.",
        (DemoComponent("procedures.rsd", ("peer_review", "remote_advice"), ("technical",), "Mentoring"),),
        ("en",),
        served_regions=("142", "009"),
        pledge="new-zealand-2019",
    ),
    DemoOffer(
        "georgia-mia",
        "georgia-mia",
        "Georgia's study visits on RSD, COI and quality assurance",
        "The Migration Department hosts study visits for asylum authorities of the region.",
        (
            DemoComponent("procedures.rsd", ("study_visit",), ("technical",), "RSD"),
            DemoComponent("procedures.coi", ("study_visit",), ("technical",), "COI"),
            DemoComponent("procedures.quality", ("study_visit",), ("technical",), "Quality assurance"),
        ),
        ("en", "ru"),
        served_regions=("150", "143"),
        capacity=2,
        pledge="georgia-2021",
    ),
    DemoOffer(
        "clinic-legal-aid",
        "stakeholder-clinic",
        "Legal aid clinics for asylum seekers",
        "University law clinics train legal counsellors and set up pro bono networks.",
        (DemoComponent("expertise.legal_aid", ("training", "remote_advice"), ("technical",), "Legal counselling"),),
        ("en", "fr"),
        capacity=4,
        proactive_target="TCD",
    ),
)

# Synthetic records: titles per area in three languages, countries spread over the bureaux.
TITLES: dict[str, tuple[str, str, str]] = {
    "procedures.rsd": (
        "Interviewing and credibility assessment",
        "Entretiens et évaluation de la crédibilité",
        "Entrevistas y evaluación de la credibilidad",
    ),
    "procedures.registration": (
        "Registration and documentation of asylum seekers",
        "Enregistrement et documentation des demandeurs d'asile",
        "Registro y documentación de solicitantes de asilo",
    ),
    "procedures.case_management": (
        "Digital case management",
        "Gestion numérique des dossiers",
        "Gestión digital de casos",
    ),
    "procedures.backlog": (
        "Reducing the asylum backlog",
        "Résorber l'arriéré des demandes",
        "Reducir el rezago de solicitudes",
    ),
    "procedures.coi": (
        "Country of origin information unit",
        "Unité d'information sur les pays d'origine",
        "Unidad de información sobre países de origen",
    ),
    "procedures.quality": (
        "Quality assurance of decisions",
        "Assurance qualité des décisions",
        "Garantía de calidad de las decisiones",
    ),
    "procedures.appeals": (
        "Appeal procedures and judicial review",
        "Procédures de recours",
        "Procedimientos de apelación",
    ),
    "procedures.interpretation": (
        "Interpretation in asylum interviews",
        "Interprétation lors des entretiens",
        "Interpretación en las entrevistas",
    ),
    "procedures.specific_needs": (
        "Persons with specific needs in the procedure",
        "Personnes ayant des besoins spécifiques",
        "Personas con necesidades específicas",
    ),
    "procedures.differentiated": (
        "Differentiated case processing",
        "Traitement différencié des demandes",
        "Tramitación diferenciada de casos",
    ),
    "legal.legislation": (
        "Drafting asylum legislation",
        "Rédaction de la législation sur l'asile",
        "Redacción de la legislación de asilo",
    ),
    "legal.regulation": (
        "Standard operating procedures",
        "Procédures opérationnelles normalisées",
        "Procedimientos operativos estándar",
    ),
    "institutional.training": (
        "Induction training for asylum staff",
        "Formation initiale du personnel",
        "Formación inicial del personal",
    ),
    "institutional.organisation": (
        "Organisation of the asylum authority",
        "Organisation de l'autorité d'asile",
        "Organización de la autoridad de asilo",
    ),
    "institutional.infrastructure": (
        "IT infrastructure for the asylum authority",
        "Infrastructure informatique",
        "Infraestructura informática",
    ),
    "expertise.legal_aid": (
        "Legal aid for asylum seekers",
        "Aide juridique aux demandeurs d'asile",
        "Asistencia jurídica a solicitantes de asilo",
    ),
    "expertise.participation": (
        "Participation of refugee-led organisations",
        "Participation des organisations de réfugiés",
        "Participación de organizaciones de personas refugiadas",
    ),
    "procedures.statistics": ("Asylum statistics and reporting", "Statistiques de l'asile", "Estadísticas de asilo"),
}
LANGUAGE_BY_REGION = {
    "002": ("fr", "en"),
    "019": ("es", "en"),
    "142": ("en", "ar"),
    "150": ("en", "ru"),
    "009": ("en",),
}
MODALITIES = ("training", "study_visit", "expert_deployment", "remote_advice", "peer_review", "secondment")
# Matched statuses come from real matches only (api/demo/matches.py), never set by hand.
SYNTHETIC_STATUSES = ("validated",) * 7 + ("submitted", "under_review", "draft")
CONTRIBUTORS = (
    "civil_society",
    "academia",
    "refugee_led",
    "bar_law_firm",
    "un_international",
    "regional_organisation",
    "private_sector",
    "nhri_ombudsperson",
)


async def _exists(session: AsyncSession, model: Any, external_id: str) -> bool:
    statement = select(model.id).where(model.source == SOURCE, model.external_id == external_id)
    return (await session.execute(statement)).first() is not None


async def _organisation(session: AsyncSession, key: str) -> Organisation:
    organisation = await session.get(Organisation, demo_id("organisation:" + key))
    assert organisation is not None, key
    return organisation


async def _add_request(
    session: AsyncSession, spec: DemoRequest, organisation: Organisation, pledge_ids: dict[str, Any], submitted_at: Any
) -> None:
    assert organisation.country_iso3 is not None
    record = SupportRequest(
        id=demo_id("request:" + spec.key),
        reference=await next_reference(session, prefix="REQ", sequence="support_request_reference_seq"),
        title=spec.title,
        organisation_id=organisation.id,
        country_iso3=organisation.country_iso3,
        status=spec.status,
        public_summary=spec.summary,
        confidential_details=spec.confidential,
        languages=list(spec.languages),
        qualities=list(spec.qualities),
        urgency=spec.urgency,
        is_establishing_system=spec.establishing,
        starts_on=spec.starts_on,
        ends_on=spec.ends_on,
        allow_publication=True,
        source=SOURCE,
        external_id=spec.key,
        contacts=[
            {
                "name": f"Focal point, {organisation.short_name or organisation.name}",
                "email": f"focal.{spec.key}@acsg.demo",
            }
        ],
        submitted_at=submitted_at if spec.status != "draft" else None,
        validated_at=submitted_at + timedelta(days=12)
        if spec.status not in ("draft", "submitted", "under_review")
        else None,
    )
    components = [
        SupportRequestComponent(
            request_id=record.id,
            position=i,
            area_code=c.area,
            modalities=list(c.modalities),
            support_types=list(c.support_types),
            description=c.description,
        )
        for i, c in enumerate(spec.components)
    ]
    refresh_denormalised(record, components)
    session.add(record)
    await session.flush()
    session.add_all(components)
    if spec.pledge:
        session.add(SupportRequestPledge(request_id=record.id, pledge_id=pledge_ids[spec.pledge]))


async def _add_offer(
    session: AsyncSession, spec: DemoOffer, organisation: Organisation, pledge_ids: dict[str, Any], submitted_at: Any
) -> None:
    record = SupportOffer(
        id=demo_id("offer:" + spec.key),
        reference=await next_reference(session, prefix="OFF", sequence="support_offer_reference_seq"),
        title=spec.title,
        organisation_id=organisation.id,
        country_iso3=organisation.country_iso3,
        status=spec.status,
        public_summary=spec.summary,
        languages=list(spec.languages),
        serves_any=not (spec.served_countries or spec.served_regions),
        served_countries=list(spec.served_countries),
        served_regions=list(spec.served_regions),
        capacity=spec.capacity,
        allow_publication=True,
        source=SOURCE,
        external_id=spec.key,
        pledge_id=pledge_ids.get(spec.pledge) if spec.pledge else None,
        proactive_target_iso3=spec.proactive_target,
        contacts=[
            {
                "name": f"Offer contact, {organisation.short_name or organisation.name}",
                "email": f"offer.{spec.key}@acsg.demo",
            }
        ],
        submitted_at=submitted_at,
        validated_at=submitted_at + timedelta(days=9) if spec.status == "validated" else None,
    )
    components = [
        SupportOfferComponent(
            offer_id=record.id,
            position=i,
            area_code=c.area,
            modalities=list(c.modalities),
            support_types=list(c.support_types),
            description=c.description,
        )
        for i, c in enumerate(spec.components)
    ]
    refresh_denormalised(record, components)
    session.add(record)
    await session.flush()
    session.add_all(components)


async def seed_commitments(session: AsyncSession) -> int:
    """Load the demo commitments that are missing; return how many records were added."""
    added = 0
    pledge_ids: dict[str, Any] = {}
    for key, event, title, organisations, areas, stage in PLEDGES:
        pledge_id = demo_id("pledge:" + key)
        pledge_ids[key] = pledge_id
        if await session.get(Pledge, pledge_id) is not None:
            continue
        session.add(
            Pledge(
                id=pledge_id,
                source=SOURCE,
                external_id=f"DEMO-{event}-{key.upper()}",
                source_event=event,
                title=title,
                areas=list(areas),
                stage=stage,
                pledge_types=["technical"],
                submitted_on=date(2019, 12, 17) if event == "GRF2019" else date(2021, 12, 15),
            )
        )
        await session.flush()
        for position, organisation_key in enumerate(organisations):
            session.add(
                PledgeOrganisation(
                    pledge_id=pledge_id,
                    organisation_id=demo_id("organisation:" + organisation_key),
                    is_lead=position == 0,
                )
            )
        added += 1
    base = clock.now() - timedelta(days=900)
    for index, spec in enumerate(REQUESTS):
        if not await _exists(session, SupportRequest, spec.key):
            await _add_request(
                session,
                spec,
                await _organisation(session, spec.organisation),
                pledge_ids,
                base + timedelta(days=30 * index),
            )
            added += 1
    for index, offer in enumerate(OFFERS):
        if not await _exists(session, SupportOffer, offer.key):
            await _add_offer(
                session,
                offer,
                await _organisation(session, offer.organisation),
                pledge_ids,
                base + timedelta(days=25 * index),
            )
            added += 1
    added += await _seed_existing_support(session)
    added += await _seed_synthetic(session)
    await session.flush()
    return added


async def _seed_existing_support(session: AsyncSession) -> int:
    records = (
        (
            "eu-niger-registration",
            "European Union (bilateral programme)",
            "NER",
            ("procedures.registration",),
            date(2022, 1, 1),
            date(2026, 12, 31),
            False,
        ),
        (
            "germany-mexico-digital",
            "German development cooperation",
            "MEX",
            ("procedures.case_management",),
            date(2021, 6, 1),
            date(2027, 5, 31),
            False,
        ),
        (
            "undisclosed-chad-legal",
            "Undisclosed bilateral donor",
            "TCD",
            ("legal.legislation",),
            date(2024, 1, 1),
            None,
            True,
        ),
    )
    added = 0
    for key, provider, country, areas, starts_on, ends_on, confidential in records:
        if await _exists(session, ExistingSupport, key):
            continue
        session.add(
            ExistingSupport(
                provider_name=provider,
                recipient_country_iso3=country,
                areas=list(areas),
                area_codes=with_parents(areas),
                starts_on=starts_on,
                ends_on=ends_on,
                source_kind="bilateral",
                is_confidential=confidential,
                source=SOURCE,
                external_id=key,
                description="Recorded from the donor coordination meeting minutes.",
            )
        )
        added += 1
    return added


async def _synthetic_organisation(session: AsyncSession, key: str, **values: Any) -> Organisation:
    organisation = await session.get(Organisation, demo_id("organisation:" + key))
    if organisation is None:
        organisation = Organisation(id=demo_id("organisation:" + key), source=SOURCE, external_id=key, **values)
        session.add(organisation)
        await session.flush()
    return organisation


async def _seed_synthetic(session: AsyncSession, *, requests: int = 300, offers: int = 150) -> int:
    if await _exists(session, SupportRequest, "synthetic-request-0"):
        return 0
    rng = random.Random(2026)
    countries = (
        (
            await session.execute(
                select(Country)
                .where(Country.is_un_member.is_(True), Country.bureau_code.is_not(None))
                .order_by(Country.iso3)
            )
        )
        .scalars()
        .all()
    )
    areas = sorted(TITLES)
    now = clock.now()
    for index in range(requests):
        country = countries[(index * 7) % len(countries)]
        institution = await _synthetic_organisation(
            session,
            f"synthetic-authority-{country.iso3}",
            name=f"National asylum authority of {country.name_en}",
            kind="state_institution",
            contributor_type="state",
            country_iso3=country.iso3,
        )
        languages = LANGUAGE_BY_REGION.get(country.region_code or "", ("en",))
        language_index = {"en": 0, "fr": 1, "es": 2}.get(languages[0], 0)
        chosen = rng.sample(areas, k=rng.randint(1, 3))
        spec = DemoRequest(
            key=f"synthetic-request-{index}",
            organisation="",
            title=TITLES[chosen[0]][language_index],
            summary=" · ".join(TITLES[a][language_index] for a in chosen),
            components=tuple(
                DemoComponent(
                    a,
                    tuple(rng.sample(MODALITIES, k=rng.randint(1, 2))),
                    ("technical",) if rng.random() < 0.8 else ("technical", "material"),
                    TITLES[a][language_index],
                )
                for a in chosen
            ),
            languages=languages,
            status=rng.choice(SYNTHETIC_STATUSES),
            urgency=rng.choice(("low", "normal", "normal", "high", "critical")),
            qualities=tuple(rng.sample(("fairness", "efficiency", "adaptability", "integrity"), k=2)),
            starts_on=(now + timedelta(days=rng.randint(-200, 200))).date(),
        )
        await _add_request(session, spec, institution, {}, now - timedelta(days=rng.randint(5, 700)))
    for index in range(offers):
        contributor = CONTRIBUTORS[index % len(CONTRIBUTORS)]
        country = countries[(index * 11) % len(countries)]
        organisation = await _synthetic_organisation(
            session,
            f"synthetic-offerer-{index % 40}",
            name=f"{contributor.replace('_', ' ').title()} partner {index % 40}",
            kind="stakeholder",
            contributor_type=contributor,
            country_iso3=country.iso3,
        )
        chosen = rng.sample(areas, k=rng.randint(1, 2))
        regions = rng.sample(("002", "019", "142", "150", "009"), k=rng.randint(1, 2)) if rng.random() < 0.7 else []
        offer = DemoOffer(
            key=f"synthetic-offer-{index}",
            organisation="",
            title=f"Offer: {TITLES[chosen[0]][0]}",
            summary=" · ".join(TITLES[a][0] for a in chosen),
            components=tuple(
                DemoComponent(a, tuple(rng.sample(MODALITIES, k=2)), ("technical",), TITLES[a][0]) for a in chosen
            ),
            languages=tuple(rng.sample(("en", "fr", "es", "ar", "ru", "pt"), k=rng.randint(1, 3))),
            served_regions=tuple(regions),
            capacity=rng.randint(1, 5),
            status=rng.choice(("validated", "validated", "validated", "submitted")),
        )
        await _add_offer(session, offer, organisation, {}, now - timedelta(days=rng.randint(5, 700)))
    return requests + offers
