"""Files are exercised through knowledge items, the first owner type: reuse their editors."""

from tests.knowledge.conftest import editors

__all__ = ["editors"]
