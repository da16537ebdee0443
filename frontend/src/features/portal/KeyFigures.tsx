import { Card, SimpleGrid, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { unwrap } from "@/lib/api";
import { formatNumber } from "@/lib/format";
import { publicApi } from "./publicApi";

export const FIGURES_KEY = ["public", "figures"] as const;
const STAGES = ["planning", "in_progress", "fulfilled"] as const;

export function usePublicFigures() {
  return useQuery({
    queryKey: FIGURES_KEY,
    queryFn: () => unwrap(publicApi.GET("/api/v1/public/figures")),
    staleTime: 60_000,
  });
}

function Figure({ label, value, children, testId }: { label: string; value: string; children?: ReactNode; testId: string }) {
  return (
    <Card withBorder padding="md" component="div" data-testid={testId}>
      {/* A group of a description list: the number shows first, the term is read first. */}
      <dt style={{ order: 2 }}>
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </dt>
      <dd style={{ margin: 0, order: 1 }}>
        <Text fz={32} fw={700} lh={1.1} c="blue.9">
          {value}
        </Text>
      </dd>
      {children && <dd style={{ margin: "4px 0 0", order: 3 }}>{children}</dd>}
    </Card>
  );
}

/** Requests, offers, matches by stage, States involved, unmet needs and pledges: aggregates only. */
export function KeyFigures() {
  const { t, i18n } = useTranslation();
  const query = usePublicFigures();
  const n = (value: number | undefined) => formatNumber(value ?? 0, i18n.language);
  const figures = query.data;
  const matches = figures ? STAGES.reduce((sum, stage) => sum + (figures.matches_by_stage[stage] ?? 0), 0) : 0;

  return (
    <section aria-labelledby="key-figures-title">
      <Title order={2} size="h3" id="key-figures-title" mb="sm">
        {t("portal.figures.title")}
      </Title>
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      {query.isLoading && (
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} aria-busy>
          {Array.from({ length: 6 }, (_, index) => (
            <Skeleton key={index} height={96} radius="md" />
          ))}
        </SimpleGrid>
      )}
      {figures && (
        <SimpleGrid component="dl" cols={{ base: 2, sm: 3, lg: 6 }} m={0} data-testid="key-figures">
          <Figure testId="figure-requests" label={t("portal.figures.requests")} value={n(figures.requests)} />
          <Figure testId="figure-offers" label={t("portal.figures.offers")} value={n(figures.offers)} />
          <Figure testId="figure-matches" label={t("portal.figures.matches")} value={n(matches)}>
            <Stack gap={0}>
              {STAGES.map((stage) => (
                <Text key={stage} size="xs" c="dimmed">
                  {t(`portal.stages.${stage}`)}: <strong>{n(figures.matches_by_stage[stage])}</strong>
                </Text>
              ))}
            </Stack>
          </Figure>
          <Figure testId="figure-states" label={t("portal.figures.states")} value={n(figures.states_involved)} />
          <Figure testId="figure-unmet" label={t("portal.figures.unmetNeeds")} value={n(figures.unmet_needs)} />
          <Figure testId="figure-pledges" label={t("portal.figures.pledges")} value={n(figures.pledges)} />
        </SimpleGrid>
      )}
    </section>
  );
}
