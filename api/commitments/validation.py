"""Checks against reference data shared by requests, offers, existing support and pledges.

Each refusal is a 422 naming the field (`components.1.area_code`), so forms show it next to the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from api.core.errors import FieldError, ValidationFailed
from api.models.reference import Area
from api.reference.repository import active_area_codes, active_codes, country_codes


class Checker:
    """Collects field errors over a whole body, then raises them together (one 422 lists them all)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.errors: list[FieldError] = []
        self._codes: dict[str, set[str]] = {}
        self._areas: dict[str, Area] | None = None
        self._countries: set[str] | None = None

    def add(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field=field, message=message))

    async def areas(self) -> dict[str, Area]:
        if self._areas is None:
            self._areas = await active_area_codes(self.session)
        return self._areas

    async def codes(self, vocabulary: str) -> set[str]:
        if vocabulary not in self._codes:
            self._codes[vocabulary] = await active_codes(self.session, vocabulary)
        return self._codes[vocabulary]

    async def check_codes(self, field: str, vocabulary: str, values: Iterable[str]) -> None:
        allowed = await self.codes(vocabulary)
        for position, value in enumerate(values):
            if value not in allowed:
                self.add(f"{field}.{position}", f"Unknown {vocabulary.replace('_', ' ')} code '{value}'")

    async def check_area(self, field: str, code: str) -> None:
        if code not in await self.areas():
            self.add(field, f"Unknown or retired area code '{code}'")

    async def check_countries(self, field: str, values: Sequence[str]) -> None:
        if self._countries is None:
            self._countries = await country_codes(self.session)
        for position, value in enumerate(values):
            if value not in self._countries:
                self.add(f"{field}.{position}", f"Unknown ISO 3166-1 alpha-3 code '{value}'")

    async def check_country(self, field: str, value: str | None) -> None:
        if value is None:
            return
        if self._countries is None:
            self._countries = await country_codes(self.session)
        if value not in self._countries:
            self.add(field, f"Unknown ISO 3166-1 alpha-3 code '{value}'")

    def raise_if_any(self) -> None:
        if self.errors:
            names = ", ".join(dict.fromkeys(e.field for e in self.errors))
            raise ValidationFailed(f"Invalid input: {names}", fields=self.errors)


def with_parents(codes: Iterable[str]) -> list[str]:
    """Area codes plus their top-level parents, sorted: what a parent-area filter matches on."""
    result: set[str] = set()
    for code in codes:
        result.add(code)
        if "." in code:
            result.add(code.split(".", 1)[0])
    return sorted(result)
