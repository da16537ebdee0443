"""Knowledge items: writes, the editors' full view and the public view (separate classes, so an editor-only
field cannot reach the public by accident), search hits with safe snippets, facets, related items."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from api.commitments.schemas import Code, Iso3, Url
from api.core.schemas import ReadModel, WriteModel
from api.knowledge.workflow import Action

Kind = Literal["project", "good_practice", "tool", "news", "event"]
Language = Literal["en", "fr", "es"]
Status = Literal["draft", "in_review", "published", "archived"]
M49 = Annotated[str, StringConstraints(pattern=r"^\d{3}$")]
Title = Annotated[str, StringConstraints(min_length=3, max_length=300)]
Summary = Annotated[str, StringConstraints(max_length=3_000)]
Body = Annotated[str, StringConstraints(max_length=100_000)]
Comment = Annotated[str, StringConstraints(max_length=5_000)]
Year = Annotated[int, Field(ge=1950, le=2100)]


class Link(WriteModel):
    title: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    url: Url


def _unique(value: list[str] | None) -> list[str] | None:
    return list(dict.fromkeys(value)) if value is not None else None


class _Content(WriteModel):
    areas: list[Code] = Field(default_factory=list, max_length=20, description="Area codes of the taxonomy")
    countries: list[Iso3] = Field(default_factory=list, max_length=60)
    regions: list[M49] = Field(default_factory=list, max_length=20, description="UN M49 area codes")
    contributor_types: list[Code] = Field(default_factory=list, max_length=12)
    source_links: list[Link] = Field(default_factory=list, max_length=30)
    attachment_links: list[Link] = Field(
        default_factory=list, max_length=30, description="Documents kept elsewhere; upload files to /files"
    )
    year: Year | None = Field(default=None, description="The year the item is about; default: its start, else now")
    starts_on: date | None = None
    ends_on: date | None = None

    _dedupe = field_validator("areas", "countries", "regions", "contributor_types")(_unique)


class KnowledgeItemCreate(_Content):
    kind: Kind
    language: Language
    title: Title
    summary: Summary = ""
    body: Body = Field(default="", description="Markdown; raw HTML is shown as text, links are checked")
    organisation_id: uuid.UUID | None = Field(
        default=None, description="The author organisation (required unless the Secretariat writes)"
    )


class KnowledgeItemUpdate(WriteModel):
    """A partial update; lists replace the stored ones."""

    kind: Kind | None = None
    title: Title | None = None
    summary: Summary | None = None
    body: Body | None = None
    areas: list[Code] | None = Field(default=None, max_length=20)
    countries: list[Iso3] | None = Field(default=None, max_length=60)
    regions: list[M49] | None = Field(default=None, max_length=20)
    contributor_types: list[Code] | None = Field(default=None, max_length=12)
    source_links: list[Link] | None = Field(default=None, max_length=30)
    attachment_links: list[Link] | None = Field(default=None, max_length=30)
    year: Year | None = None
    starts_on: date | None = None
    ends_on: date | None = None

    _dedupe = field_validator("areas", "countries", "regions", "contributor_types")(_unique)


class TranslationCreate(WriteModel):
    """Another language version of an item: its own text; tags, links and dates are copied from the source."""

    language: Language
    title: Title
    summary: Summary = ""
    body: Body = ""


class KnowledgeTransitionBody(WriteModel):
    comment: Comment | None = Field(default=None, description="Required when returning an item to draft")


class FromMatchCreate(WriteModel):
    match_id: uuid.UUID
    kind: Literal["project", "good_practice"] = "good_practice"
    language: Language = "en"
    organisation_id: uuid.UUID | None = Field(
        default=None, description="The author organisation; default: your organisation among the parties"
    )


class OrganisationRef(ReadModel):
    id: uuid.UUID
    name: str


class LanguageVersion(ReadModel):
    id: uuid.UUID
    language: Language
    title: str
    status: Status


class LinkOut(ReadModel):
    title: str
    url: str


class AttachmentOut(ReadModel):
    """A stored file (download it from `url`) or a link to a document kept elsewhere."""

    kind: Literal["file", "link"]
    title: str
    url: str
    file_id: uuid.UUID | None = None
    file_name: str | None = None
    content_type: str | None = None
    size_bytes: int | None = None


class _PublicFields(ReadModel):
    id: uuid.UUID
    translation_group_id: uuid.UUID
    kind: Kind
    language: Language
    title: str
    summary: str
    body_html: str = Field(description="The body rendered from Markdown, safe to insert as HTML")
    areas: list[str]
    countries: list[str]
    regions: list[str]
    contributor_types: list[str]
    source_links: list[LinkOut]
    attachments: list[AttachmentOut]
    organisation: OrganisationRef | None
    year: int
    starts_on: date | None
    ends_on: date | None
    published_at: datetime | None
    also_available_in: list[LanguageVersion] = Field(description="The other language versions you may read")


class KnowledgeItemPublic(_PublicFields):
    view: Literal["public"] = "public"


class KnowledgeItem(_PublicFields):
    """The editors' view: the Secretariat and members of the author organisation."""

    view: Literal["full"] = "full"
    status: Status
    body: str = Field(description="The Markdown source")
    attachment_links: list[LinkOut]
    match_id: uuid.UUID | None
    review_comment: str | None
    submitted_at: datetime | None
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
    allowed_actions: list[Action]
    can_edit: bool


KnowledgeItemView = Annotated[KnowledgeItem | KnowledgeItemPublic, Field(discriminator="view")]


class SnippetPart(ReadModel):
    """A piece of a snippet: plain text, to be rendered as text (highlighted when `highlight`)."""

    text: str
    highlight: bool


class KnowledgeHit(ReadModel):
    id: uuid.UUID
    kind: Kind
    language: Language
    status: Status
    title: str
    summary: str
    areas: list[str]
    countries: list[str]
    regions: list[str]
    contributor_types: list[str]
    organisation_name: str | None
    year: int
    published_at: datetime | None
    updated_at: datetime
    rank: float | None = Field(description="Relevance (ts_rank_cd; title > summary > body) when searching")
    snippet: list[SnippetPart] = Field(description="Where the words were found, with the matches marked")


class FacetValue(ReadModel):
    value: str
    count: int


class Facets(ReadModel):
    """Counts per value over the matching items, each dimension ignoring its own filter (so choosing one
    value still shows the others)."""

    kind: list[FacetValue]
    area: list[FacetValue]
    region: list[FacetValue]
    country: list[FacetValue]
    contributor_type: list[FacetValue]
    language: list[FacetValue]
    year: list[FacetValue]


class KnowledgePage(ReadModel):
    items: list[KnowledgeHit]
    next_cursor: str | None
    total: int = Field(description="Matching items, counted up to 1,000")
    total_is_lower_bound: bool = Field(default=False, description="More items match than `total`")
    ranking_exact: bool = Field(
        default=True,
        description="False when more items matched than are ranked: then the best of the most recent ones come first",
    )
    facets: Facets | None = Field(default=None, description="With `facets=true`")


class RelatedItem(ReadModel):
    id: uuid.UUID
    kind: Kind
    language: Language
    title: str
    summary: str
    areas: list[str]
    countries: list[str]
    year: int
    published_at: datetime | None
    same_region: bool
    shared_areas: list[str]


class RelatedItems(ReadModel):
    items: list[RelatedItem]
