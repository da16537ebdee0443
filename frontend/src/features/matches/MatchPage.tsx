import { Alert, Anchor, Badge, Button, Group, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import { IconReportAnalytics } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useParams } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { Facts, Paragraphs, Section, TermBadges, usePeriod } from "@/components/commitments/Views";
import { ApiError } from "@/lib/api";
import { formatDateTime } from "@/lib/format";
import { useMe } from "@/lib/session";
import { AgreementForm } from "./AgreementForm";
import { useMatch } from "./api";
import { ConsentBadge, MatchStatusBadge } from "./Badges";
import { ConsentDecision, PublicationConsent } from "./ConsentPanel";
import { FacilitationSection } from "./Facilitation";
import { type FacilitatorView, isDisclosed, type PartyView } from "./logic";
import { DisclosureNote, PartyCard, RedactedCard, useCounterpartDescription } from "./Parties";
import { ProposalSection } from "./ProposalSection";
import { StageActions } from "./StageActions";
import { MatchTimeline } from "./Timeline";

/** Every party's consent and publication consent, as the facilitators follow them. */
function ConsentTable({ view }: { view: FacilitatorView }) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table data-testid="consent-table">
        <Table.Caption>{t("matches.consent.tableCaption")}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("matches.consent.party")}</Table.Th>
            <Table.Th scope="col">{t("matches.consent.status")}</Table.Th>
            <Table.Th scope="col">{t("matches.consent.decided")}</Table.Th>
            <Table.Th scope="col">{t("matches.consent.conditions")}</Table.Th>
            <Table.Th scope="col">{t("matches.publication.title")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {view.parties.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Th scope="row" fw={400}>
                {p.organisation.name}
                <Text size="xs" c="dimmed">
                  {t(`matches.sides.${p.side}`)}
                </Text>
              </Table.Th>
              <Table.Td>
                <ConsentBadge status={p.consent_status} />
              </Table.Td>
              <Table.Td>
                {p.consent_decided_at
                  ? t("matches.parties.decidedOn", { date: formatDateTime(p.consent_decided_at, i18n.language), version: p.consent_version ?? "—" })
                  : "—"}
              </Table.Td>
              <Table.Td>{p.consent_conditions || "—"}</Table.Td>
              <Table.Td>
                {p.publication_consent === true
                  ? t("matches.publication.agreed")
                  : p.publication_consent === false
                    ? t("matches.publication.refused")
                    : t("matches.publication.notYet")}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Consent status of every party as a party may know them (counterparts unnamed before disclosure). */
function PartyConsentList({ view }: { view: PartyView }) {
  const { t } = useTranslation();
  const describe = useCounterpartDescription();
  const rows = [
    ...view.my_parties.map((p) => ({ id: p.id, name: `${p.organisation.name} (${t("matches.parties.yours")})`, status: p.consent_status })),
    ...view.counterparts.map((c) => ({ id: c.id, name: isDisclosed(c) ? c.organisation.name : describe(c), status: c.consent_status })),
  ];
  return (
    <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: "none" }} data-testid="consent-list">
      {rows.map((r) => (
        <Group key={r.id} component="li" gap="xs">
          <ConsentBadge status={r.status} />
          <Text size="sm">{r.name}</Text>
        </Group>
      ))}
    </Stack>
  );
}

function Agreement({ view }: { view: FacilitatorView | PartyView }) {
  const { t, i18n } = useTranslation();
  const period = usePeriod();
  const canAgree = view.allowed_actions.includes("agree");
  if (!view.agreed_at && !canAgree) return null;
  return (
    <Section title={t("matches.agreement.title")} testId="agreement">
      <Stack>
        {view.agreed_at && (
          <Facts
            items={[
              { label: t("matches.agreement.agreedAt"), value: formatDateTime(view.agreed_at, i18n.language) },
              { label: t("matches.agreement.scope"), value: <Paragraphs text={view.agreed_scope} empty="—" /> },
              { label: t("matches.agreement.modalities"), value: view.agreed_modalities.length ? <TermBadges vocabulary="modalities" codes={view.agreed_modalities} /> : null },
              { label: t("matches.agreement.timeframe"), value: period(view.starts_on, view.ends_on) },
            ]}
          />
        )}
        {canAgree && (
          <>
            <Text size="sm" c="dimmed">
              {t("matches.agreement.intro")}
            </Text>
            <AgreementForm view={view} />
          </>
        )}
      </Stack>
    </Section>
  );
}

/**
 * One match, exactly as the API's view gives it: facilitators see every party in full; a party sees its own
 * part and its counterparts redacted until every party consented, then in full; the public view lives on the
 * portal.
 */
export function MatchPage() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const query = useMatch(id);
  if (query.isLoading) return <Loading />;
  if (query.isError) {
    return (
      <Stack>
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
        {!me && query.error instanceof ApiError && query.error.status === 404 && (
          <Anchor component={Link} to={`/sign-in?next=${encodeURIComponent(`/matches/${id}`)}`}>
            {t("matches.detail.signInToSee")}
          </Anchor>
        )}
      </Stack>
    );
  }
  if (!query.data) return null;
  const view = query.data.data;
  if (view.view === "public") return <Navigate to={`/portal/matches/${view.id}`} replace />;

  const facilitator = view.view === "facilitator" ? view : null;
  const party = view.view === "party" ? view : null;
  const disclosed = facilitator ? facilitator.disclosed : party ? party.counterparts.length > 0 && party.counterparts.every(isDisclosed) : false;
  // Public from planning on, once every party agreed to publish (as far as this viewer can tell).
  const everyone = facilitator ? facilitator.parties : party ? [...party.my_parties, ...party.counterparts.filter(isDisclosed)] : [];
  const published =
    ["planning", "in_progress", "fulfilled"].includes(view.status) &&
    everyone.length > 0 &&
    everyone.every((p) => p.publication_consent === true) &&
    (!party || party.counterparts.every(isDisclosed));

  return (
    <Stack maw={1200}>
      <PageHeader
        title={t("matches.detail.title", { reference: view.reference })}
        description={view.public_summary || t(facilitator ? "matches.detail.facilitatorIntro" : "matches.detail.partyIntro")}
        actions={
          <Button component={Link} to={`/matches/${view.id}/reports`} variant="light" leftSection={<IconReportAnalytics size={16} aria-hidden />}>
            {t("matches.detail.reports")}
          </Button>
        }
      />
      <Group gap="xs">
        <MatchStatusBadge status={view.status} size="lg" />
        {view.suggested_pledge_stage && (
          <Badge variant="outline" size="lg" tt="none">
            {t("matches.detail.pledgeStage", { stage: t(`matches.statuses.${view.suggested_pledge_stage}`) })}
          </Badge>
        )}
        {view.status === "consent_pending" && view.consent_deadline && (
          <Text size="sm">{t("matches.detail.deadline", { date: formatDateTime(view.consent_deadline, i18n.language) })}</Text>
        )}
        <Text size="sm" c="dimmed">
          {t("matches.detail.proposalVersion", { version: view.proposal_version })}
        </Text>
      </Group>
      <StageActions id={view.id} allowed={view.allowed_actions} />

      <Section title={t("matches.consent.title")} testId="consent-section">
        <Stack>
          {facilitator && <ConsentTable view={facilitator} />}
          {party && (
            <>
              <PartyConsentList view={party} />
              <ConsentDecision view={party} />
            </>
          )}
          <DisclosureNote disclosed={disclosed} />
        </Stack>
      </Section>

      {party && (
        <>
          <Section title={t("matches.parties.yourPart")} testId="your-part">
            <Stack>
              {party.my_parties.map((p) => (
                <PartyCard key={p.id} party={p} own />
              ))}
            </Stack>
          </Section>
          <Section title={t("matches.parties.counterparts")} testId="counterparts">
            <Stack>
              {party.counterparts.map((c) => (isDisclosed(c) ? <PartyCard key={c.id} party={c} /> : <RedactedCard key={c.id} counterpart={c} />))}
            </Stack>
          </Section>
        </>
      )}
      {facilitator && (
        <>
          <Section title={t("matches.parties.title")} testId="parties">
            <SimpleGrid cols={{ base: 1, lg: 2 }}>
              {facilitator.parties.map((p) => (
                <PartyCard key={p.id} party={p} />
              ))}
            </SimpleGrid>
          </Section>
          <Section title={t("matches.proposal.title")} testId="proposal">
            <ProposalSection view={facilitator} />
          </Section>
        </>
      )}

      <Agreement view={view} />

      <Section title={t("matches.publication.title")} testId="publication">
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {t("matches.publication.rule")}
          </Text>
          {party && <PublicationConsent view={party} />}
          {facilitator && (
            <Text size="sm">
              {t("matches.publication.summary", {
                agreed: facilitator.parties.filter((p) => p.publication_consent === true).length,
                total: facilitator.parties.length,
              })}
            </Text>
          )}
          {published && (
            <Alert color="blue" role="note">
              <Anchor component={Link} to={`/portal/matches/${view.id}`} size="sm">
                {t("matches.publication.portalLink")}
              </Anchor>
            </Alert>
          )}
        </Stack>
      </Section>

      {facilitator && (
        <Section title={t("matches.facilitation.title")} testId="facilitation">
          <FacilitationSection view={facilitator} canAssign={Boolean(me?.is_secretariat)} />
        </Section>
      )}

      <Section title={t("matches.timeline.title")} testId="timeline-section">
        <MatchTimeline id={view.id} />
      </Section>
      <Group>
        <Anchor component={Link} to="/matches" size="sm">
          {t("matches.detail.backToList")}
        </Anchor>
      </Group>
    </Stack>
  );
}
