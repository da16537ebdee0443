import { Anchor, Badge, Card, Group, Skeleton, Stack, Text, Title, type TitleOrder } from "@mantine/core";
import { IconBook } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { api, unwrap } from "@/lib/api";
import { useAreaPath } from "@/lib/reference";
import { KNOWLEDGE_KEY } from "./api";
import { KindBadge, LanguageBadge } from "./parts";

type Target = { requestId: string; offerId?: never; matchId?: never } | { offerId: string; requestId?: never; matchId?: never } | { matchId: string; requestId?: never; offerId?: never };

/**
 * Published projects, good practices and tools that share areas with a request, an offer or a match (those
 * about the same countries or region first). A card with its own heading (h2 unless `headingOrder` says
 * otherwise); give exactly one of `requestId`, `offerId`, `matchId`.
 */
export function RelatedKnowledge({ limit = 5, headingOrder = 2, ...target }: Target & { limit?: number; headingOrder?: TitleOrder }) {
  const { t } = useTranslation();
  const areaPath = useAreaPath();
  const titleId = useId();
  const query = {
    request_id: target.requestId,
    offer_id: target.offerId,
    match_id: target.matchId,
    limit,
  };
  const related = useQuery({
    queryKey: [KNOWLEDGE_KEY, "related", query],
    queryFn: () => unwrap(api.GET("/api/v1/knowledge/related", { params: { query } })),
    staleTime: 60_000,
  });
  const items = related.data?.items ?? [];
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={titleId} data-testid="related-knowledge">
      <Group gap="xs" mb="sm">
        <IconBook size={20} aria-hidden />
        <Title order={headingOrder} size="h4" id={titleId}>
          {t("knowledge.related.title")}
        </Title>
      </Group>
      {related.isLoading && <Skeleton height={48} aria-label={t("app.loading")} />}
      {related.isError && <ErrorAlert error={related.error} onRetry={() => void related.refetch()} />}
      {related.data && items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("knowledge.related.empty")}
        </Text>
      )}
      {items.length > 0 && (
        <Stack gap="sm" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {items.map((item) => (
            <li key={item.id}>
              <Stack gap={4}>
                <Group gap={6}>
                  <KindBadge kind={item.kind} size="sm" />
                  <LanguageBadge language={item.language} size="sm" />
                  {item.same_region && (
                    <Badge size="sm" color="cyan" variant="light" tt="none">
                      {t("knowledge.related.sameRegion")}
                    </Badge>
                  )}
                </Group>
                <Anchor component={Link} to={`/knowledge/${item.id}`} fw={600} lang={item.language}>
                  {item.title}
                </Anchor>
                {item.shared_areas.length > 0 && (
                  <Text size="xs" c="dimmed">
                    {t("knowledge.related.sharedAreas", { areas: item.shared_areas.map(areaPath).join("; ") })}
                  </Text>
                )}
              </Stack>
            </li>
          ))}
        </Stack>
      )}
      <Anchor component={Link} to="/knowledge" size="sm" mt="sm" display="inline-block">
        {t("knowledge.related.searchAll")}
      </Anchor>
    </Card>
  );
}
