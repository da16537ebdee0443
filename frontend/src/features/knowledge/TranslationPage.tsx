import { Alert, Anchor, Button, Card, Grid, Group, Select, Stack, Text, Textarea, TextInput, Title, Typography } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { SaveError } from "@/components/commitments/FormParts";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { ApiError, api } from "@/lib/api";
import { unwrapWithETag } from "@/lib/commitments";
import { clientValidationError, fieldError } from "@/lib/fieldErrors";
import { useMe } from "@/lib/session";
import { type ItemLanguage, itemKey, type KnowledgeFull, KNOWLEDGE_KEY, LANGUAGE_NAMES, mayTranslate, missingLanguages, useKnowledgeItem } from "./api";
import { BodyEditor } from "./FormParts";
import { pageBodyHtml } from "./KnowledgeItemPage";

const PLACED = ["language", "title", "summary", "body"] as const;

function TranslationForm({ source, languages }: { source: KnowledgeFull; languages: ItemLanguage[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const wanted = params.get("language") as ItemLanguage | null;
  const [language, setLanguage] = useState<ItemLanguage>(wanted && languages.includes(wanted) ? wanted : (languages[0] as ItemLanguage));
  const [title, setTitle] = useState("");
  const [summary, setSummary] = useState("");
  const [body, setBody] = useState("");
  const [checkError, setCheckError] = useState<ApiError | null>(null);
  const mutation = useMutation({
    mutationFn: () =>
      unwrapWithETag(
        api.POST("/api/v1/knowledge/items/{item_id}/translations", {
          params: { path: { item_id: source.id } },
          body: { language, title: title.trim(), summary: summary.trim(), body },
        }),
      ),
    onSuccess: (saved) => {
      client.setQueryData(itemKey(saved.data.id), saved);
      void client.invalidateQueries({ queryKey: [KNOWLEDGE_KEY] });
      notifications.show({ color: "green", message: t("knowledge.translate.saved", { language: LANGUAGE_NAMES[language] }) });
      void navigate(`/knowledge/${saved.data.id}`);
    },
  });
  const error = checkError ?? mutation.error;
  const fields = error instanceof ApiError ? error.fieldMap() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = clientValidationError(title.trim().length < 3 ? { title: t("knowledge.form.errors.title") } : {});
    setCheckError(problem);
    if (problem) mutation.reset();
    else mutation.mutate();
  };

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Card withBorder padding="lg" component="section" aria-labelledby="translation-source-title">
          <Stack gap="sm">
            <Title order={2} size="h4" id="translation-source-title">
              {t("knowledge.translate.source", { language: LANGUAGE_NAMES[source.language] })}
            </Title>
            <div lang={source.language}>
              <Text fw={700} size="lg">{source.title}</Text>
              {source.summary && (
                <Text size="sm" mt="xs" style={{ whiteSpace: "pre-wrap" }}>
                  {source.summary}
                </Text>
              )}
              {source.body_html && (
                <Typography mt="sm">
                  {/* Rendered by the server from Markdown with raw HTML disabled (api/knowledge/markdown.py). */}
                  <div dangerouslySetInnerHTML={{ __html: pageBodyHtml(source.body_html, 3) }} />
                </Typography>
              )}
            </div>
          </Stack>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <SaveError error={error} placed={PLACED} />
            <Select
              label={t("knowledge.translate.language")}
              required
              allowDeselect={false}
              data={languages.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
              value={language}
              error={fieldError(fields, "language")}
              onChange={(value) => value && setLanguage(value as ItemLanguage)}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              label={t("knowledge.fields.title")}
              required
              maxLength={300}
              lang={language}
              value={title}
              error={fieldError(fields, "title")}
              onChange={(e) => setTitle(e.currentTarget.value)}
            />
            <Textarea
              label={t("knowledge.fields.summary")}
              autosize
              minRows={3}
              maxLength={3000}
              lang={language}
              value={summary}
              error={fieldError(fields, "summary")}
              onChange={(e) => setSummary(e.currentTarget.value)}
            />
            <BodyEditor value={body} onChange={setBody} error={fieldError(fields, "body")} language={language} />
            <Text size="xs" c="dimmed">
              {t("knowledge.translate.copied")}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" component={Link} to={`/knowledge/${source.id}`}>
                {t("app.cancel")}
              </Button>
              <Button type="submit" loading={mutation.isPending}>
                {t("knowledge.translate.submit")}
              </Button>
            </Group>
          </Stack>
        </form>
      </Grid.Col>
    </Grid>
  );
}

/** Another language version of an item (`/knowledge/:id/translate`, `?language=` preselects it). */
export function TranslationPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const { data: me } = useMe();
  const record = useKnowledgeItem(id);
  if (record.isLoading) return <Loading />;
  if (record.isError) return <ErrorAlert error={record.error} onRetry={() => void record.refetch()} />;
  const item = record.data?.data;
  if (!item) return null;
  const languages = missingLanguages(item);
  return (
    <Stack>
      <PageHeader title={t("knowledge.translate.title")} description={item.title} />
      {item.view !== "full" || !mayTranslate(me, item) ? (
        <Alert role="note" color="orange" title={t("knowledge.translate.notAllowedTitle")}>
          <Text size="sm">{t("knowledge.translate.notAllowed")}</Text>
        </Alert>
      ) : languages.length === 0 ? (
        <Alert role="note" color="blue" title={t("knowledge.translate.completeTitle")}>
          <Text size="sm">{t("knowledge.translate.complete")}</Text>
        </Alert>
      ) : (
        <TranslationForm source={item} languages={languages} />
      )}
      <Anchor component={Link} to={`/knowledge/${id}`} size="sm">
        {t("knowledge.form.backToItem")}
      </Anchor>
    </Stack>
  );
}
