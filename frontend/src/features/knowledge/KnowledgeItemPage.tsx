import { Alert, Anchor, Button, Card, Grid, Group, List, Stack, Text, Title, Typography, VisuallyHidden } from "@mantine/core";
import { IconExternalLink, IconLanguage, IconPencil } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { Section, usePeriod } from "@/components/commitments/Views";
import { ErrorAlert } from "@/components/ErrorAlert";
import { FileAttachments } from "@/components/files/FileAttachments";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { formatDate, formatDateTime } from "@/lib/format";
import { useAreaPath, useCountryName, useRegionName, useTermLabel } from "@/lib/reference";
import { useMe } from "@/lib/session";
import { type KnowledgeFull, type KnowledgeView, missingLanguages, mayTranslate, useKnowledgeItem } from "./api";
import { ItemActions } from "./ItemActions";
import { AlsoAvailableIn, ItemStatusBadge, KindBadge, LanguageBadge } from "./parts";
import { isSafeUrl } from "./markdown";
import { kindPath } from "./search";

export const OWNER_TYPE = "knowledge_item";

/**
 * The server's rendering of the body with its headings placed under the page's own: each heading is at least
 * `minLevel` (h2 on the item page, below its h1). markdown-it writes headings as bare `<hN>` tags (no
 * attributes), and text that merely looks like a tag arrives escaped (`&lt;h1&gt;`), so only real headings
 * are renamed.
 */
export function pageBodyHtml(html: string, minLevel = 2): string {
  return html.replace(/<(\/?)h([1-6])>/g, (_, slash: string, level: string) => `<${slash}h${Math.min(6, Math.max(Number(level), minLevel))}>`);
}

function EditorPanel({ item, etag, onReload }: { item: KnowledgeFull; etag: string | null; onReload: () => void }) {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const missing = missingLanguages(item);
  const translatable = mayTranslate(me, item) && missing.length > 0;
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="knowledge-editing-title" data-testid="editor-panel">
      <Stack gap="sm">
        <Group justify="space-between" align="center">
          <Group gap="xs">
            <Title order={2} size="h4" id="knowledge-editing-title">
              {t("knowledge.item.editing")}
            </Title>
            <ItemStatusBadge status={item.status} size="lg" />
          </Group>
          <Group gap="xs">
            {item.can_edit && (
              <Button component={Link} to={`/knowledge/${item.id}/edit`} variant="light" leftSection={<IconPencil size={16} aria-hidden />}>
                {t("app.edit")}
              </Button>
            )}
            {translatable && (
              <Button component={Link} to={`/knowledge/${item.id}/translate`} variant="default" leftSection={<IconLanguage size={16} aria-hidden />}>
                {t("knowledge.item.addTranslation")}
              </Button>
            )}
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          {t(`knowledge.item.statusHelp.${item.status}`)}
        </Text>
        {item.status === "draft" && item.review_comment && (
          <Alert color="orange" role="note" title={t("knowledge.item.returnedTitle")}>
            <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
              {item.review_comment}
            </Text>
          </Alert>
        )}
        <ItemActions id={item.id} actions={item.allowed_actions} etag={etag} onReload={onReload} />
        <Text size="xs" c="dimmed">
          {[
            t("knowledge.item.createdAt", { date: formatDateTime(item.created_at, i18n.language) }),
            t("knowledge.item.updatedAt", { date: formatDateTime(item.updated_at, i18n.language) }),
            item.submitted_at ? t("knowledge.item.submittedAt", { date: formatDateTime(item.submitted_at, i18n.language) }) : null,
          ]
            .filter(Boolean)
            .join(" · ")}
        </Text>
      </Stack>
    </Card>
  );
}

/** Label / value pairs stacked (the column is narrow): a `dl`; empty values are left out. */
function StackedFacts({ items }: { items: { label: string; value: ReactNode }[] }) {
  const shown = items.filter((item) => item.value !== null && item.value !== undefined && item.value !== "");
  return (
    <Stack component="dl" gap="sm" m={0}>
      {shown.map((item) => (
        <div key={item.label}>
          <Text component="dt" size="sm" c="dimmed">
            {item.label}
          </Text>
          <Text component="dd" size="sm" m={0}>
            {item.value}
          </Text>
        </div>
      ))}
    </Stack>
  );
}

function Details({ item }: { item: KnowledgeView }) {
  const { t, i18n } = useTranslation();
  const areaPath = useAreaPath();
  const countryName = useCountryName();
  const regionName = useRegionName();
  const contributorLabel = useTermLabel("contributor_types");
  const period = usePeriod();
  const hasPeriod = Boolean(item.starts_on || item.ends_on);
  return (
    <Section title={t("knowledge.item.details")} testId="item-details">
      <StackedFacts
        items={[
          { label: t("knowledge.fields.organisation"), value: item.organisation?.name ?? t("knowledge.item.secretariat") },
          { label: t("knowledge.fields.publishedAt"), value: formatDate(item.published_at, i18n.language) },
          { label: t("knowledge.fields.year"), value: String(item.year) },
          { label: t("knowledge.fields.period"), value: hasPeriod ? period(item.starts_on, item.ends_on) : null },
          {
            label: t("knowledge.fields.areas"),
            value:
              item.areas.length > 0 ? (
                <Stack component="span" gap={2}>
                  {item.areas.map((code) => (
                    <Text key={code} component="span" size="sm">
                      {areaPath(code)}
                    </Text>
                  ))}
                </Stack>
              ) : null,
          },
          { label: t("knowledge.fields.countries"), value: item.countries.map(countryName).join(", ") },
          { label: t("knowledge.fields.regions"), value: item.regions.map(regionName).join(", ") },
          { label: t("knowledge.fields.contributorTypes"), value: item.contributor_types.map(contributorLabel).join(", ") },
        ]}
      />
    </Section>
  );
}

/** One knowledge item, public (or the editors' view with its workflow for the Secretariat and the authors). */
export function KnowledgeItemPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const query = useKnowledgeItem(id);
  if (query.isLoading) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return null;
  const { data: item, etag } = query.data;
  const full = item.view === "full" ? item : null;
  const reload = () => void query.refetch();

  return (
    <Stack maw={1200}>
      <div lang={item.language}>
        <PageHeader title={item.title} />
      </div>
      <Group gap="xs" mt={-12}>
        <KindBadge kind={item.kind} size="lg" />
        <LanguageBadge language={item.language} size="lg" />
      </Group>
      {item.also_available_in.length > 0 && (
        <AlsoAvailableIn versions={item.also_available_in.map((v) => ({ id: v.id, language: v.language, status: v.status }))} size="md" />
      )}
      {full && <EditorPanel item={full} etag={etag} onReload={reload} />}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            {item.summary && (
              <Text size="lg" lang={item.language} style={{ whiteSpace: "pre-wrap" }} data-testid="item-summary">
                {item.summary}
              </Text>
            )}
            {item.body_html && (
              <Typography lang={item.language} data-testid="item-body">
                {/* The one place HTML is inserted: body_html is rendered by the server from the Markdown with raw
                    HTML disabled and link targets checked (api/knowledge/markdown.py), so it holds no script,
                    event handler or javascript: link. Item text is never inserted as HTML anywhere else. */}
                <div dangerouslySetInnerHTML={{ __html: pageBodyHtml(item.body_html) }} />
              </Typography>
            )}
            <Section title={t("knowledge.fields.sourceLinks")} testId="source-links">
              {item.source_links.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t("knowledge.item.noSources")}
                </Text>
              ) : (
                <List spacing={4}>
                  {item.source_links.map((link, index) => (
                    <List.Item key={`${link.url}-${index}`}>
                      {isSafeUrl(link.url) ? (
                        <Anchor href={link.url} target="_blank" rel="noopener noreferrer">
                          {link.title} <IconExternalLink size={14} aria-hidden style={{ verticalAlign: "middle" }} />
                          <VisuallyHidden>{t("app.opensInNewTab")}</VisuallyHidden>
                        </Anchor>
                      ) : (
                        <Text size="sm">{link.title}</Text>
                      )}
                    </List.Item>
                  ))}
                </List>
              )}
            </Section>
            <Section title={t("knowledge.fields.attachments")} testId="attachments">
              <FileAttachments
                ownerType={OWNER_TYPE}
                ownerId={item.id}
                attachments={item.attachments}
                canEdit={Boolean(full?.can_edit)}
                onChange={reload}
              />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Details item={item} />
        </Grid.Col>
      </Grid>
      <Group>
        <Anchor component={Link} to={kindPath(item.kind)} size="sm">
          {t("knowledge.item.backToList", { kind: t(`knowledge.kindsPlural.${item.kind}`) })}
        </Anchor>
        <Text size="sm" c="dimmed" aria-hidden>
          ·
        </Text>
        <Anchor component={Link} to="/knowledge" size="sm">
          {t("knowledge.item.backToSearch")}
        </Anchor>
      </Group>
    </Stack>
  );
}
