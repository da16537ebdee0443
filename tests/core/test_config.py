"""Settings refuse an unsafe production configuration."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from api.core.config import Settings


class TestProductionSettings:
    def test_default_secret_is_refused_in_production(self) -> None:
        with pytest.raises(ValidationError, match="SECRET_KEY"):
            Settings(env="production", database_url="postgresql://db/acsg")

    def test_missing_database_url_is_refused_in_production(self) -> None:
        with pytest.raises(ValidationError, match="DATABASE_URL"):
            Settings(env="production", secret_key="x" * 40, database_url=None)

    def test_a_complete_production_configuration_is_accepted(self) -> None:
        settings = Settings(env="production", secret_key="x" * 40, database_url="postgresql://db/acsg")
        assert settings.env == "production"

    def test_cors_origins_are_read_as_a_comma_separated_list(self) -> None:
        settings = Settings(cors_origins="https://a.example, https://b.example")  # type: ignore[arg-type]
        assert settings.cors_origins == ["https://a.example", "https://b.example"]
