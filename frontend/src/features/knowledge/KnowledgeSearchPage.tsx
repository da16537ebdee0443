import { Alert, Anchor, Button, Card, CopyButton, Grid, Group, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconCheck, IconLink, IconPlus, IconSearch, IconX } from "@tabler/icons-react";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { ExportButtons } from "@/components/ExportButtons";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { formatNumber } from "@/lib/format";
import {
  groupAreaOptions,
  type Option,
  type OptionGroup,
  uiLanguage,
  useAreaLabel,
  useAreas,
  useCountryName,
  useRegionName,
  useRegions,
  useTermLabel,
} from "@/lib/reference";
import { useMe } from "@/lib/session";
import { type Facets, type KnowledgeHit, KINDS, KNOWLEDGE_KEY, LANGUAGE_NAMES, mayAuthor, searchItems, useKnowledgeItem } from "./api";
import { AlsoAvailableIn, ItemStatusBadge, KindBadge, LanguageBadge, Snippet } from "./parts";
import {
  activeFilterCount,
  apiQuery,
  FILTER_NAMES,
  type FilterName,
  filtersFromParams,
  type KnowledgeView,
  paramsFromFilters,
  type SearchFilters,
  VIEWS,
  withFilter,
} from "./search";

const PAGE_SIZE = 20;

type FacetValue = { value: string; count: number };

/** Options labelled "Label (count)"; values without matches are left out unless selected. */
function withCounts(options: Option[], counts: Map<string, number>, selected: string | undefined, language: string, format: (label: string, count: string) => string): Option[] {
  return options
    .filter((option) => (counts.get(option.value) ?? 0) > 0 || option.value === selected)
    .map((option) => ({ value: option.value, label: format(option.label, formatNumber(counts.get(option.value) ?? 0, language)) }));
}

function useFilterOptions(facets: Facets | null | undefined, filters: SearchFilters): Record<FilterName, Option[] | OptionGroup[]> {
  const { t, i18n } = useTranslation();
  const language = uiLanguage(i18n);
  const areas = useAreas(true);
  const regions = useRegions();
  const regionName = useRegionName();
  const countryName = useCountryName();
  const contributorLabel = useTermLabel("contributor_types");
  const format = (label: string, count: string) => t("knowledge.facetOption", { label, count });
  const counted = (values: FacetValue[] | undefined) => new Map((values ?? []).map((v) => [v.value, v.count]));
  // Before the counts arrive, the selected value still needs its option.
  const fromFacet = (name: FilterName, label: (value: string) => string): Option[] => {
    const values = facets?.[name] ?? [];
    const selected = filters[name] !== undefined ? String(filters[name]) : undefined;
    const list = values.map((v) => v.value);
    if (selected && !list.includes(selected)) list.push(selected);
    return list.map((value) => ({ value, label: label(value) }));
  };
  const sortByLabel = (options: Option[]) => [...options].sort((a, b) => a.label.localeCompare(b.label, language));

  const areaGroups = groupAreaOptions(areas.data ?? [], language, (label) => t("commitments.wholeArea", { area: label }), filters.area ? [filters.area] : [])
    .map((group) => ({ group: group.group, items: withCounts(group.items, counted(facets?.area), filters.area, i18n.language, format) }))
    .filter((group) => group.items.length > 0);

  const levelOf = new Map((regions.data ?? []).map((r) => [r.code, r.level]));
  const regionOptions = withCounts(sortByLabel(fromFacet("region", regionName)), counted(facets?.region), filters.region, i18n.language, format);
  const regionGroups = ["region", "subregion", "intermediate"]
    .map((level) => ({
      group: t(`reference.regionLevels.${level}`),
      items: regionOptions.filter((option) => (levelOf.get(option.value) ?? "region") === level),
    }))
    .filter((group) => group.items.length > 0);

  return {
    kind: withCounts(
      KINDS.map((kind) => ({ value: kind, label: t(`knowledge.kinds.${kind}`) })),
      counted(facets?.kind),
      filters.kind,
      i18n.language,
      format,
    ),
    area: areaGroups,
    region: regionGroups,
    country: withCounts(sortByLabel(fromFacet("country", countryName)), counted(facets?.country), filters.country, i18n.language, format),
    contributor_type: withCounts(sortByLabel(fromFacet("contributor_type", contributorLabel)), counted(facets?.contributor_type), filters.contributor_type, i18n.language, format),
    language: withCounts(
      fromFacet("language", (value) => LANGUAGE_NAMES[value as keyof typeof LANGUAGE_NAMES] ?? value),
      counted(facets?.language),
      filters.language,
      i18n.language,
      format,
    ),
    year: withCounts(
      fromFacet("year", (value) => value).sort((a, b) => Number(b.value) - Number(a.value)),
      counted(facets?.year),
      filters.year !== undefined ? String(filters.year) : undefined,
      i18n.language,
      format,
    ),
  };
}

function FiltersPanel({
  filters,
  facets,
  fixedKind,
  onChange,
}: {
  filters: SearchFilters;
  facets: Facets | null | undefined;
  fixedKind: boolean;
  onChange: (filters: SearchFilters) => void;
}) {
  const { t } = useTranslation();
  const options = useFilterOptions(facets, filters);
  const names = FILTER_NAMES.filter((name) => !(name === "kind" && fixedKind));
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="knowledge-filters-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="knowledge-filters-title">
          {t("knowledge.search.refine")}
        </Title>
        {names.map((name) => (
          <Select
            key={name}
            label={t(`knowledge.filters.${name}`)}
            placeholder={t("knowledge.filters.any")}
            clearable
            searchable={name === "area" || name === "country" || name === "region"}
            nothingFoundMessage={t("app.noResults")}
            data={options[name]}
            value={filters[name] !== undefined ? String(filters[name]) : null}
            onChange={(value) => onChange(withFilter(filters, name, value))}
            comboboxProps={{ withinPortal: true }}
            maxDropdownHeight={320}
          />
        ))}
      </Stack>
    </Card>
  );
}

/** The other language versions of a hit (read from the item: search hits do not carry them). */
function HitVersions({ id }: { id: string }) {
  const item = useKnowledgeItem(id);
  const versions = item.data?.data.also_available_in ?? [];
  return <AlsoAvailableIn versions={versions.map((v) => ({ id: v.id, language: v.language, status: v.status }))} size="xs" />;
}

function HitCard({ hit }: { hit: KnowledgeHit }) {
  const areaLabel = useAreaLabel();
  return (
    <Card withBorder padding="md" component="article" data-testid="knowledge-hit">
      <Stack gap={6}>
        <Group gap={6}>
          <KindBadge kind={hit.kind} />
          <LanguageBadge language={hit.language} />
          {hit.status !== "published" && <ItemStatusBadge status={hit.status} />}
          <Text size="xs" c="dimmed">
            {hit.year}
          </Text>
        </Group>
        <Title order={3} size="h4" lang={hit.language}>
          <Anchor component={Link} to={`/knowledge/${hit.id}`} inherit>
            {hit.title}
          </Anchor>
        </Title>
        {hit.snippet.length > 0 && (
          <Text size="sm" lang={hit.language} data-testid="snippet">
            <Snippet parts={hit.snippet} />
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {[hit.organisation_name, hit.areas.map(areaLabel).join(" · ")].filter(Boolean).join(" — ")}
        </Text>
        <HitVersions id={hit.id} />
      </Stack>
    </Card>
  );
}

/** Links between the news and the events views (one kind each). */
function NewsEventsSwitch({ current }: { current: "news" | "event" }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const query = params.toString();
  return (
    <Group gap="xs" component="nav" aria-label={t("knowledge.views.newsAndEvents")}>
      {(["news", "event"] as const).map((kind) => {
        const view = VIEWS.find((v) => v.kind === kind);
        const active = kind === current;
        return (
          <Button
            key={kind}
            component={Link}
            to={`${view?.path ?? "/knowledge"}${query ? `?${query}` : ""}`}
            variant={active ? "filled" : "default"}
            aria-current={active ? "page" : undefined}
            size="sm"
          >
            {t(`knowledge.kindsPlural.${kind}`)}
          </Button>
        );
      })}
    </Group>
  );
}

/**
 * The knowledge base's search and the portal's lists of projects, good practices, tools, news and events
 * (`view` fixes a kind). Public; the whole search lives in the address, so a copied link reopens it.
 */
export function KnowledgeSearchPage({ view }: { view: KnowledgeView }) {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params, view.kind), [params, view.kind]);
  const [q, setQ] = useState(filters.q ?? "");
  // The address may change the search from outside (back button, a shared link): follow it.
  useEffect(() => setQ(filters.q ?? ""), [filters.q]);
  const update = (next: SearchFilters) => setParams(paramsFromFilters(next, view.kind));

  const list = useInfiniteQuery({
    queryKey: [KNOWLEDGE_KEY, "search", filters],
    queryFn: ({ pageParam }) => searchItems(apiQuery(filters, { facets: !pageParam, limit: PAGE_SIZE, cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const first = list.data?.pages[0];
  const hits = list.data?.pages.flatMap((page) => page.items) ?? [];
  const active = activeFilterCount(filters, view.kind);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update(withFilter(filters, "q", q));
  };
  const total = first ? formatNumber(first.total, i18n.language) : "";

  return (
    <Stack>
      <PageHeader
        title={t(view.titleKey)}
        description={t(view.introKey)}
        actions={
          mayAuthor(me) && (
            <>
              <Button component={Link} to="/knowledge/drafts" variant="default">
                {t("knowledge.nav.drafts")}
              </Button>
              <Button component={Link} to={`/knowledge/new${view.kind ? `?kind=${view.kind}` : ""}`} leftSection={<IconPlus size={16} aria-hidden />}>
                {t("knowledge.new")}
              </Button>
            </>
          )
        }
      />
      {(view.kind === "news" || view.kind === "event") && <NewsEventsSwitch current={view.kind} />}
      <ExportButtons path="/api/v1/knowledge/items/export" query={apiQuery(filters)} />
      <form role="search" onSubmit={submit} aria-label={t("knowledge.search.label")}>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            label={t("knowledge.search.label")}
            description={t("knowledge.search.hint")}
            type="search"
            leftSection={<IconSearch size={16} aria-hidden />}
            value={q}
            maxLength={200}
            onChange={(e) => setQ(e.currentTarget.value)}
            style={{ flex: "1 1 320px" }}
          />
          <Button type="submit" leftSection={<IconSearch size={16} aria-hidden />}>
            {t("knowledge.search.submit")}
          </Button>
          {(active > 0 || filters.q) && (
            <Button variant="subtle" leftSection={<IconX size={16} aria-hidden />} onClick={() => update(view.kind ? { kind: view.kind } : {})}>
              {t("knowledge.search.clear")}
            </Button>
          )}
          <CopyButton value={typeof window !== "undefined" ? window.location.href : ""}>
            {({ copied, copy }) => (
              <Button variant="default" leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconLink size={16} aria-hidden />} onClick={copy}>
                {copied ? t("knowledge.search.linkCopied") : t("knowledge.search.copyLink")}
              </Button>
            )}
          </CopyButton>
        </Group>
      </form>
      {view.kind && (
        <Text size="sm">
          <Anchor component={Link} to={`/knowledge?${paramsFromFilters(filters).toString()}`}>
            {filters.q ? t("knowledge.search.searchEverything") : t("knowledge.item.backToSearch")}
          </Anchor>
        </Text>
      )}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>
          <FiltersPanel filters={filters} facets={first?.facets} fixedKind={Boolean(view.kind)} onChange={update} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8, lg: 9 }}>
          <Stack component="section" aria-labelledby="knowledge-results-title" gap="sm">
            <Group justify="space-between" align="baseline">
              <Title order={2} size="h4" id="knowledge-results-title">
                {t("knowledge.search.results")}
              </Title>
              <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="result-count">
                {first
                  ? first.total_is_lower_bound
                    ? t("knowledge.search.countLowerBound", { total })
                    : t("knowledge.search.count", { total })
                  : ""}
              </Text>
            </Group>
            {first && filters.q && !first.ranking_exact && (
              <Text size="xs" c="dimmed">
                {t("knowledge.search.rankingWindow")}
              </Text>
            )}
            {list.isLoading && <Loading />}
            {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
            {first && hits.length === 0 && (
              <Alert color="gray" role="note" title={t("knowledge.search.emptyTitle")}>
                {active > 0 || filters.q ? t("knowledge.search.emptyFiltered") : t("knowledge.search.empty")}
              </Alert>
            )}
            {hits.map((hit) => (
              <HitCard key={hit.id} hit={hit} />
            ))}
            {list.hasNextPage && (
              <Group justify="center">
                <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                  {t("app.loadMore")}
                </Button>
              </Group>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
