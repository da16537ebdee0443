import { Affix, Anchor, Button, Card, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconExternalLink, IconListCheck } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { AreaSelect } from "@/components/AreaSelect";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { useRegionOptions, useTermOptions } from "@/lib/reference";
import { useOfferSuggestions, useRequestSuggestions } from "./api";
import { pairKey, type ProposalPair, togglePair } from "./logic";
import { MatchingNav } from "./MatchingNav";
import { ProposalModal } from "./ProposalModal";
import { RecordPicker } from "./RecordPicker";
import { OfferSuggestionsView, RequestSuggestionsView } from "./SuggestionTables";

const SIZES = ["5", "10", "20", "50"];

/**
 * The Secretariat's matching console: pick a request (or an offer), see the ranked candidates with the named
 * contributions of each score and the excluded ones with the constraint they fail, and propose a match from
 * any candidate or a selection of several (n-ary).
 */
export function ConsolePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requestId = params.get("request");
  const offerId = params.get("offer");
  const [chosenMode, setMode] = useState<"request" | "offer">("request");
  // The URL says what is being matched (a link from a request's or offer's page); else the switch does.
  const mode: "request" | "offer" = requestId ? "request" : offerId ? "offer" : chosenMode;
  const filters = {
    region: params.get("region"),
    area: params.get("area"),
    language: params.get("language"),
    k: Number(params.get("k") ?? 10) || 10,
  };
  const filtered = Boolean(filters.region || filters.area || filters.language);
  const requestSuggestions = useRequestSuggestions(mode === "request" ? requestId : null, filters);
  const offerSuggestions = useOfferSuggestions(mode === "offer" ? offerId : null, filters);
  const [selected, setSelected] = useState<ProposalPair[]>([]);
  const [proposing, setProposing] = useState<ProposalPair[] | null>(null);
  const regionOptions = useRegionOptions();
  const languageOptions = useTermOptions("languages");

  const update = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const pick = (id: string | null) => {
    const next = new URLSearchParams(params);
    next.delete("request");
    next.delete("offer");
    if (id) next.set(mode, id);
    setParams(next);
    setSelected([]);
  };
  const switchMode = (value: string) => {
    setMode(value === "offer" ? "offer" : "request");
    const next = new URLSearchParams(params);
    next.delete("request");
    next.delete("offer");
    setParams(next);
    setSelected([]);
  };
  const current = mode === "request" ? requestSuggestions : offerSuggestions;
  const chosen = mode === "request" ? requestId : offerId;

  return (
    <Stack>
      <PageHeader title={t("matching.console.title")} description={t("matching.console.intro")} />
      <MatchingNav />
      <Card withBorder padding="md">
        <Stack gap="sm">
          <Group align="flex-end" wrap="wrap">
            <Stack gap={4}>
              <Text size="sm" fw={500} id="console-mode-label">
                {t("matching.console.modeLabel")}
              </Text>
              <SegmentedControl
                aria-labelledby="console-mode-label"
                value={mode}
                onChange={switchMode}
                data={[
                  { value: "request", label: t("matching.console.modeRequest") },
                  { value: "offer", label: t("matching.console.modeOffer") },
                ]}
              />
            </Stack>
            <RecordPicker key={mode} kind={mode} value={chosen} onChange={pick} />
            {chosen && (
              <Anchor component={Link} to={mode === "request" ? `/requests/${chosen}` : `/offers/${chosen}`} size="sm" pb={8}>
                <Group gap={4} wrap="nowrap">
                  <IconExternalLink size={14} aria-hidden />
                  {t(mode === "request" ? "matching.console.openRequest" : "matching.console.openOffer")}
                </Group>
              </Anchor>
            )}
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
            <Select
              label={t("filters.region")}
              data={regionOptions}
              searchable
              clearable
              value={filters.region}
              onChange={(v) => update("region", v)}
              comboboxProps={{ withinPortal: true }}
            />
            <AreaSelect label={t("filters.area")} clearable value={filters.area} onChange={(v) => update("area", v)} comboboxProps={{ withinPortal: true }} />
            <Select
              label={t("filters.language")}
              data={languageOptions}
              searchable
              clearable
              value={filters.language}
              onChange={(v) => update("language", v)}
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={t("matching.console.howMany")}
              data={SIZES}
              allowDeselect={false}
              value={String(filters.k)}
              onChange={(v) => update("k", v === "10" ? null : v)}
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
        </Stack>
      </Card>

      {!chosen && (
        <Text c="dimmed" data-testid="console-empty">
          {t(mode === "request" ? "matching.console.pickRequestFirst" : "matching.console.pickOfferFirst")}
        </Text>
      )}
      {chosen && current.isLoading && <Loading />}
      {chosen && current.isError && <ErrorAlert error={current.error} onRetry={() => void current.refetch()} />}
      {mode === "request" && requestId && requestSuggestions.data && (
        <RequestSuggestionsView
          data={requestSuggestions.data}
          filtered={filtered}
          selected={selected}
          onToggle={(pair) => setSelected((s) => togglePair(s, pair))}
          onPropose={(pair) => setProposing([pair])}
        />
      )}
      {mode === "offer" && offerId && offerSuggestions.data && (
        <OfferSuggestionsView
          data={offerSuggestions.data}
          selected={selected}
          onToggle={(pair) => setSelected((s) => togglePair(s, pair))}
          onPropose={(pair) => setProposing([pair])}
        />
      )}

      {selected.length > 0 && (
        <Affix position={{ bottom: 16, right: 16 }} zIndex={150}>
          <Paper withBorder shadow="md" p="sm" role="region" aria-label={t("matching.console.selectionRegion")}>
            <Group gap="sm">
              <Text size="sm" fw={600} role="status">
                {t("matching.console.selectedCount", { count: selected.length })}
              </Text>
              <Button size="xs" variant="default" onClick={() => setSelected([])}>
                {t("matching.console.clearSelection")}
              </Button>
              <Button size="xs" leftSection={<IconListCheck size={14} aria-hidden />} onClick={() => setProposing(selected)}>
                {t("matching.console.proposeSelected")}
              </Button>
            </Group>
          </Paper>
        </Affix>
      )}
      <ProposalModal
        opened={proposing !== null}
        onClose={() => setProposing(null)}
        pairs={proposing ?? []}
        onRemove={(pair) => {
          setProposing((p) => (p ? p.filter((x) => pairKey(x) !== pairKey(pair)) : p));
          setSelected((s) => s.filter((x) => pairKey(x) !== pairKey(pair)));
        }}
      />
    </Stack>
  );
}
