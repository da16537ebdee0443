"""Regenerate api/reference/data/{countries,regions,languages}.json from maintained packages.

- the ISO 3166-1 list and codes: pycountry;
- names in English, French and Spanish (countries, M49 areas, languages): babel (Unicode CLDR);
- UN M49 sub-region and UN membership: country_converter's data table (read as a file, so pandas is not needed);
- UNHCR regional bureau: derived from the M49 area with the exceptions UNHCR's bureau structure makes (below);
- UNHCR country codes: the codes UNHCR's statistics use where they are known; the rest stay empty and the
  Secretariat fills them in.

Run: `.venv/bin/python scripts/generate_reference_data.py` (tests/reference/test_reference_data.py checks the
committed files are what this prints).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pycountry
from babel import Locale

OUT = Path(__file__).resolve().parent.parent / "api" / "reference" / "data"
LANGUAGES = ("en", "fr", "es")

# The UN M49 hierarchy: code -> (level, parent, official English name). Names in French and Spanish come
# from CLDR; English keeps the M49 wording ("Latin America and the Caribbean").
M49_AREAS: dict[str, tuple[str, str | None, str]] = {
    "002": ("region", None, "Africa"),
    "019": ("region", None, "Americas"),
    "142": ("region", None, "Asia"),
    "150": ("region", None, "Europe"),
    "009": ("region", None, "Oceania"),
    "015": ("subregion", "002", "Northern Africa"),
    "202": ("subregion", "002", "Sub-Saharan Africa"),
    "419": ("subregion", "019", "Latin America and the Caribbean"),
    "021": ("subregion", "019", "Northern America"),
    "143": ("subregion", "142", "Central Asia"),
    "030": ("subregion", "142", "Eastern Asia"),
    "035": ("subregion", "142", "South-eastern Asia"),
    "034": ("subregion", "142", "Southern Asia"),
    "145": ("subregion", "142", "Western Asia"),
    "151": ("subregion", "150", "Eastern Europe"),
    "154": ("subregion", "150", "Northern Europe"),
    "039": ("subregion", "150", "Southern Europe"),
    "155": ("subregion", "150", "Western Europe"),
    "053": ("subregion", "009", "Australia and New Zealand"),
    "054": ("subregion", "009", "Melanesia"),
    "057": ("subregion", "009", "Micronesia"),
    "061": ("subregion", "009", "Polynesia"),
    "014": ("intermediate", "202", "Eastern Africa"),
    "017": ("intermediate", "202", "Middle Africa"),
    "018": ("intermediate", "202", "Southern Africa"),
    "011": ("intermediate", "202", "Western Africa"),
    "029": ("intermediate", "419", "Caribbean"),
    "013": ("intermediate", "419", "Central America"),
    "005": ("intermediate", "419", "South America"),
}
_BY_NAME = {name: code for code, (_, _, name) in M49_AREAS.items()}

# UNHCR regional bureaux by M49 area, then the countries UNHCR places elsewhere.
BUREAU_BY_M49 = {
    "021": "americas",
    "029": "americas",
    "013": "americas",
    "005": "americas",
    "143": "asia_pacific",
    "030": "asia_pacific",
    "035": "asia_pacific",
    "034": "asia_pacific",
    "053": "asia_pacific",
    "054": "asia_pacific",
    "057": "asia_pacific",
    "061": "asia_pacific",
    "151": "europe",
    "154": "europe",
    "039": "europe",
    "155": "europe",
    "145": "mena",
    "015": "mena",
    "014": "ehagl",
    "017": "wca",
    "018": "southern_africa",
    "011": "wca",
}
BUREAU_EXCEPTIONS = {
    # Western Asia covered by the Europe bureau.
    "ARM": "europe",
    "AZE": "europe",
    "CYP": "europe",
    "GEO": "europe",
    "ISR": "europe",
    "TUR": "europe",
    # Sudan (M49 Northern Africa) is with East and Horn of Africa and the Great Lakes.
    "SDN": "ehagl",
    # Mauritania (M49 Western Africa) is covered by the Middle East and North Africa bureau.
    "MRT": "mena",
    # Indian Ocean and Middle Africa countries covered by the Southern Africa bureau.
    "COM": "southern_africa",
    "MDG": "southern_africa",
    "MWI": "southern_africa",
    "MUS": "southern_africa",
    "MOZ": "southern_africa",
    "SYC": "southern_africa",
    "ZMB": "southern_africa",
    "ZWE": "southern_africa",
    "REU": "southern_africa",
    "MYT": "southern_africa",
    "ATF": "southern_africa",
    "AGO": "southern_africa",
    "COD": "southern_africa",
    "COG": "southern_africa",
}

# UNHCR's own three-letter codes where they are known. They differ from ISO and some collide with another
# country's ISO code (UNHCR AUS is Austria; UNHCR ARE is Egypt).
UNHCR_CODES = {
    "AFG": "AFG",
    "DZA": "ALG",
    "AGO": "ANG",
    "AUS": "AUL",
    "AUT": "AUS",
    "BGD": "BGD",
    "BDI": "BDI",
    "BFA": "BKF",
    "BRA": "BRA",
    "CAF": "CAR",
    "CMR": "CMR",
    "CAN": "CAN",
    "TCD": "CHD",
    "CHN": "CHI",
    "CIV": "ICO",
    "COD": "COD",
    "COG": "COB",
    "COL": "COL",
    "DNK": "DEN",
    "ECU": "ECU",
    "EGY": "ARE",
    "ETH": "ETH",
    "FRA": "FRA",
    "GEO": "GEO",
    "DEU": "GFR",
    "GRC": "GRE",
    "IRN": "IRN",
    "IRQ": "IRQ",
    "ITA": "ITA",
    "JOR": "JOR",
    "KEN": "KEN",
    "LBN": "LEB",
    "LBY": "LBY",
    "MLI": "MLI",
    "MRT": "MAU",
    "MEX": "MEX",
    "MAR": "MOR",
    "MMR": "MYA",
    "NLD": "NET",
    "NZL": "NZL",
    "NER": "NGR",
    "NGA": "NIG",
    "PAK": "PAK",
    "PER": "PER",
    "PHL": "PHI",
    "RWA": "RWA",
    "SOM": "SOM",
    "ZAF": "RSA",
    "SSD": "SSD",
    "ESP": "SPA",
    "SDN": "SUD",
    "SWE": "SWE",
    "CHE": "SWI",
    "SYR": "SYR",
    "TJK": "TJK",
    "TZA": "TAN",
    "THA": "THA",
    "TUN": "TUN",
    "TUR": "TUR",
    "UGA": "UGA",
    "GBR": "GBR",
    "USA": "USA",
    "VEN": "VEN",
    "YEM": "YEM",
    "ZMB": "ZAM",
    "ZWE": "ZIM",
    "ARE": "UAE",
}

# Languages offered for requests and offers (ISO 639-1), names from CLDR.
LANGUAGE_CODES = (
    "en",
    "fr",
    "es",
    "ar",
    "pt",
    "ru",
    "zh",
    "de",
    "it",
    "nl",
    "tr",
    "fa",
    "ps",
    "ur",
    "hi",
    "bn",
    "sw",
    "am",
    "so",
    "ti",
    "ha",
    "ln",
    "rw",
    "uk",
    "ro",
    "ka",
    "mk",
    "sq",
    "sr",
    "hy",
    "az",
    "tg",
    "uz",
    "kk",
    "ky",
    "th",
    "ms",
    "id",
    "tl",
    "my",
    "ne",
    "ko",
    "ja",
    "el",
    "pl",
)


def _coco_rows() -> dict[str, dict[str, str]]:
    spec = importlib.util.find_spec("country_converter")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("country_converter is not installed (a dev dependency)")
    path = Path(next(iter(spec.submodule_search_locations))) / "country_data.tsv"
    with path.open(encoding="utf-8") as handle:
        return {row["ISO3"]: row for row in csv.DictReader(handle, delimiter="\t")}


def _title(text: str) -> str:
    return text[:1].upper() + text[1:]


def countries() -> list[dict[str, Any]]:
    coco = _coco_rows()
    locales = {lang: Locale(lang) for lang in LANGUAGES}
    rows: list[dict[str, Any]] = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        iso3 = country.alpha_3
        names = {lang: locales[lang].territories.get(country.alpha_2, country.name) for lang in LANGUAGES}
        record = coco.get(iso3, {})
        m49_name = record.get("UNregion") or ""
        m49 = _BY_NAME.get(m49_name)
        intermediate = m49 if m49 and M49_AREAS[m49][0] == "intermediate" else None
        subregion = M49_AREAS[m49][1] if intermediate else m49
        region = M49_AREAS[subregion][1] if subregion else None
        bureau = BUREAU_EXCEPTIONS.get(iso3) or (BUREAU_BY_M49.get(m49) if m49 else None)
        aliases = sorted(
            {
                alias
                for alias in (
                    country.name,
                    getattr(country, "official_name", None),
                    getattr(country, "common_name", None),
                    record.get("name_short"),
                    record.get("name_official"),
                )
                if alias and alias not in names.values()
            }
        )
        rows.append(
            {
                "iso3": iso3,
                "iso2": country.alpha_2,
                "iso_numeric": country.numeric,
                "unhcr_code": UNHCR_CODES.get(iso3),
                "name_en": names["en"],
                "name_fr": names["fr"],
                "name_es": names["es"],
                "region_code": region,
                "subregion_code": subregion,
                "intermediate_region_code": intermediate,
                "bureau_code": bureau,
                "is_un_member": record.get("UNmember", "") not in ("", "nan"),
                "aliases": aliases,
            }
        )
    return rows


def regions() -> list[dict[str, Any]]:
    fr, es = Locale("fr").territories, Locale("es").territories
    return [
        {
            "code": code,
            "level": level,
            "parent_code": parent,
            "name_en": name,
            "name_fr": _title(fr[code]),
            "name_es": _title(es[code]),
        }
        for code, (level, parent, name) in M49_AREAS.items()
    ]


def languages() -> list[dict[str, Any]]:
    locales = {lang: Locale(lang) for lang in LANGUAGES}
    return [
        {"code": code, **{f"label_{lang}": _title(locales[lang].languages[code]) for lang in LANGUAGES}}
        for code in LANGUAGE_CODES
    ]


def render() -> dict[str, str]:
    return {
        "countries.json": json.dumps(countries(), ensure_ascii=False, indent=1) + "\n",
        "regions.json": json.dumps(regions(), ensure_ascii=False, indent=1) + "\n",
        "languages.json": json.dumps(languages(), ensure_ascii=False, indent=1) + "\n",
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in render().items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
