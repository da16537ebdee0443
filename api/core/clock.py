"""The platform's clock. Deadlines, expiries and reminders read the time here so tests can move it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_offset = timedelta(0)
_frozen: datetime | None = None


def now() -> datetime:
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC) + _offset


def freeze(at: datetime) -> None:
    """Tests only: stop the clock at `at` (timezone-aware)."""
    global _frozen
    _frozen = at


def advance(delta: timedelta) -> None:
    """Tests only: move the clock forward."""
    global _frozen, _offset
    if _frozen is not None:
        _frozen = _frozen + delta
    else:
        _offset += delta


def reset() -> None:
    global _frozen, _offset
    _frozen = None
    _offset = timedelta(0)
