"""The demo data set: organisations and users for every role, and (as later modules add them) the real
public ACSG examples. Idempotent: running it twice changes nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.core.security import hash_password
from api.models.identity import Membership, OfficeCountry, Organisation, User

DEMO_PASSWORD = "acsg-demo-password"  # noqa: S105 - printed for the demo, refused in production

# Stable ids so links in the demo (and the browser tests) survive re-seeding.
NAMESPACE = uuid.UUID("5f0c8a52-2f43-4d0e-9c4b-2b8a4c1e7a10")


def demo_id(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, key)


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    kind: str
    contributor_type: str
    country: str | None = None
    parent: str | None = None
    bureau: str | None = None
    short_name: str | None = None
    office_countries: tuple[str, ...] = ()
    website: str | None = None


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    organisation: str
    role: str
    language: str = "en"
    description: str = ""


ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(
        "secretariat",
        "ACSG Secretariat (UNHCR Division of International Protection)",
        "secretariat",
        "un_international",
        short_name="ACSG Secretariat",
        country="CHE",
    ),
    DemoOrganisation(
        "bureau-americas",
        "UNHCR Regional Bureau for the Americas",
        "unhcr_bureau",
        "un_international",
        bureau="americas",
        country="PAN",
    ),
    DemoOrganisation(
        "bureau-wca",
        "UNHCR Regional Bureau for West and Central Africa",
        "unhcr_bureau",
        "un_international",
        bureau="wca",
        country="SEN",
    ),
    DemoOrganisation(
        "bureau-europe",
        "UNHCR Regional Bureau for Europe",
        "unhcr_bureau",
        "un_international",
        bureau="europe",
        country="BEL",
    ),
    DemoOrganisation("office-mexico", "UNHCR Mexico", "unhcr_country_office", "un_international", country="MEX"),
    DemoOrganisation("office-niger", "UNHCR Niger", "unhcr_country_office", "un_international", country="NER"),
    DemoOrganisation("office-chad", "UNHCR Chad", "unhcr_country_office", "un_international", country="TCD"),
    DemoOrganisation(
        "office-philippines", "UNHCR Philippines", "unhcr_country_office", "un_international", country="PHL"
    ),
    DemoOrganisation(
        "office-caucasus",
        "UNHCR South Caucasus (Georgia)",
        "unhcr_country_office",
        "un_international",
        country="GEO",
        office_countries=("ARM", "AZE"),
    ),
    DemoOrganisation("gov-canada", "Government of Canada", "state_government", "state", country="CAN"),
    DemoOrganisation(
        "canada-ircc",
        "Immigration, Refugees and Citizenship Canada",
        "state_institution",
        "state",
        country="CAN",
        parent="gov-canada",
        short_name="IRCC",
    ),
    DemoOrganisation(
        "canada-irb",
        "Immigration and Refugee Board of Canada",
        "state_institution",
        "state",
        country="CAN",
        parent="gov-canada",
        short_name="IRB",
    ),
    DemoOrganisation("gov-mexico", "Government of Mexico", "state_government", "state", country="MEX"),
    DemoOrganisation(
        "mexico-comar",
        "Comisión Mexicana de Ayuda a Refugiados",
        "state_institution",
        "state",
        country="MEX",
        parent="gov-mexico",
        short_name="COMAR",
    ),
    DemoOrganisation(
        "gov-france", "Gouvernement de la République française", "state_government", "state", country="FRA"
    ),
    DemoOrganisation(
        "france-ofpra",
        "Office français de protection des réfugiés et apatrides",
        "state_institution",
        "state",
        country="FRA",
        parent="gov-france",
        short_name="OFPRA",
    ),
    DemoOrganisation(
        "france-cnda",
        "Cour nationale du droit d'asile",
        "state_institution",
        "state",
        country="FRA",
        parent="gov-france",
        short_name="CNDA",
    ),
    DemoOrganisation("gov-niger", "Gouvernement de la République du Niger", "state_government", "state", country="NER"),
    DemoOrganisation(
        "niger-dgecmr",
        "Direction générale de l'état civil, des migrations et des réfugiés",
        "state_institution",
        "state",
        country="NER",
        parent="gov-niger",
        short_name="DGEC-M/R",
    ),
    DemoOrganisation("gov-chad", "Gouvernement de la République du Tchad", "state_government", "state", country="TCD"),
    DemoOrganisation(
        "chad-cnarr",
        "Commission nationale d'accueil et de réinsertion des réfugiés et des rapatriés",
        "state_institution",
        "state",
        country="TCD",
        parent="gov-chad",
        short_name="CNARR",
    ),
    DemoOrganisation("gov-new-zealand", "New Zealand Government", "state_government", "state", country="NZL"),
    DemoOrganisation(
        "nz-mbie",
        "Ministry of Business, Innovation and Employment",
        "state_institution",
        "state",
        country="NZL",
        parent="gov-new-zealand",
        short_name="MBIE",
    ),
    DemoOrganisation("gov-philippines", "Government of the Philippines", "state_government", "state", country="PHL"),
    DemoOrganisation(
        "philippines-doj",
        "Department of Justice, Refugees and Stateless Persons Protection Unit",
        "state_institution",
        "state",
        country="PHL",
        parent="gov-philippines",
        short_name="DOJ RSPPU",
    ),
    DemoOrganisation("gov-georgia", "Government of Georgia", "state_government", "state", country="GEO"),
    DemoOrganisation(
        "georgia-mia",
        "Ministry of Internal Affairs of Georgia, Migration Department",
        "state_institution",
        "state",
        country="GEO",
        parent="gov-georgia",
    ),
    DemoOrganisation(
        "gov-north-macedonia", "Government of North Macedonia", "state_government", "state", country="MKD"
    ),
    DemoOrganisation(
        "north-macedonia-moi",
        "Ministry of Interior of North Macedonia, Asylum Sector",
        "state_institution",
        "state",
        country="MKD",
        parent="gov-north-macedonia",
    ),
    DemoOrganisation("gov-tajikistan", "Government of Tajikistan", "state_government", "state", country="TJK"),
    DemoOrganisation(
        "tajikistan-mia",
        "Ministry of Internal Affairs of Tajikistan, Refugee Status Department",
        "state_institution",
        "state",
        country="TJK",
        parent="gov-tajikistan",
    ),
    DemoOrganisation("stakeholder-clinic", "Refugee Law Clinic Network", "stakeholder", "academia", country="GBR"),
    DemoOrganisation("stakeholder-rlo", "Refugee-Led Research Hub", "stakeholder", "refugee_led", country="KEN"),
    DemoOrganisation("stakeholder-bar", "Bar Pro Bono Asylum Initiative", "stakeholder", "bar_law_firm", country="ESP"),
)

USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "secretariat@acsg.demo",
        "Amina Secretariat",
        "secretariat",
        "focal_point",
        description="ACSG Secretariat: validates, matches, publishes, administers",
    ),
    DemoUser(
        "bureau.americas@acsg.demo",
        "Bruno Bureau",
        "bureau-americas",
        "focal_point",
        "es",
        "UNHCR regional bureau (Americas)",
    ),
    DemoUser(
        "office.mexico@acsg.demo",
        "Marta Oficina",
        "office-mexico",
        "focal_point",
        "es",
        "UNHCR country office (Mexico)",
    ),
    DemoUser(
        "office.niger@acsg.demo",
        "Ibrahim Bureau-Pays",
        "office-niger",
        "focal_point",
        "fr",
        "UNHCR country office (Niger)",
    ),
    DemoUser("comar@acsg.demo", "Lucía COMAR", "mexico-comar", "focal_point", "es", "State focal point (Mexico)"),
    DemoUser("irb@acsg.demo", "Charles IRB", "canada-irb", "focal_point", "en", "State focal point (Canada, IRB)"),
    DemoUser("ircc.editor@acsg.demo", "Priya IRCC", "canada-ircc", "editor", "en", "State editor (Canada, IRCC)"),
    DemoUser("ofpra@acsg.demo", "Claire OFPRA", "france-ofpra", "focal_point", "fr", "State focal point (France)"),
    DemoUser("niger@acsg.demo", "Moussa DGEC", "niger-dgecmr", "focal_point", "fr", "State focal point (Niger)"),
    DemoUser("chad@acsg.demo", "Achta CNARR", "chad-cnarr", "focal_point", "fr", "State focal point (Chad)"),
    DemoUser("mbie@acsg.demo", "Aroha MBIE", "nz-mbie", "focal_point", "en", "State focal point (New Zealand)"),
    DemoUser(
        "doj.ph@acsg.demo",
        "Jose DOJ",
        "philippines-doj",
        "focal_point",
        "en",
        "State focal point (Philippines)",
    ),
    DemoUser("georgia@acsg.demo", "Nino MIA", "georgia-mia", "focal_point", "en", "State focal point (Georgia)"),
    DemoUser(
        "mia.mk@acsg.demo",
        "Elena MVR",
        "north-macedonia-moi",
        "focal_point",
        "en",
        "State focal point (North Macedonia)",
    ),
    DemoUser(
        "mia.tj@acsg.demo",
        "Farrukh MIA",
        "tajikistan-mia",
        "focal_point",
        "en",
        "State focal point (Tajikistan)",
    ),
    DemoUser(
        "clinic@acsg.demo",
        "Sam Clinic",
        "stakeholder-clinic",
        "focal_point",
        "en",
        "Stakeholder focal point (academia)",
    ),
    DemoUser(
        "clinic.viewer@acsg.demo",
        "Vera Viewer",
        "stakeholder-clinic",
        "viewer",
        "en",
        "Stakeholder viewer (read only)",
    ),
)


async def seed_identities(session: AsyncSession) -> int:
    """Create the demo organisations and users that are missing; return how many records were added."""
    added = 0
    ids = {org.key: demo_id("organisation:" + org.key) for org in ORGANISATIONS}
    existing = set((await session.execute(select(Organisation.id).where(Organisation.id.in_(ids.values())))).scalars())
    for org in ORGANISATIONS:
        if ids[org.key] in existing:
            continue
        session.add(
            Organisation(
                id=ids[org.key],
                name=org.name,
                short_name=org.short_name,
                kind=org.kind,
                contributor_type=org.contributor_type,
                country_iso3=org.country,
                parent_id=ids[org.parent] if org.parent else None,
                bureau_code=org.bureau,
                website=org.website,
            )
        )
        await session.flush()
        if org.kind == "unhcr_country_office":
            for iso3 in {org.country, *org.office_countries} - {None}:
                session.add(OfficeCountry(organisation_id=ids[org.key], country_iso3=iso3))
        added += 1
    await session.flush()

    password_hash: str | None = None
    for person in USERS:
        user_id = demo_id("user:" + person.email)
        if await session.get(User, user_id) is not None:
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        session.add(
            User(
                id=user_id,
                email=person.email,
                full_name=person.full_name,
                password_hash=password_hash,
                preferred_language=person.language,
            )
        )
        await session.flush()
        session.add(Membership(user_id=user_id, organisation_id=ids[person.organisation], role=person.role))
        added += 1
    await session.flush()
    return added
