"""The kinds of records that can be imported and exported. Other modules add theirs with
`register_import_kind` (progress reports, for instance), and get templates, imports and exports with it."""

from __future__ import annotations

from api.imports.kinds.base import ImportKind
from api.imports.kinds.commitments import OfferKind, RequestKind
from api.imports.kinds.records import ExistingSupportKind, OrganisationKind, PledgeKind
from api.imports.kinds.reports import ProgressReportKind

KINDS: dict[str, ImportKind] = {}


def register_import_kind(kind: ImportKind) -> None:
    KINDS[kind.name] = kind


for _kind in (
    PledgeKind(),
    OrganisationKind(),
    RequestKind(),
    OfferKind(),
    ExistingSupportKind(),
    ProgressReportKind(),
):
    register_import_kind(_kind)
