"""Demo knowledge base: the good practices on today's ACSG portal (a country of origin information unit in
Mexico, a refugee self-service kiosk in Zambia, remote interviews in Brazil) in English, French and Spanish,
and a handful of projects, tools, news and the 2021 stocktaking event. Stable ids: loading twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments.validation import with_parents
from api.demo.seed import demo_id
from api.knowledge.markdown import plain_text
from api.models.identity import Organisation
from api.models.knowledge import KnowledgeItem
from api.models.reference import Country


@dataclass(frozen=True)
class Version:
    title: str
    summary: str
    body: str


@dataclass(frozen=True)
class DemoItem:
    key: str
    kind: str
    areas: tuple[str, ...]
    countries: tuple[str, ...]
    contributor_types: tuple[str, ...]
    year: int
    versions: dict[str, Version]
    organisation: str | None = None
    regions: tuple[str, ...] = ()
    source_links: tuple[tuple[str, str], ...] = ()


ITEMS: tuple[DemoItem, ...] = (
    DemoItem(
        "good-practice-mexico-coi",
        "good_practice",
        ("procedures.coi", "procedures.rsd"),
        ("MEX", "CAN"),
        ("state",),
        2021,
        {
            "en": Version(
                "A country of origin information unit at COMAR",
                "Mexico's refugee commission set up a dedicated country of origin information (COI) unit, with "
                "support from Canada's Immigration and Refugee Board, so that eligibility officers base decisions on "
                "reliable, up-to-date information.",
                "## What was done\n\nCOMAR created a **COI unit** of researchers who answer eligibility officers' "
                "questions and publish country reports for the main countries of origin.\n\n## Results\n\n"
                "- Decisions cite verifiable sources\n- Research requests answered within days\n\n"
                "## Partners\n\nThe Immigration and Refugee Board of Canada shared its research methodology.",
            ),
            "fr": Version(
                "Une unité d'information sur les pays d'origine à la COMAR",
                "La commission mexicaine d'aide aux réfugiés a créé une unité d'information sur les pays d'origine, "
                "avec l'appui de la Commission de l'immigration et du statut de réfugié du Canada, afin que les "
                "décisions reposent sur des informations fiables et à jour.",
                "## Ce qui a été fait\n\nLa COMAR a créé une **unité d'information sur les pays d'origine** dont les "
                "chercheurs répondent aux questions des agents d'éligibilité et publient des rapports par pays.\n\n"
                "## Résultats\n\n- Des décisions fondées sur des sources vérifiables\n- Des réponses en quelques jours",
            ),
            "es": Version(
                "Una unidad de información de países de origen en la COMAR",
                "La Comisión Mexicana de Ayuda a Refugiados creó una unidad de información de países de origen, con "
                "el apoyo de la Junta de Inmigración y Refugio de Canadá, para que las decisiones se basen en "
                "información fiable y actualizada.",
                "## Qué se hizo\n\nLa COMAR creó una **unidad de información de países de origen** cuyos "
                "investigadores responden a las preguntas de los oficiales de elegibilidad.\n\n## Resultados\n\n"
                "- Decisiones basadas en fuentes verificables\n- Respuestas en pocos días",
            ),
        },
        organisation="mexico-comar",
    ),
    DemoItem(
        "good-practice-zambia-kiosk",
        "good_practice",
        ("procedures.registration", "expertise.innovation"),
        ("ZMB",),
        ("state", "un_international"),
        2022,
        {
            "en": Version(
                "A refugee self-service kiosk in Zambia",
                "Refugees in Zambia renew documents and check their case status at a self-service kiosk, which "
                "shortens queues at registration offices.",
                "## What was done\n\nA **self-service kiosk** lets refugees update their contact details, renew "
                "documents and follow their asylum case without waiting for an appointment.\n\n## Why it matters\n\n"
                "Registration staff spend their time on the cases that need them.",
            ),
            "fr": Version(
                "Une borne libre-service pour les réfugiés en Zambie",
                "En Zambie, les réfugiés renouvellent leurs documents et suivent leur dossier à une borne "
                "libre-service, ce qui réduit l'attente dans les bureaux d'enregistrement.",
                "## Ce qui a été fait\n\nUne **borne libre-service** permet aux réfugiés de mettre à jour leurs "
                "coordonnées, de renouveler leurs documents et de suivre leur demande d'asile sans rendez-vous.",
            ),
            "es": Version(
                "Un quiosco de autoservicio para refugiados en Zambia",
                "En Zambia, las personas refugiadas renuevan sus documentos y consultan su expediente en un quiosco "
                "de autoservicio, lo que acorta las filas en las oficinas de registro.",
                "## Qué se hizo\n\nUn **quiosco de autoservicio** permite actualizar los datos de contacto, renovar "
                "documentos y seguir la solicitud de asilo sin cita previa.",
            ),
        },
    ),
    DemoItem(
        "good-practice-brazil-remote-interviews",
        "good_practice",
        ("procedures.rsd", "procedures.contingency", "expertise.innovation"),
        ("BRA",),
        ("state",),
        2020,
        {
            "en": Version(
                "Remote interviews in Brazil",
                "Brazil's national refugee committee (CONARE) interviews asylum applicants by video link, so that "
                "people far from its offices, or unable to travel, still have their claims heard.",
                "## What was done\n\nCONARE set up **remote interviews** with secure video links from UNHCR and "
                "partner premises, with interpreters joining from elsewhere.\n\n## Safeguards\n\n"
                "- Consent of the applicant\n- A private room and a support person on site\n"
                "- Guidance: [UNHCR on remote interviewing](https://www.refworld.org)",
            ),
            "fr": Version(
                "Des entretiens à distance au Brésil",
                "Le comité national pour les réfugiés du Brésil (CONARE) mène des entretiens à distance par "
                "vidéo, afin que les demandeurs éloignés de ses bureaux soient entendus.",
                "## Ce qui a été fait\n\nLe CONARE a mis en place des **entretiens à distance** par liaison vidéo "
                "sécurisée, avec des interprètes connectés depuis d'autres villes.\n\n## Garanties\n\n"
                "- Consentement du demandeur\n- Une salle privée et une personne de soutien sur place",
            ),
            "es": Version(
                "Entrevistas a distancia en Brasil",
                "El Comité Nacional para los Refugiados de Brasil (CONARE) realiza entrevistas a distancia por "
                "videoconferencia, para que las personas alejadas de sus oficinas sean escuchadas.",
                "## Qué se hizo\n\nEl CONARE organizó **entrevistas a distancia** por enlace de video seguro, con "
                "intérpretes conectados desde otras ciudades.\n\n## Garantías\n\n- Consentimiento del solicitante\n"
                "- Una sala privada y una persona de apoyo en el lugar",
            ),
        },
    ),
    DemoItem(
        "project-canada-mexico",
        "project",
        ("procedures.rsd", "procedures.quality", "institutional.training"),
        ("MEX", "CAN"),
        ("state",),
        2019,
        {
            "en": Version(
                "Canada and Mexico: strengthening refugee status determination (2019-2022)",
                "IRCC and the IRB supported COMAR with training, quality assurance and case management advice.",
                "Peer exchanges between Canadian and Mexican decision makers, training of eligibility officers and "
                "a quality assurance framework for first-instance decisions.",
            ),
        },
        organisation="canada-irb",
    ),
    DemoItem(
        "project-france-niger",
        "project",
        ("procedures.rsd", "procedures.registration", "institutional.training"),
        ("NER", "FRA"),
        ("state",),
        2021,
        {
            "fr": Version(
                "France et Niger : appui à la détermination du statut de réfugié",
                "L'OFPRA, la CNDA et le ministère de l'Intérieur appuient la direction de l'état civil et des "
                "réfugiés du Niger depuis avril 2021.",
                "Formations à l'entretien et à la rédaction des décisions, visites d'étude et appui à "
                "l'enregistrement des demandes d'asile.",
            ),
        },
        organisation="france-ofpra",
    ),
    DemoItem(
        "project-georgia-study-visits",
        "project",
        ("procedures.rsd", "procedures.coi", "procedures.quality"),
        ("GEO", "MKD", "TJK"),
        ("state",),
        2022,
        {
            "en": Version(
                "Georgia hosts study visits for North Macedonia and Tajikistan",
                "Study visits on refugee status determination, country of origin information and quality "
                "assurance, in July and October 2022.",
                "Georgia's Ministry of Internal Affairs shared its RSD, COI and quality assurance practice with "
                "asylum officials from North Macedonia and Tajikistan.",
            ),
        },
        organisation="georgia-mia",
    ),
    DemoItem(
        "tool-quality-assurance",
        "tool",
        ("procedures.quality", "procedures.rsd"),
        (),
        ("un_international",),
        2023,
        {
            "en": Version(
                "Quality assurance toolkit for first-instance decisions",
                "Checklists and a sampling method to review asylum decisions and feed the results back to training.",
                "1. Sample decisions each month\n2. Review them with the checklist\n3. Share findings with the "
                "training unit",
            ),
            "fr": Version(
                "Boîte à outils d'assurance qualité des décisions de première instance",
                "Des listes de contrôle et une méthode d'échantillonnage pour relire les décisions d'asile.",
                "1. Échantillonner les décisions chaque mois\n2. Les relire avec la liste de contrôle\n3. Partager "
                "les constats avec l'unité de formation",
            ),
        },
    ),
    DemoItem(
        "tool-legislation-guidance",
        "tool",
        ("legal.legislation", "institutional.establishment"),
        (),
        ("un_international",),
        2023,
        {
            "en": Version(
                "Guidance for States drafting a first asylum law",
                "What an asylum law covers, who to consult, and how the ACSG can connect drafters with peers.",
                "Covers definitions, procedural guarantees, the institution deciding claims, appeals and "
                "transitional provisions.",
            ),
        },
        regions=("002",),
    ),
    DemoItem(
        "news-grf-2023",
        "news",
        ("institutional",),
        (),
        ("un_international",),
        2023,
        {
            "en": Version(
                "New asylum capacity pledges at the Global Refugee Forum 2023",
                "States and stakeholders made new pledges to support asylum systems; the ACSG will match them.",
                "The Secretariat is reviewing the pledges and will contact pledging entities in the coming weeks.",
            ),
            "es": Version(
                "Nuevas promesas sobre capacidad de asilo en el Foro Mundial sobre los Refugiados 2023",
                "Estados y otros actores asumieron nuevos compromisos de apoyo a los sistemas de asilo.",
                "La Secretaría revisa las promesas y contactará a las entidades en las próximas semanas.",
            ),
        },
    ),
    DemoItem(
        "event-stocktaking-2021",
        "event",
        ("institutional", "procedures"),
        (),
        ("state", "un_international", "civil_society"),
        2021,
        {
            "en": Version(
                "ACSG stocktaking 2021",
                "The first stocktaking of the Asylum Capacity Support Group: matches so far, lessons learned and "
                "priorities for the High-Level Officials Meeting.",
                "Participants reviewed the first matches, the consent process and how to report progress.",
            ),
            "fr": Version(
                "Bilan 2021 du Groupe d'appui à la capacité d'asile",
                "Premier bilan du Groupe d'appui : mises en relation, enseignements et priorités pour la réunion de "
                "hauts fonctionnaires.",
                "Les participants ont examiné les premières mises en relation et le suivi des progrès.",
            ),
        },
    ),
)


async def seed_knowledge(session: AsyncSession) -> int:
    """Insert the demo items that are missing (by stable id)."""
    added = 0
    published_at = datetime(2024, 1, 15, tzinfo=UTC)
    for index, spec in enumerate(ITEMS):
        group_id = demo_id("knowledge-group:" + spec.key)
        organisation_id = demo_id("organisation:" + spec.organisation) if spec.organisation else None
        if organisation_id is not None and await session.get(Organisation, organisation_id) is None:
            organisation_id = None
        region_codes: set[str] = set(spec.regions)
        for iso3 in spec.countries:
            country = await session.get(Country, iso3)
            if country is not None:
                region_codes |= {
                    c for c in (country.region_code, country.subregion_code, country.intermediate_region_code) if c
                }
        for language, version in spec.versions.items():
            item_id = demo_id(f"knowledge:{spec.key}:{language}")
            if await session.get(KnowledgeItem, item_id) is not None:
                continue
            session.add(
                KnowledgeItem(
                    id=item_id,
                    translation_group_id=group_id,
                    language=language,
                    kind=spec.kind,
                    status="published",
                    title=version.title,
                    summary=version.summary,
                    body=version.body,
                    body_text=plain_text(version.body),
                    areas=list(spec.areas),
                    area_codes=with_parents(spec.areas),
                    countries=list(spec.countries),
                    regions=list(spec.regions),
                    region_codes=sorted(region_codes),
                    contributor_types=list(spec.contributor_types),
                    source_links=[{"title": t, "url": u} for t, u in spec.source_links],
                    attachment_links=[],
                    organisation_id=organisation_id,
                    year=spec.year,
                    starts_on=date(spec.year, 1, 1),
                    published_at=published_at.replace(day=1 + index),
                    submitted_at=published_at,
                )
            )
            added += 1
    await session.flush()
    return added
