import { Alert, Anchor, Badge, Card, Group, Stack, Text, Title } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { Facts, Paragraphs, Section, usePeriod } from "@/components/commitments/Views";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { ApiError, type Schemas, unwrap } from "@/lib/api";
import { formatDate } from "@/lib/format";
import { useAreaPath, useCountryName } from "@/lib/reference";
import { useMe } from "@/lib/session";
import { CopyLink } from "./CopyLink";
import { STAGE_COLORS } from "./matchFilters";
import { publicApi } from "./publicApi";

type PublicMatch = Schemas["MatchPublicView"];

export function usePublicMatch(id: string) {
  return useQuery({
    queryKey: ["public", "matches", "detail", id],
    queryFn: async (): Promise<PublicMatch> => {
      const match = await unwrap(publicApi.GET("/api/v1/matches/{match_id}", { params: { path: { match_id: id } } }));
      // Read without cookies, the API only ever answers with the public view; anything else is not for the portal.
      if (match.view !== "public") throw new ApiError(404, { error: "NotFound", detail: "" });
      return match;
    },
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

/** "Office français… supporting Direction générale…": who supports whom, from the parties' sides. */
export function matchTitle(match: Pick<PublicMatch, "parties" | "reference">, join: (offering: string, requesting: string) => string): string {
  const names = (side: "offering" | "requesting") =>
    match.parties
      .filter((p) => p.side === side)
      .map((p) => p.name)
      .join(", ");
  const offering = names("offering");
  const requesting = names("requesting");
  return offering && requesting ? join(offering, requesting) : match.reference;
}

function Parties({ parties }: { parties: PublicMatch["parties"] }) {
  const countryName = useCountryName();
  return (
    <Stack gap={2}>
      {parties.map((p) => (
        <Text key={`${p.side}-${p.name}`} size="sm">
          {p.name}
          {p.country_iso3 && (
            <Text span size="sm" c="dimmed">
              {" "}
              ({countryName(p.country_iso3)})
            </Text>
          )}
        </Text>
      ))}
    </Stack>
  );
}

/** A published match as the public sees it, with its published report excerpts; a share link opens it directly. */
export function PublicMatchPage() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const areaPath = useAreaPath();
  const period = usePeriod();
  const query = usePublicMatch(id);

  if (query.isLoading) return <Loading />;
  if (query.isError) {
    if (query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 422))
      return (
        <Stack maw={760}>
          <PageHeader title={t("portal.match.notFoundTitle")} />
          <Alert color="gray" icon={<IconInfoCircle aria-hidden />} role="note">
            {t("portal.match.notFound")}
          </Alert>
          <Anchor component={Link} to="/portal/matches" size="sm">
            {t("portal.match.backToList")}
          </Anchor>
        </Stack>
      );
    return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  }
  const match = query.data;
  if (!match) return null;
  const title = matchTitle(match, (offering, requesting) => t("portal.match.title", { offering, requesting }));
  const shareUrl = `${window.location.origin}/portal/matches/${match.id}`;
  const excerpts = [...(match.report_excerpts ?? [])].sort((a, b) => b.period_start.localeCompare(a.period_start));

  return (
    <Stack maw={1100}>
      <PageHeader title={title} description={`${match.reference} · ${t("portal.match.publicNote")}`} />
      <Group gap="xs">
        <Badge size="lg" color={STAGE_COLORS[match.stage]} variant="light">
          {t(`portal.stages.${match.stage}`)}
        </Badge>
      </Group>
      <Card withBorder padding="md">
        <CopyLink url={shareUrl} />
      </Card>
      <Section title={t("portal.match.summary")} testId="public-match-summary">
        <Paragraphs text={match.public_summary} empty={t("portal.match.noSummary")} />
      </Section>
      <Section title={t("portal.match.overview")}>
        <Facts
          items={[
            { label: t("portal.match.offering"), value: <Parties parties={match.parties.filter((p) => p.side === "offering")} /> },
            { label: t("portal.match.requesting"), value: <Parties parties={match.parties.filter((p) => p.side === "requesting")} /> },
            {
              label: t("commitments.fields.areas"),
              value:
                match.area_codes.length > 0 ? (
                  <Stack gap={2}>
                    {match.area_codes.map((code) => (
                      <Text key={code} size="sm">
                        {areaPath(code)}
                      </Text>
                    ))}
                  </Stack>
                ) : null,
            },
            { label: t("portal.match.stage"), value: t(`portal.stages.${match.stage}`) },
            { label: t("commitments.fields.timeframe"), value: period(match.starts_on, match.ends_on) },
          ]}
        />
      </Section>
      <Section title={t("portal.match.reports")} testId="public-report-excerpts">
        {excerpts.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("portal.match.noReports")}
          </Text>
        ) : (
          <Stack gap="sm">
            {excerpts.map((e) => (
              <Card key={`${e.period_start}-${e.published_at}`} withBorder padding="md" component="article" data-testid="report-excerpt">
                <Title order={3} size="h5">
                  {t("portal.match.reportPeriod", { period: period(e.period_start, e.period_end) })}
                </Title>
                <Text mt={6} style={{ whiteSpace: "pre-wrap" }}>
                  {e.excerpt}
                </Text>
                <Text size="xs" c="dimmed" mt={6}>
                  {t("portal.match.publishedOn", { date: formatDate(e.published_at, i18n.language) })}
                </Text>
              </Card>
            ))}
          </Stack>
        )}
      </Section>
      <Group gap="lg">
        <Anchor component={Link} to="/portal/matches" size="sm">
          {t("portal.match.backToList")}
        </Anchor>
        {me && (
          <Anchor component={Link} to={`/matches/${match.id}`} size="sm">
            {t("portal.match.openSignedIn")}
          </Anchor>
        )}
      </Group>
    </Stack>
  );
}
