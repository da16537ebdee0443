import { Alert, Anchor, Button, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { FormSection, SaveError } from "@/components/commitments/FormParts";
import { ErrorAlert } from "@/components/ErrorAlert";
import { FileAttachments } from "@/components/files/FileAttachments";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { currentLanguage } from "@/i18n";
import { ApiError, api } from "@/lib/api";
import { newIdempotencyKey, unwrapWithETag } from "@/lib/commitments";
import { clientValidationError, fieldError, rowErrorsByKey } from "@/lib/fieldErrors";
import { groupAreaOptions, uiLanguage, useAreas, useCountryOptions, useRegionOptions, useTermOptions } from "@/lib/reference";
import { useMe } from "@/lib/session";
import {
  authoringOrganisations,
  type ItemLanguage,
  itemKey,
  ITEM_LANGUAGES,
  KINDS,
  type Kind,
  type KnowledgeFull,
  KNOWLEDGE_KEY,
  LANGUAGE_NAMES,
  mayAuthor,
  useKnowledgeItem,
} from "./api";
import { AuthorOrganisationPicker, BodyEditor, LinksEditor } from "./FormParts";
import { checkItem, createBody, emptyItemForm, ITEM_FIELDS, itemFormFromRecord, type ItemFormState, type SentKeys, updateBody } from "./itemForm";
import { OWNER_TYPE } from "./KnowledgeItemPage";

type Saved = { data: KnowledgeFull; etag: string | null };

function ItemForm({
  initial,
  mode,
  organisations,
  organisationName,
  isSecretariat,
  save,
  onCancel,
  onReload,
  submitLabel,
  attachmentsSlot,
}: {
  initial: ItemFormState;
  mode: "create" | "edit";
  organisations?: { value: string; label: string }[];
  organisationName?: string;
  isSecretariat: boolean;
  save: (state: ItemFormState) => Promise<Saved>;
  onCancel: () => void;
  onReload?: () => void;
  submitLabel: string;
  attachmentsSlot: React.ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState(initial);
  const [sent, setSent] = useState<SentKeys>({ source_links: [], attachment_links: [] });
  const mutation = useMutation({ mutationFn: save });
  const areas = useAreas(true);
  const areaOptions = groupAreaOptions(areas.data ?? [], uiLanguage(i18n), (label) => t("commitments.wholeArea", { area: label }), state.areas);
  const countryOptions = useCountryOptions();
  const regionOptions = useRegionOptions();
  const contributorOptions = useTermOptions("contributor_types");
  const set = <K extends keyof ItemFormState>(key: K, value: ItemFormState[K]) => setState((s) => ({ ...s, [key]: value }));

  const [checkError, setCheckError] = useState<ApiError | null>(null);
  const error = checkError ?? mutation.error;
  const fields = error instanceof ApiError ? error.fieldMap() : {};
  const err = (name: string) => fieldError(fields, name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { body, sent: keys } = mode === "create" ? createBody(state) : updateBody(state);
    setSent(keys);
    const problem = clientValidationError(checkItem(body, t));
    setCheckError(problem);
    if (problem) mutation.reset();
    else mutation.mutate(state);
  };
  const linkLabels = (prefix: "source" | "attachment") => ({
    title: (n: number) => t(`knowledge.form.${prefix}Title`, { number: n }),
    url: (n: number) => t(`knowledge.form.${prefix}Url`, { number: n }),
    remove: (n: number) => t(`knowledge.form.${prefix}Remove`, { number: n }),
    add: t(`knowledge.form.${prefix}Add`),
    none: t(`knowledge.form.${prefix}None`),
  });

  return (
    <form onSubmit={submit} noValidate aria-describedby="knowledge-form-intro">
      <Stack gap="lg" maw={960}>
        <Text id="knowledge-form-intro" size="sm" c="dimmed">
          {t("knowledge.form.intro")}
        </Text>
        <SaveError error={error} placed={ITEM_FIELDS} onReload={onReload} />

        <FormSection title={t("knowledge.form.whatTitle")}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t("knowledge.fields.kind")}
              required
              allowDeselect={false}
              data={KINDS.map((kind) => ({ value: kind, label: t(`knowledge.kinds.${kind}`) }))}
              value={state.kind}
              error={err("kind")}
              onChange={(value) => value && set("kind", value as Kind)}
              comboboxProps={{ withinPortal: true }}
            />
            {mode === "create" ? (
              <Select
                label={t("knowledge.fields.language")}
                description={t("knowledge.form.languageHint")}
                required
                allowDeselect={false}
                data={ITEM_LANGUAGES.map((language) => ({ value: language, label: LANGUAGE_NAMES[language] }))}
                value={state.language}
                error={err("language")}
                onChange={(value) => value && set("language", value as ItemLanguage)}
                comboboxProps={{ withinPortal: true }}
              />
            ) : (
              <TextInput label={t("knowledge.fields.language")} value={LANGUAGE_NAMES[state.language]} readOnly />
            )}
          </SimpleGrid>
          {mode === "create" && isSecretariat ? (
            <AuthorOrganisationPicker value={state.organisation_id} onChange={(value) => set("organisation_id", value)} error={err("organisation_id")} />
          ) : mode === "create" && organisations && organisations.length > 1 ? (
            <Select
              label={t("knowledge.fields.organisation")}
              required
              allowDeselect={false}
              data={organisations}
              value={state.organisation_id}
              error={err("organisation_id")}
              onChange={(value) => set("organisation_id", value)}
              comboboxProps={{ withinPortal: true }}
            />
          ) : (
            <TextInput
              label={t("knowledge.fields.organisation")}
              value={organisationName ?? organisations?.[0]?.label ?? t("knowledge.item.secretariat")}
              readOnly
            />
          )}
          <TextInput
            label={t("knowledge.fields.title")}
            required
            maxLength={300}
            lang={state.language}
            value={state.title}
            error={err("title")}
            onChange={(e) => set("title", e.currentTarget.value)}
          />
          <Textarea
            label={t("knowledge.fields.summary")}
            description={t("knowledge.form.summaryHint")}
            autosize
            minRows={3}
            maxLength={3000}
            lang={state.language}
            value={state.summary}
            error={err("summary")}
            onChange={(e) => set("summary", e.currentTarget.value)}
          />
          <BodyEditor value={state.body} onChange={(value) => set("body", value)} error={err("body")} language={state.language} />
        </FormSection>

        <FormSection title={t("knowledge.form.tagsTitle")} description={t("knowledge.form.tagsHint")}>
          <MultiSelect
            label={t("knowledge.fields.areas")}
            searchable
            maxValues={20}
            data={areaOptions}
            value={state.areas}
            error={err("areas")}
            onChange={(value) => set("areas", value)}
            nothingFoundMessage={t("app.noResults")}
            comboboxProps={{ withinPortal: true }}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <MultiSelect
              label={t("knowledge.fields.countries")}
              searchable
              maxValues={60}
              data={countryOptions}
              value={state.countries}
              error={err("countries")}
              onChange={(value) => set("countries", value)}
              nothingFoundMessage={t("app.noResults")}
              comboboxProps={{ withinPortal: true }}
            />
            <MultiSelect
              label={t("knowledge.fields.regions")}
              description={t("knowledge.form.regionsHint")}
              searchable
              maxValues={20}
              data={regionOptions}
              value={state.regions}
              error={err("regions")}
              onChange={(value) => set("regions", value)}
              nothingFoundMessage={t("app.noResults")}
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
          <MultiSelect
            label={t("knowledge.fields.contributorTypes")}
            description={t("knowledge.form.contributorTypesHint")}
            data={contributorOptions}
            value={state.contributor_types}
            error={err("contributor_types")}
            onChange={(value) => set("contributor_types", value)}
            comboboxProps={{ withinPortal: true }}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput
              label={t("knowledge.fields.year")}
              description={t("knowledge.form.yearHint")}
              min={1950}
              max={2100}
              allowDecimal={false}
              allowNegative={false}
              value={state.year ?? ""}
              error={err("year")}
              onChange={(value) => set("year", typeof value === "number" ? value : value === "" ? null : Number(value) || null)}
            />
            <DatePickerInput
              label={t("knowledge.fields.startsOn")}
              clearable
              valueFormat="LL"
              value={state.starts_on}
              error={err("starts_on")}
              onChange={(value) => set("starts_on", value)}
            />
            <DatePickerInput
              label={t("knowledge.fields.endsOn")}
              clearable
              valueFormat="LL"
              minDate={state.starts_on ?? undefined}
              value={state.ends_on}
              error={err("ends_on")}
              onChange={(value) => set("ends_on", value)}
            />
          </SimpleGrid>
        </FormSection>

        <FormSection title={t("knowledge.form.sourcesTitle")} description={t("knowledge.form.sourcesHint")}>
          <LinksEditor
            value={state.source_links}
            onChange={(value) => set("source_links", value)}
            errors={rowErrorsByKey(fields, "source_links", sent.source_links)}
            labels={linkLabels("source")}
          />
        </FormSection>

        <FormSection title={t("knowledge.fields.attachments")} description={t("knowledge.form.attachmentsHint")}>
          {attachmentsSlot}
          <Text fw={600} size="sm" mt="xs">
            {t("knowledge.form.attachmentLinksTitle")}
          </Text>
          <LinksEditor
            value={state.attachment_links}
            onChange={(value) => set("attachment_links", value)}
            errors={rowErrorsByKey(fields, "attachment_links", sent.attachment_links)}
            labels={linkLabels("attachment")}
          />
        </FormSection>

        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t("app.cancel")}
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function NewItem() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const { data: me, isLoading } = useMe();
  // One key per form: a double click or a retry after a lost response replays the first creation.
  const [idempotencyKey] = useState(newIdempotencyKey);
  if (isLoading) return <Loading />;
  const organisations = authoringOrganisations(me);
  const isSecretariat = Boolean(me?.is_secretariat);
  const wantedKind = params.get("kind");
  const kind: Kind = KINDS.includes(wantedKind as Kind) ? (wantedKind as Kind) : "good_practice";
  const initial = emptyItemForm(kind, currentLanguage(), isSecretariat ? null : (organisations[0]?.organisation_id ?? null));

  const save = async (state: ItemFormState): Promise<Saved> => {
    const { body } = createBody(state);
    const saved = await unwrapWithETag(
      api.POST("/api/v1/knowledge/items", { params: { header: { "Idempotency-Key": idempotencyKey } }, body }),
    );
    client.setQueryData(itemKey(saved.data.id), saved);
    void client.invalidateQueries({ queryKey: [KNOWLEDGE_KEY] });
    notifications.show({ color: "green", message: t("knowledge.form.draftSaved") });
    void navigate(`/knowledge/${saved.data.id}`);
    return saved;
  };

  return (
    <Stack>
      <PageHeader title={t("knowledge.newTitle")} />
      {!mayAuthor(me) ? (
        <Alert role="note" color="blue" title={t("knowledge.form.cannotWriteTitle")}>
          {t("knowledge.form.cannotWrite")}
        </Alert>
      ) : (
        <ItemForm
          initial={initial}
          mode="create"
          isSecretariat={isSecretariat}
          organisations={organisations.map((m) => ({ value: m.organisation_id, label: m.organisation_name }))}
          save={save}
          onCancel={() => void navigate(-1)}
          submitLabel={t("knowledge.form.saveDraft")}
          attachmentsSlot={
            <Alert role="note" color="blue">
              {t("knowledge.form.filesAfterSave")}
            </Alert>
          }
        />
      )}
    </Stack>
  );
}

function EditItem({ id }: { id: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { data: me } = useMe();
  const record = useKnowledgeItem(id);
  // Bumped on reload so the form starts again from the latest version.
  const [generation, setGeneration] = useState(0);
  if (record.isLoading) return <Loading />;
  if (record.isError) return <ErrorAlert error={record.error} onRetry={() => void record.refetch()} />;
  const loaded = record.data;
  if (!loaded) return null;
  const item = loaded.data;
  const title = t("knowledge.editTitle");
  if (item.view !== "full" || !item.can_edit) {
    return (
      <Stack>
        <PageHeader title={title} description={item.title} />
        <Alert role="note" color="orange" title={t("knowledge.form.notEditableTitle")}>
          <Text size="sm">{t("knowledge.form.notEditable")}</Text>
          <Anchor component={Link} to={`/knowledge/${id}`} size="sm">
            {t("knowledge.form.backToItem")}
          </Anchor>
        </Alert>
      </Stack>
    );
  }

  const save = async (state: ItemFormState): Promise<Saved> => {
    const { body } = updateBody(state);
    const saved = await unwrapWithETag(
      api.PATCH("/api/v1/knowledge/items/{item_id}", {
        params: { path: { item_id: id }, header: { "If-Match": loaded.etag ?? "" } },
        body,
      }),
    );
    client.setQueryData(itemKey(id), saved);
    void client.invalidateQueries({ queryKey: [KNOWLEDGE_KEY] });
    notifications.show({ color: "green", message: t("app.saved") });
    void navigate(`/knowledge/${id}`);
    return saved;
  };
  const reload = () => void record.refetch().then(() => setGeneration((g) => g + 1));

  return (
    <Stack>
      <PageHeader title={title} description={item.title} />
      <ItemForm
        key={`${item.version}-${generation}`}
        initial={itemFormFromRecord(item)}
        mode="edit"
        isSecretariat={Boolean(me?.is_secretariat)}
        organisationName={item.organisation?.name}
        save={save}
        onCancel={() => void navigate(`/knowledge/${id}`)}
        onReload={reload}
        submitLabel={t("app.save")}
        attachmentsSlot={
          <FileAttachments
            ownerType={OWNER_TYPE}
            ownerId={item.id}
            attachments={item.attachments.filter((a) => a.kind === "file")}
            canEdit
            onChange={() => void client.invalidateQueries({ queryKey: itemKey(id) })}
          />
        }
      />
    </Stack>
  );
}

/** Drafting a new item (`/knowledge/new`, `?kind=` preselects the kind) or editing one (`/knowledge/:id/edit`). */
export function KnowledgeFormPage() {
  const { id } = useParams();
  return id ? <EditItem id={id} /> : <NewItem />;
}
