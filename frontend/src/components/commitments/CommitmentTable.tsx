import { Anchor, Stack, Table, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { StatusBadge, UrgencyBadge } from "@/components/StatusBadge";
import type { Schemas } from "@/lib/api";
import type { CommitmentKind } from "@/lib/commitments";
import { formatDate } from "@/lib/format";
import { useAreaLabel, useCountryName } from "@/lib/reference";

type Row = Schemas["SupportRequestListItem"] | Schemas["SupportOfferListItem"];
export type Column = "reference" | "title" | "country" | "organisation" | "areas" | "urgency" | "status" | "updated" | "submitted";
export type ExtraColumn<R> = { header: string; render: (row: R) => ReactNode };

const PATHS: Record<CommitmentKind, string> = { request: "/requests", offer: "/offers" };
const MAX_AREAS = 2;

/** Rows of requests or offers; each title links to the record. */
export function CommitmentTable<R extends Row>({
  kind,
  rows,
  columns,
  extra = [],
  caption,
}: {
  kind: CommitmentKind;
  rows: R[];
  columns: Column[];
  extra?: ExtraColumn<R>[];
  caption?: string;
}) {
  const { t, i18n } = useTranslation();
  const countryName = useCountryName();
  const areaLabel = useAreaLabel();
  const has = (c: Column) => columns.includes(c);
  if (rows.length === 0)
    return (
      <Text c="dimmed" py="md">
        {t("app.noResults")}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table striped highlightOnHover verticalSpacing="sm">
        {caption && <Table.Caption>{caption}</Table.Caption>}
        <Table.Thead>
          <Table.Tr>
            {has("reference") && <Table.Th>{t("commitments.fields.reference")}</Table.Th>}
            {has("title") && <Table.Th>{t("commitments.fields.title")}</Table.Th>}
            {has("country") && <Table.Th>{t("commitments.fields.country")}</Table.Th>}
            {has("organisation") && <Table.Th>{t("commitments.fields.organisation")}</Table.Th>}
            {has("areas") && <Table.Th>{t("commitments.fields.areas")}</Table.Th>}
            {has("urgency") && <Table.Th>{t("requests.fields.urgency")}</Table.Th>}
            {has("status") && <Table.Th>{t("commitments.fields.status")}</Table.Th>}
            {has("submitted") && <Table.Th>{t("commitments.fields.submittedAt")}</Table.Th>}
            {has("updated") && <Table.Th>{t("commitments.fields.updatedAt")}</Table.Th>}
            {extra.map((c) => (
              <Table.Th key={c.header}>{c.header}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const areas = [...new Set(row.component_areas)];
            return (
              <Table.Tr key={row.id}>
                {has("reference") && (
                  <Table.Td>
                    <Text size="sm" ff="monospace" style={{ whiteSpace: "nowrap" }}>
                      {row.reference}
                    </Text>
                  </Table.Td>
                )}
                {has("title") && (
                  <Table.Td miw={240} maw={400}>
                    <Stack gap={2}>
                      <Anchor component={Link} to={`${PATHS[kind]}/${row.id}`} fw={600} size="sm">
                        {row.title}
                      </Anchor>
                      {row.public_summary && (
                        <Text size="xs" c="dimmed" lineClamp={2}>
                          {row.public_summary}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                )}
                {has("country") && (
                  <Table.Td>
                    <Text size="sm">{countryName(row.country_iso3)}</Text>
                    {!has("organisation") && (
                      <Text size="xs" c="dimmed">
                        {row.organisation_name}
                      </Text>
                    )}
                  </Table.Td>
                )}
                {has("organisation") && <Table.Td>{row.organisation_name}</Table.Td>}
                {has("areas") && (
                  <Table.Td maw={280}>
                    <Text size="xs">
                      {areas.slice(0, MAX_AREAS).map(areaLabel).join(" · ")}
                      {areas.length > MAX_AREAS && ` ${t("commitments.moreAreas", { total: areas.length - MAX_AREAS })}`}
                    </Text>
                  </Table.Td>
                )}
                {has("urgency") && <Table.Td>{"urgency" in row && <UrgencyBadge urgency={row.urgency} />}</Table.Td>}
                {has("status") && (
                  <Table.Td>
                    <StatusBadge status={row.status} />
                  </Table.Td>
                )}
                {has("submitted") && <Table.Td style={{ whiteSpace: "nowrap" }}>{formatDate(row.submitted_at, i18n.language)}</Table.Td>}
                {has("updated") && <Table.Td style={{ whiteSpace: "nowrap" }}>{formatDate(row.updated_at, i18n.language)}</Table.Td>}
                {extra.map((c) => (
                  <Table.Td key={c.header}>{c.render(row)}</Table.Td>
                ))}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
