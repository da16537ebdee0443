import { Anchor, List, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { IconExternalLink } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber } from "@/lib/format";
import { useTermLabel } from "@/lib/reference";
import { ProgressText } from "./IndicatorsEditor";
import { QUALITIES, type ReportContent } from "./reportDraft";

function Block({ title, children, level }: { title: string; children: ReactNode; level: 3 | 4 }) {
  return (
    <div>
      <Title order={level} size="h5" mb={4}>
        {title}
      </Title>
      {children}
    </div>
  );
}

function Prose({ text }: { text: string }) {
  const { t } = useTranslation();
  return text ? (
    <Text style={{ whiteSpace: "pre-wrap" }}>{text}</Text>
  ) : (
    <Text size="sm" c="dimmed">
      {t("reports.view.empty")}
    </Text>
  );
}

/** A report's content, read-only: the report itself or one of its submitted revisions. */
export function ReportView({ content, headingLevel = 3 }: { content: Partial<ReportContent>; headingLevel?: 3 | 4 }) {
  const { t, i18n } = useTranslation();
  const qualityLabel = useTermLabel("qualities");
  const n = (value: number | null | undefined) => (value === null || value === undefined ? "–" : formatNumber(value, i18n.language));
  const impact = content.impact ?? {};
  const rated = QUALITIES.filter((q) => impact[q]);
  const indicators = content.indicators ?? [];
  const links = content.links ?? [];
  return (
    <Stack gap="md" data-testid="report-view">
      <Block level={headingLevel} title={t("reports.fields.stage")}>
        <Text>{content.stage ? t(`reports.stages.${content.stage}`) : t("reports.view.noStage")}</Text>
      </Block>
      <Block level={headingLevel} title={t("reports.fields.narrative")}>
        <Prose text={content.narrative ?? ""} />
      </Block>
      <Block level={headingLevel} title={t("reports.fields.challenges")}>
        <Prose text={content.challenges ?? ""} />
      </Block>
      <Block level={headingLevel} title={t("reports.fields.goodPractices")}>
        <Prose text={content.good_practices ?? ""} />
      </Block>
      <Block level={headingLevel} title={t("reports.fields.impact")}>
        {rated.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("reports.view.noImpact")}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={480}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("reports.impact.quality")}</Table.Th>
                  <Table.Th>{t("reports.impact.ratingColumn")}</Table.Th>
                  <Table.Th>{t("reports.impact.evidenceColumn")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rated.map((q) => (
                  <Table.Tr key={q}>
                    <Table.Th scope="row">{qualityLabel(q) || t(`reports.qualities.${q}`)}</Table.Th>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>{t(`reports.impact.ratings.${impact[q]?.rating ?? 1}`)}</Table.Td>
                    <Table.Td style={{ whiteSpace: "pre-wrap" }}>{impact[q]?.evidence}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Block>
      <Block level={headingLevel} title={t("reports.fields.indicators")}>
        {indicators.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("reports.indicators.none")}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={600}>
            <Table data-testid="indicators-view">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("reports.indicators.name")}</Table.Th>
                  <Table.Th>{t("reports.indicators.unit")}</Table.Th>
                  <Table.Th ta="right">{t("reports.indicators.baseline")}</Table.Th>
                  <Table.Th ta="right">{t("reports.indicators.target")}</Table.Th>
                  <Table.Th ta="right">{t("reports.indicators.actual")}</Table.Th>
                  <Table.Th ta="right">{t("reports.indicators.progress")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {indicators.map((i, index) => (
                  <Table.Tr key={`${i.name}-${index}`}>
                    <Table.Th scope="row" fw={500}>
                      {i.name}
                    </Table.Th>
                    <Table.Td>{i.unit}</Table.Td>
                    <Table.Td ta="right">{n(i.baseline)}</Table.Td>
                    <Table.Td ta="right">{n(i.target)}</Table.Td>
                    <Table.Td ta="right">{n(i.actual)}</Table.Td>
                    <Table.Td ta="right">
                      <ProgressText baseline={i.baseline ?? null} target={i.target ?? null} actual={i.actual ?? null} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Block>
      <Block level={headingLevel} title={t("reports.fields.links")}>
        {links.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("reports.links.none")}
          </Text>
        ) : (
          <List spacing={4}>
            {links.map((l, index) => (
              <List.Item key={`${l.url}-${index}`}>
                <Anchor href={l.url} target="_blank" rel="noopener noreferrer">
                  {l.title} <IconExternalLink size={14} aria-hidden style={{ verticalAlign: "middle" }} />
                  <VisuallyHidden>{t("app.opensInNewTab")}</VisuallyHidden>
                </Anchor>
              </List.Item>
            ))}
          </List>
        )}
      </Block>
      <Block level={headingLevel} title={t("reports.fields.nextSteps")}>
        <Prose text={content.next_steps ?? ""} />
      </Block>
    </Stack>
  );
}
