import { Anchor, Badge, Box, Button, Card, Group, ScrollArea, Select, SimpleGrid, Stack, Switch, Text, Title } from "@mantine/core";
import { IconListDetails } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { AreaSelect } from "@/components/AreaSelect";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { formatDateTime, formatDay, formatNumber } from "@/lib/format";
import { useAreaPath, useCountryOptions } from "@/lib/reference";
import { useAllMatches } from "./api";
import { AttentionBadges, TrafficLight } from "./Badges";
import { BOARD_STAGES, byStage, MATCH_STATUS_COLORS, type MatchListItem, OFF_TRACK_STAGES, trafficLight } from "./logic";

function BoardCard({ item, now }: { item: MatchListItem; now: Date }) {
  const { t, i18n } = useTranslation();
  const areaPath = useAreaPath();
  const light = trafficLight(item, now);
  const overdue = light === "red";
  return (
    <Card
      component="li"
      withBorder
      padding="xs"
      data-testid="board-card"
      data-overdue={overdue ? "true" : "false"}
      style={overdue ? { borderColor: "var(--mantine-color-red-7)", borderWidth: 2 } : undefined}
    >
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap">
          <Anchor component={Link} to={`/matches/${item.id}`} fw={700} size="sm">
            {item.reference}
          </Anchor>
          <TrafficLight light={light} />
        </Group>
        <Text size="xs">{item.party_names ? item.party_names.join(" · ") : t("matches.list.notDisclosed")}</Text>
        <Text size="xs" c="dimmed">
          {item.area_codes.map(areaPath).join("; ")}
        </Text>
        {item.status === "consent_pending" && (
          <Text size="xs">
            {t("matches.list.pendingConsents", { count: item.pending_consents })}
            {item.consent_deadline ? ` · ${t("matches.list.deadline", { date: formatDateTime(item.consent_deadline, i18n.language) })}` : ""}
          </Text>
        )}
        {item.next_action_on && <Text size="xs">{t("matches.list.nextAction", { date: formatDay(item.next_action_on, i18n.language) })}</Text>}
        <AttentionBadges attention={item.attention} />
      </Stack>
    </Card>
  );
}

/** The Secretariat's pipeline: every match as a card in the column of its stage, overdue ones highlighted. */
export function BoardPage() {
  const { t, i18n } = useTranslation();
  const [country, setCountry] = useState<string | null>(null);
  const [area, setArea] = useState<string | null>(null);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [showOffTrack, setShowOffTrack] = useState(false);
  const all = useAllMatches(country ? { country } : {});
  const countryOptions = useCountryOptions();
  const now = new Date();
  const stages = showOffTrack ? [...BOARD_STAGES, ...OFF_TRACK_STAGES] : BOARD_STAGES;
  const items = (all.data?.items ?? []).filter(
    (item) =>
      (!area || item.area_codes.some((c) => c === area || c.split(".")[0] === area)) && (!overdueOnly || trafficLight(item, now) === "red"),
  );
  const columns = byStage(items, stages);
  const overdueCount = items.filter((i) => trafficLight(i, now) === "red").length;

  return (
    <Stack>
      <PageHeader
        title={t("matches.board.title")}
        description={t("matches.board.intro")}
        actions={
          <Button component={Link} to="/matches/queue" variant="light" leftSection={<IconListDetails size={16} aria-hidden />}>
            {t("matches.queue.title")}
          </Button>
        }
      />
      <Card withBorder padding="sm">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          <Select label={t("filters.country")} searchable clearable data={countryOptions} value={country} onChange={setCountry} comboboxProps={{ withinPortal: true }} />
          <AreaSelect label={t("filters.area")} clearable value={area} onChange={setArea} comboboxProps={{ withinPortal: true }} />
          <Switch label={t("matches.board.overdueOnly", { count: overdueCount })} checked={overdueOnly} onChange={(e) => setOverdueOnly(e.currentTarget.checked)} mt="lg" />
          <Switch label={t("matches.board.showOffTrack")} checked={showOffTrack} onChange={(e) => setShowOffTrack(e.currentTarget.checked)} mt="lg" />
        </SimpleGrid>
      </Card>
      {all.isLoading && <Loading />}
      {all.isError && <ErrorAlert error={all.error} onRetry={() => void all.refetch()} />}
      {all.data?.truncated && (
        <Text size="sm" c="dimmed">
          {t("matches.board.truncated", { shown: formatNumber(all.data.items.length, i18n.language), total: formatNumber(all.data.total, i18n.language) })}
        </Text>
      )}
      {all.data && (
        <ScrollArea type="auto" offsetScrollbars>
          <Group align="flex-start" wrap="nowrap" gap="sm" pb="sm">
            {stages.map((stage) => (
              <Box
                key={stage}
                component="section"
                aria-labelledby={`board-${stage}`}
                w={250}
                miw={250}
                p="xs"
                style={{ background: "var(--mantine-color-gray-0)", borderRadius: 8, borderTop: `4px solid var(--mantine-color-${MATCH_STATUS_COLORS[stage]}-6)` }}
                data-testid={`board-column-${stage}`}
              >
                <Group justify="space-between" mb="xs" wrap="nowrap">
                  <Title order={2} size="h6" id={`board-${stage}`}>
                    {t(`matches.statuses.${stage}`)}
                  </Title>
                  <Badge variant="default" aria-label={t("matches.board.count", { count: columns[stage]?.length ?? 0 })}>
                    {columns[stage]?.length ?? 0}
                  </Badge>
                </Group>
                {(columns[stage]?.length ?? 0) === 0 ? (
                  <Text size="xs" c="dimmed">
                    {t("matches.board.emptyColumn")}
                  </Text>
                ) : (
                  <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: "none" }}>
                    {columns[stage]?.map((item) => <BoardCard key={item.id} item={item} now={now} />)}
                  </Stack>
                )}
              </Box>
            ))}
          </Group>
        </ScrollArea>
      )}
    </Stack>
  );
}
