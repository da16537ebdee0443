import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { CommitmentTable } from "@/components/commitments/CommitmentTable";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { api, type Schemas, unwrap } from "@/lib/api";
import { type CommitmentKind, draftingOrganisations, QUERY_KEYS } from "@/lib/commitments";
import { formatNumber } from "@/lib/format";
import { useCountryName } from "@/lib/reference";
import { type Me, useMe } from "@/lib/session";

const PAGE_SIZE = 50;
const STATE_KINDS = ["state_government", "state_institution"];
const MEMBER_KINDS = [...STATE_KINDS, "stakeholder"];

type Membership = Me["memberships"][number];
type Page = { items: (Schemas["SupportRequestListItem"] | Schemas["SupportOfferListItem"])[]; next_cursor: string | null; total: number };

function OrganisationRecords({ kind, organisationId }: { kind: CommitmentKind; organisationId: string }) {
  const { t, i18n } = useTranslation();
  const list = useInfiniteQuery({
    queryKey: [QUERY_KEYS[kind], "organisation", organisationId],
    queryFn: ({ pageParam }): Promise<Page> => {
      const query = { organisation_id: organisationId, sort: "-updated_at" as const, limit: PAGE_SIZE, cursor: pageParam };
      return kind === "request"
        ? unwrap(api.GET("/api/v1/support-requests", { params: { query } }))
        : unwrap(api.GET("/api/v1/support-offers", { params: { query } }));
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Title order={3} size="h5">
          {t(kind === "request" ? "myOrganisation.requests" : "myOrganisation.offers")}
        </Title>
        {total !== undefined && <Badge variant="light">{formatNumber(total, i18n.language)}</Badge>}
      </Group>
      {list.isLoading && <Loading />}
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && <CommitmentTable kind={kind} rows={rows} columns={["reference", "title", "areas", "status", "updated"]} />}
      {list.hasNextPage && (
        <Group>
          <Button variant="default" size="xs" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t("app.loadMore")}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function OrganisationCard({ membership, me }: { membership: Membership; me: Me }) {
  const { t } = useTranslation();
  const countryName = useCountryName();
  const isState = STATE_KINDS.includes(membership.organisation_kind);
  const id = membership.organisation_id;
  const mayRequest = draftingOrganisations(me, "request").some((m) => m.organisation_id === id);
  const mayOffer = draftingOrganisations(me, "offer").some((m) => m.organisation_id === id);
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={`org-${id}`}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Title order={2} size="h4" id={`org-${id}`}>
              {membership.organisation_name}
            </Title>
            <Group gap="xs">
              <Badge variant="light">{t(`admin.kinds.${membership.organisation_kind}`)}</Badge>
              {membership.country_iso3 && <Badge variant="outline" color="gray">{countryName(membership.country_iso3)}</Badge>}
              <Badge variant="light" color="grape">
                {t("myOrganisation.yourRole", { role: t(`auth.roles.${membership.role}`) })}
              </Badge>
            </Group>
          </Stack>
          <Group gap="xs">
            {mayRequest && (
              <Button component={Link} to={`/requests/new?organisation=${id}`} size="sm" leftSection={<IconPlus size={16} aria-hidden />}>
                {t("requests.new")}
              </Button>
            )}
            {mayOffer && (
              <Button component={Link} to={`/offers/new?organisation=${id}`} size="sm" variant="light" leftSection={<IconPlus size={16} aria-hidden />}>
                {t("offers.new")}
              </Button>
            )}
          </Group>
        </Group>
        {membership.role === "viewer" && (
          <Text size="sm" c="dimmed">
            {t("myOrganisation.viewerNote")}
          </Text>
        )}
        {isState && <OrganisationRecords kind="request" organisationId={id} />}
        <OrganisationRecords kind="offer" organisationId={id} />
      </Stack>
    </Card>
  );
}

/** The requests and offers of the caller's organisations, drafts included, with shortcuts to draft new ones. */
export function MyOrganisationPage() {
  const { t } = useTranslation();
  const { data: me, isLoading } = useMe();
  if (isLoading || !me) return <Loading />;
  const memberships = me.memberships.filter((m) => MEMBER_KINDS.includes(m.organisation_kind));
  return (
    <Stack maw={1200}>
      <PageHeader title={t("myOrganisation.title")} description={t("myOrganisation.intro")} />
      {memberships.length === 0 && <Alert role="note" color="blue">{t("myOrganisation.none")}</Alert>}
      {memberships.map((m) => (
        <OrganisationCard key={m.organisation_id} membership={m} me={me} />
      ))}
    </Stack>
  );
}
