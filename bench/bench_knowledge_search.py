"""Knowledge-base search at 100x today's volume: 50,000 items in English, French and Spanish.

Summaries of about 40 words and bodies of about 300 words are drawn from an asylum vocabulary in each language
(word frequencies follow a Zipf law, so some words appear in nearly every item and a few in a handful). Rows are
loaded with COPY into a scratch database; the API runs as its own process (one worker, like one production
replica) and is measured over HTTP with 16 concurrent clients:

- a selective query (a rare term: target p95 <= 20 ms);
- a common-word query with ranking (a word found in most items of its language: target p99 <= 150 ms);
- for reference: the same queries with facet counts, a filtered query, and the browse list without a query.

Run: `.venv/bin/python bench/bench_knowledge_search.py [--items 50000] [--requests 2000]`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from api.core.pagination import encode_cursor
from bench.common import ROOT, free_port, machine, measure_http, scratch_database, start_server

KINDS = ["project", "good_practice", "tool", "news", "event"]
AREAS = [
    "procedures.rsd",
    "procedures.coi",
    "procedures.quality",
    "procedures.registration",
    "procedures.backlog",
    "procedures.case_management",
    "procedures.appeals",
    "procedures.interpretation",
    "legal.legislation",
    "legal.regulation",
    "institutional.training",
    "institutional.organisation",
    "expertise.legal_aid",
    "expertise.research",
    "expertise.innovation",
    "expertise.participation",
]
CONTRIBUTOR_TYPES = ["state", "un_international", "civil_society", "academia", "refugee_led", "regional_organisation"]


def words(text: str) -> list[str]:
    return text.split()


# Ordered from most to least frequent: the first words of each list appear in nearly every text.
VOCABULARY = {
    "en": words(
        "asylum refugee system procedure support authority national officers capacity training decision "
        "protection case interview quality application applicants country information eligibility status first "
        "instance staff management review determination practice government cooperation partners guidance data "
        "registration documentation appeal tribunal legal aid counselling backlog reduction efficiency fairness "
        "integrity adaptability digital tools mentoring peer exchange study visit expert deployment remote "
        "hearing credibility assessment origin researchers reports statistics monitoring oversight ombudsperson "
        "interpretation translation interpreters gender diversity children unaccompanied vulnerable specific "
        "needs exclusion security screening contingency emergency planning legislation amendment regulation "
        "operating standard manual curriculum induction module workshop seminar evaluation indicators baseline "
        "target progress results lessons learned sustainability ownership institutional reform budget financing "
        "infrastructure equipment software database integration network regional framework convention cartagena "
        "kampala community participation consultation feedback accountability transparency"
    ),
    "fr": words(
        "asile réfugiés système procédure soutien autorité nationale agents capacité formation décision "
        "protection dossier entretien qualité demande demandeurs pays information éligibilité statut première "
        "instance personnel gestion examen détermination pratique gouvernement coopération partenaires conseils "
        "données enregistrement documentation recours tribunal aide juridique accompagnement arriéré réduction "
        "efficacité équité intégrité adaptabilité numérique outils tutorat pairs échange visite étude experts "
        "déploiement distance audience crédibilité évaluation origine chercheurs rapports statistiques suivi "
        "contrôle médiateur interprétation traduction interprètes genre diversité enfants mineurs isolés "
        "vulnérables besoins spécifiques exclusion sécurité filtrage urgence planification législation réforme "
        "règlement procédures normalisées manuel programme accueil module atelier séminaire indicateurs "
        "référence cible progrès résultats enseignements durabilité appropriation institutionnelle budget "
        "financement infrastructure équipement logiciel base intégration réseau régional cadre convention "
        "communauté participation consultation retour redevabilité transparence"
    ),
    "es": words(
        "asilo refugiados sistema procedimiento apoyo autoridad nacional funcionarios capacidad capacitación "
        "decisión protección expediente entrevista calidad solicitud solicitantes país información elegibilidad "
        "condición primera instancia personal gestión revisión determinación práctica gobierno cooperación socios "
        "orientación datos registro documentación apelación tribunal asistencia jurídica acompañamiento rezago "
        "reducción eficiencia equidad integridad adaptabilidad digital herramientas mentoría pares intercambio "
        "visita estudio expertos despliegue distancia audiencia credibilidad evaluación origen investigadores "
        "informes estadísticas seguimiento supervisión defensoría interpretación traducción intérpretes género "
        "diversidad niños niñas acompañar vulnerables necesidades específicas exclusión seguridad emergencia "
        "planificación legislación reforma reglamento normas manual currículo inducción módulo taller seminario "
        "indicadores línea base meta avances resultados lecciones aprendidas sostenibilidad apropiación "
        "institucional presupuesto financiamiento infraestructura equipo programa base integración red regional "
        "marco convención cartagena comunidad participación consulta retroalimentación rendición transparencia"
    ),
}
# Rare terms: each placed in about 0.05% of the items of its language.
RARE = {
    "en": ["kiosk", "biometrics", "videoconference", "ombudsman", "tajik", "macedonian", "zambian", "helpdesk"],
    "fr": ["borne", "biométrie", "visioconférence", "tadjik", "macédonien", "zambien", "guichet", "nigérien"],
    "es": ["quiosco", "biometría", "videoconferencia", "tayiko", "macedonio", "zambiano", "ventanilla", "mexicano"],
}
SELECTIVE_QUERIES = [
    {"q": "kiosk"},
    {"q": "borne"},
    {"q": "quiosco"},
    {"q": "videoconference interview"},
    {"q": "visioconference"},
    {"q": "biometria"},
    {"q": "zambian kiosk"},
    {"q": "tayiko"},
]
COMMON_QUERIES = [
    {"q": "asylum"},
    {"q": "asile"},
    {"q": "asilo"},
    {"q": "refugee system"},
    {"q": "systeme d'asile"},
    {"q": "sistema de asilo"},
]
FILTERED_QUERIES = [
    {"q": "training", "area": "procedures", "language": "en"},
    {"q": "formation", "region": "002", "kind": "good_practice"},
    {"q": "capacitacion", "year": "2024", "contributor_type": "state"},
]


def zipf_weights(n: int) -> list[float]:
    return [1.0 / (rank + 1) ** 1.05 for rank in range(n)]


def text_from(rng: random.Random, language: str, words: int, weights: list[float]) -> str:
    vocabulary = VOCABULARY[language]
    chosen = rng.choices(vocabulary, weights=weights, k=words)
    sentences, sentence = [], []
    for word in chosen:
        sentence.append(word)
        if len(sentence) >= rng.randint(8, 16):
            sentences.append(" ".join(sentence).capitalize() + ".")
            sentence = []
    if sentence:
        sentences.append(" ".join(sentence).capitalize() + ".")
    return " ".join(sentences)


def with_parents(codes: list[str]) -> list[str]:
    return sorted({c for code in codes for c in (code, code.split(".")[0])})


async def load(url: str, items: int, rng: random.Random) -> dict[str, Any]:
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    try:
        countries = await connection.fetch(
            "SELECT iso3, region_code, subregion_code, intermediate_region_code FROM countries "
            "WHERE is_un_member AND bureau_code IS NOT NULL ORDER BY iso3"
        )
        now = datetime.now(UTC)
        weights = {language: zipf_weights(len(words)) for language, words in VOCABULARY.items()}
        records = []
        started = time.perf_counter()
        for index in range(items):
            language = ("en", "fr", "es")[index % 3]
            group = uuid.uuid4()
            summary = text_from(rng, language, 40, weights[language])
            body = text_from(rng, language, 300, weights[language])
            if rng.random() < 0.0005 * len(RARE[language]):
                body = f"{body} {rng.choice(RARE[language]).capitalize()}."
            title = text_from(rng, language, rng.randint(5, 9), weights[language]).rstrip(".")
            chosen_areas = rng.sample(AREAS, rng.randint(1, 3))
            picked = [rng.choice(countries) for _ in range(rng.randint(1, 2))]
            country_codes = sorted({c["iso3"] for c in picked})
            region_codes = sorted(
                {
                    code
                    for c in picked
                    for code in (c["region_code"], c["subregion_code"], c["intermediate_region_code"])
                    if code
                }
            )
            published = now - timedelta(hours=index)
            records.append(
                (
                    uuid.uuid4(),
                    group,
                    language,
                    rng.choice(KINDS),
                    "published",
                    title,
                    summary,
                    body,
                    body,
                    chosen_areas,
                    with_parents(chosen_areas),
                    country_codes,
                    [],
                    region_codes,
                    rng.sample(CONTRIBUTOR_TYPES, rng.randint(1, 2)),
                    "[]",
                    "[]",
                    rng.randint(2019, 2026),
                    date(2024, 1, 1),
                    None,
                    published,
                    published,
                    published,
                    1,
                )
            )
        await connection.copy_records_to_table(
            "knowledge_items",
            columns=[
                "id",
                "translation_group_id",
                "language",
                "kind",
                "status",
                "title",
                "summary",
                "body",
                "body_text",
                "areas",
                "area_codes",
                "countries",
                "regions",
                "region_codes",
                "contributor_types",
                "source_links",
                "attachment_links",
                "year",
                "starts_on",
                "ends_on",
                "published_at",
                "created_at",
                "updated_at",
                "version",
            ],
            records=records,
        )
        await connection.execute("VACUUM ANALYZE knowledge_items")
        return {"load_seconds": time.perf_counter() - started}
    finally:
        await connection.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=2_000, help="HTTP requests per measurement")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--load-only", action="store_true", help="load, print the database URL and wait")
    args = parser.parse_args()
    rng = random.Random(11)
    print(machine())
    async with scratch_database() as url:
        loaded = await load(url, args.items, rng)
        print(f"loaded {args.items} knowledge items (EN/FR/ES) in {loaded['load_seconds']:.1f} s")
        if args.load_only:
            print(url, flush=True)
            await asyncio.sleep(3600)
            return
        port = free_port()
        server = start_server(url, port)
        try:
            base = f"http://127.0.0.1:{port}"
            path = "/api/v1/knowledge/items"
            total = args.requests
            page_three = encode_cursor("ranked", [40])

            def search(queries: list[dict[str, str]], **extra: str) -> Any:
                return lambda c, i: c.get(path, params={**queries[i % len(queries)], **extra})

            # (name, request, concurrency, total). At concurrency 1 the figures are one query's latency (what
            # the targets are about); with 16 clients in flight on two cores, queueing dominates: the trivial
            # endpoint measured first shows the floor that queueing alone puts under every figure.
            measurements = [
                ("trivial endpoint (queueing floor)", lambda c, i: c.get("/api/v1/reference/bureaux"), 16, total),
                ("selective query (rare term)", search(SELECTIVE_QUERIES), 1, total // 2),
                ("common-word query, ranked", search(COMMON_QUERIES), 1, total // 2),
                ("filtered query, ranked", search(FILTERED_QUERIES), 1, total // 4),
                ("common-word query, ranked, page 3", search(COMMON_QUERIES, cursor=page_three), 1, total // 4),
                ("browse (no query), newest first", search([{}]), 1, total // 4),
                ("selective query + facets", search(SELECTIVE_QUERIES, facets="true"), 1, total // 4),
                ("common-word query + facets", search(COMMON_QUERIES, facets="true"), 1, total // 10),
                ("selective query (rare term)", search(SELECTIVE_QUERIES), 16, total),
                ("common-word query, ranked", search(COMMON_QUERIES), 16, total),
            ]
            for name, request, concurrency, count in measurements:
                result = await measure_http(
                    f"{name} [c={concurrency}]", request, base_url=base, concurrency=concurrency, total=count
                )
                print(result.line(), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    asyncio.run(main())
