"""Reports reuse the match world (a requesting State, an offerer, the Secretariat, a UNHCR office)."""

from tests.matches.conftest import world

__all__ = ["world"]
