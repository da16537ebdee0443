import { Alert, Anchor, Badge, Button, Group, Stack, Text } from "@mantine/core";
import { IconArrowsShuffle, IconEye, IconPencil } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import {
  AttachmentsView,
  ComponentsView,
  ConfidentialIcon,
  ContactsView,
  DuplicationWarnings,
  Facts,
  Paragraphs,
  Section,
  TermBadges,
  usePeriod,
} from "@/components/commitments/Views";
import { WorkflowActions } from "@/components/commitments/WorkflowActions";
import { RelatedKnowledge } from "@/features/knowledge";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { StatusBadge } from "@/components/StatusBadge";
import { api } from "@/lib/api";
import { mayEdit, unwrapWithETag } from "@/lib/commitments";
import { formatDateTime, formatNumber } from "@/lib/format";
import { useBureauName, useCountryName, useRegionName } from "@/lib/reference";
import { useMe } from "@/lib/session";

/** One offer: the full record for its owners, the Secretariat and UNHCR; else its public part. */
export function OfferDetailPage() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const countryName = useCountryName();
  const regionName = useRegionName();
  const bureauName = useBureauName();
  const period = usePeriod();
  const query = useQuery({
    queryKey: ["support-offers", "detail", id],
    queryFn: () => unwrapWithETag(api.GET("/api/v1/support-offers/{offer_id}", { params: { path: { offer_id: id } } })),
  });
  if (query.isLoading) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return null;
  const { data: record, etag } = query.data;
  const full = record.view === "full" ? record : null;
  const editable = full !== null && mayEdit(me, [record.organisation.id], record.status);
  const scope = record.serves_any
    ? t("offers.servesAnyValue")
    : [
        ...record.served_countries.map(countryName),
        ...record.served_regions.map(regionName),
        ...record.served_bureaux.map((b) => t("offers.bureauScope", { bureau: bureauName(b) })),
      ].join(" · ");

  return (
    <Stack maw={1100}>
      <PageHeader
        title={record.title}
        description={[record.reference, record.country_iso3 ? countryName(record.country_iso3) : null, record.organisation.name].filter(Boolean).join(" · ")}
        actions={
          <>
            {editable && (
              <Button component={Link} to={`/offers/${record.id}/edit`} variant="light" leftSection={<IconPencil size={16} aria-hidden />}>
                {t("app.edit")}
              </Button>
            )}
            {/* The Secretariat matches validated records from the matching console. */}
            {me?.is_secretariat && ["validated", "partially_matched"].includes(record.status) && (
              <Button component={Link} to={`/matching?offer=${record.id}`} variant="light" leftSection={<IconArrowsShuffle size={16} aria-hidden />}>
                {t("matching.findRequests")}
              </Button>
            )}
          </>
        }
      />
      <Group gap="xs">
        <StatusBadge status={record.status} size="lg" />
        {full?.proactive_target_iso3 && (
          <Badge color="grape" variant="light" size="lg">
            {t("offers.proactiveBadge", { country: countryName(full.proactive_target_iso3) })}
          </Badge>
        )}
      </Group>

      {full ? (
        <>
          {full.status === "rejected" && full.rejection_reason && (
            <Alert color="red" title={t("commitments.detail.rejectedTitle")} role="status">
              <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                {full.rejection_reason}
              </Text>
            </Alert>
          )}
          <DuplicationWarnings warnings={full.duplication_warnings} />
          <WorkflowActions kind="offer" id={full.id} actions={full.allowed_actions} etag={etag} onReload={() => void query.refetch()} />
        </>
      ) : (
        <Alert role="note" color="blue" icon={<IconEye aria-hidden />}>
          {t("offers.publicViewNote")}
        </Alert>
      )}

      <Section title={t("commitments.fields.publicSummary")} testId="public-summary">
        <Paragraphs text={record.public_summary} empty={t("commitments.detail.noSummary")} />
      </Section>

      <Section title={t("commitments.fields.components")}>
        <ComponentsView components={record.components} />
      </Section>

      <Section title={t("commitments.detail.overview")}>
        <Facts
          items={[
            { label: t("commitments.fields.organisation"), value: record.organisation.name },
            { label: t("commitments.fields.country"), value: countryName(record.country_iso3) },
            {
              label: t("offers.fields.pledge"),
              value: record.pledge ? (
                <Anchor component={Link} to={`/pledges/${record.pledge.id}`} size="sm">
                  {record.pledge.title} ({record.pledge.external_id})
                </Anchor>
              ) : null,
            },
            { label: t("offers.fields.servedScope"), value: scope },
            { label: t("offers.fields.excludedCountries"), value: full ? full.excluded_countries.map(countryName).join(", ") : null },
            { label: t("offers.fields.capacity"), value: full ? formatNumber(full.capacity, i18n.language) : null },
            { label: t("commitments.fields.timeframe"), value: period(record.starts_on, record.ends_on) },
            { label: t("commitments.fields.languages"), value: record.languages.length > 0 ? <TermBadges vocabulary="languages" codes={record.languages} color="gray" /> : null },
            { label: t("commitments.fields.submittedAt"), value: full ? formatDateTime(full.submitted_at, i18n.language) : null },
            { label: t("commitments.fields.validatedAt"), value: formatDateTime(record.validated_at, i18n.language) },
            { label: t("commitments.fields.updatedAt"), value: formatDateTime(record.updated_at, i18n.language) },
          ]}
        />
      </Section>

      {full && (
        <Section title={t("commitments.form.confidentialTitle")} icon={<ConfidentialIcon />} testId="confidential">
          <Text size="sm" c="dimmed" mb="sm">
            {t("offers.detail.confidentialNote")}
          </Text>
          <Stack gap="md">
            <div>
              <Text fw={600} size="sm">
                {t("commitments.fields.confidentialDetails")}
              </Text>
              <Paragraphs text={full.confidential_details} empty={t("commitments.detail.none")} />
            </div>
            <div>
              <Text fw={600} size="sm" mb={4}>
                {t("commitments.fields.contacts")}
              </Text>
              <ContactsView contacts={full.contacts} />
            </div>
            <div>
              <Text fw={600} size="sm" mb={4}>
                {t("commitments.fields.attachments")}
              </Text>
              <AttachmentsView attachments={full.attachments} />
            </div>
            <Facts
              items={[
                { label: t("commitments.fields.allowPublication"), value: full.allow_publication ? t("app.yes") : t("app.no") },
                { label: t("commitments.fields.createdAt"), value: formatDateTime(full.created_at, i18n.language) },
                { label: t("commitments.fields.version"), value: String(full.version) },
              ]}
            />
          </Stack>
        </Section>
      )}
      <RelatedKnowledge offerId={record.id} />
      <Group>
        <Anchor component={Link} to="/offers" size="sm">
          {t("offers.backToList")}
        </Anchor>
      </Group>
    </Stack>
  );
}
