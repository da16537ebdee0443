import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { ComponentsEditor } from "@/components/commitments/ComponentsEditor";
import { FormSection, SaveError } from "@/components/commitments/FormParts";
import { checkBody } from "@/components/commitments/validation";
import { AttachmentsEditor, ContactsEditor } from "@/components/commitments/RowsEditors";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { OrganisationMultiPicker, PledgeMultiPicker } from "@/components/RemotePickers";
import { ApiError, api } from "@/lib/api";
import {
  draftingOrganisations,
  mayEdit,
  newIdempotencyKey,
  QUALITIES,
  type Quality,
  type RequestFull,
  unwrapWithETag,
  URGENCIES,
  type Urgency,
} from "@/lib/commitments";
import { clientValidationError, fieldError, rowErrorsByKey } from "@/lib/fieldErrors";
import { useTermLabel, useTermOptions } from "@/lib/reference";
import { useMe } from "@/lib/session";
import {
  emptyRequestForm,
  REQUEST_FIELDS,
  type RequestFormState,
  requestBody,
  requestFormFromRecord,
  type SentKeys,
} from "./requestForm";

type Saved = { data: RequestFull; etag: string | null };

function RequestForm({
  initial,
  organisations,
  organisationName,
  save,
  onCancel,
  onReload,
  submitLabel,
}: {
  initial: RequestFormState;
  organisations?: { value: string; label: string }[];
  organisationName?: string;
  save: (state: RequestFormState) => Promise<Saved>;
  onCancel: () => void;
  onReload?: () => void;
  submitLabel: string;
}) {
  const { t } = useTranslation();
  const [state, setState] = useState(initial);
  const [sent, setSent] = useState<SentKeys>({ components: [], contacts: [], attachments: [] });
  const languages = useTermOptions("languages");
  const qualityLabel = useTermLabel("qualities");
  const mutation = useMutation({ mutationFn: save });
  const set = <K extends keyof RequestFormState>(key: K, value: RequestFormState[K]) => setState((s) => ({ ...s, [key]: value }));

  // Obvious mistakes are caught here (in the UI language); everything else by the server.
  const [checkError, setCheckError] = useState<ApiError | null>(null);
  const error = checkError ?? mutation.error;
  const fields = error instanceof ApiError ? error.fieldMap() : {};
  const err = (name: string) => fieldError(fields, name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { body, sent } = requestBody(state);
    setSent(sent);
    const problem = clientValidationError(checkBody(body, t));
    setCheckError(problem);
    if (problem) mutation.reset();
    else mutation.mutate(state);
  };

  return (
    <form onSubmit={submit} noValidate aria-describedby="request-form-intro">
      <Stack gap="lg" maw={960}>
        <Text id="request-form-intro" size="sm" c="dimmed">
          {t("requests.form.intro")}
        </Text>
        <SaveError error={error} placed={REQUEST_FIELDS} onReload={onReload} />

        <FormSection title={t("requests.form.whoTitle")} description={t("requests.form.whoHint")}>
          {organisations ? (
            <Select
              label={t("commitments.fields.organisation")}
              required
              allowDeselect={false}
              data={organisations}
              value={state.organisation_id}
              error={err("organisation_id")}
              onChange={(v) => set("organisation_id", v)}
              comboboxProps={{ withinPortal: true }}
            />
          ) : (
            <TextInput label={t("commitments.fields.organisation")} value={organisationName ?? ""} readOnly />
          )}
          <OrganisationMultiPicker
            label={t("requests.fields.partners")}
            description={t("requests.form.partnersHint")}
            value={state.partner_organisation_ids}
            known={state.knownPartners}
            error={err("partner_organisation_ids")}
            onChange={(ids, options) => setState((s) => ({ ...s, partner_organisation_ids: ids, knownPartners: [...s.knownPartners, ...options] }))}
          />
        </FormSection>

        <FormSection title={t("requests.form.whatTitle")} description={t("requests.form.whatHint")}>
          <TextInput
            label={t("commitments.fields.title")}
            required
            maxLength={300}
            value={state.title}
            error={err("title")}
            onChange={(e) => set("title", e.currentTarget.value)}
          />
          <ComponentsEditor
            value={state.components}
            onChange={(components) => set("components", components)}
            errors={rowErrorsByKey(fields, "components", sent.components)}
            listError={fields.components}
          />
        </FormSection>

        <FormSection title={t("requests.form.priorityTitle")}>
          <Checkbox.Group
            label={t("requests.fields.qualities")}
            description={t("requests.form.qualitiesHint")}
            value={state.qualities}
            error={err("qualities")}
            onChange={(values) => set("qualities", values as Quality[])}
          >
            <Group mt="xs">
              {QUALITIES.map((q) => (
                <Checkbox key={q} value={q} label={qualityLabel(q)} />
              ))}
            </Group>
          </Checkbox.Group>
          <MultiSelect
            label={t("commitments.fields.languages")}
            description={t("requests.form.languagesHint")}
            searchable
            data={languages}
            value={state.languages}
            error={err("languages")}
            onChange={(v) => set("languages", v)}
            comboboxProps={{ withinPortal: true }}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <DatePickerInput
              label={t("commitments.fields.startsOn")}
              clearable
              valueFormat="LL"
              value={state.starts_on}
              error={err("starts_on")}
              onChange={(v) => set("starts_on", v)}
            />
            <DatePickerInput
              label={t("commitments.fields.endsOn")}
              clearable
              valueFormat="LL"
              minDate={state.starts_on ?? undefined}
              value={state.ends_on}
              error={err("ends_on")}
              onChange={(v) => set("ends_on", v)}
            />
            <Select
              label={t("requests.fields.urgency")}
              allowDeselect={false}
              data={URGENCIES.map((u) => ({ value: u, label: t(`commitments.urgencies.${u}`) }))}
              value={state.urgency}
              error={err("urgency")}
              onChange={(v) => set("urgency", (v ?? "normal") as Urgency)}
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
          <Checkbox
            label={t("requests.fields.establishing")}
            description={t("requests.form.establishingHint")}
            checked={state.is_establishing_system}
            error={err("is_establishing_system")}
            onChange={(e) => set("is_establishing_system", e.currentTarget.checked)}
          />
        </FormSection>

        <FormSection title={t("requests.form.backgroundTitle")}>
          <PledgeMultiPicker
            label={t("requests.fields.pledges")}
            description={t("requests.form.pledgesHint")}
            value={state.pledge_ids}
            known={state.knownPledges}
            error={err("pledge_ids")}
            onChange={(ids, options) => setState((s) => ({ ...s, pledge_ids: ids, knownPledges: [...s.knownPledges, ...options] }))}
          />
          <Textarea
            label={t("requests.fields.commitmentText")}
            description={t("requests.form.commitmentHint")}
            minRows={2}
            maxLength={20000}
            value={state.commitment_text}
            error={err("commitment_text")}
            onChange={(e) => set("commitment_text", e.currentTarget.value)}
          />
        </FormSection>

        <FormSection title={t("commitments.form.publicTitle")} tone="public" description={t("requests.form.publicHint")}>
          <Textarea
            label={t("commitments.fields.publicSummary")}
            description={t("commitments.form.publicSummaryHint")}
            minRows={3}
            maxLength={10000}
            value={state.public_summary}
            error={err("public_summary")}
            onChange={(e) => set("public_summary", e.currentTarget.value)}
          />
          <Checkbox
            label={t("commitments.fields.allowPublication")}
            description={t("commitments.form.allowPublicationHint")}
            checked={state.allow_publication}
            error={err("allow_publication")}
            onChange={(e) => set("allow_publication", e.currentTarget.checked)}
          />
        </FormSection>

        <FormSection title={t("commitments.form.confidentialTitle")} tone="confidential" description={t("requests.form.confidentialHint")}>
          <Textarea
            label={t("requests.fields.context")}
            description={t("requests.form.contextHint")}
            minRows={3}
            maxLength={20000}
            value={state.context}
            error={err("context")}
            onChange={(e) => set("context", e.currentTarget.value)}
          />
          <Textarea
            label={t("commitments.fields.confidentialDetails")}
            description={t("commitments.form.confidentialDetailsHint")}
            minRows={3}
            maxLength={20000}
            value={state.confidential_details}
            error={err("confidential_details")}
            onChange={(e) => set("confidential_details", e.currentTarget.value)}
          />
          <Text fw={600} size="sm" mt="xs">
            {t("commitments.fields.contacts")}
          </Text>
          <ContactsEditor
            value={state.contacts}
            onChange={(v) => set("contacts", v)}
            errors={rowErrorsByKey(fields, "contacts", sent.contacts)}
          />
          <Text fw={600} size="sm" mt="xs">
            {t("commitments.fields.attachments")}
          </Text>
          <AttachmentsEditor
            value={state.attachments}
            onChange={(v) => set("attachments", v)}
            errors={rowErrorsByKey(fields, "attachments", sent.attachments)}
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

function NewRequest() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const { data: me, isLoading } = useMe();
  // One key per form: a double click or a retry after a lost response replays the first creation.
  const [idempotencyKey] = useState(newIdempotencyKey);
  if (isLoading) return <Loading />;
  const organisations = draftingOrganisations(me, "request");
  const wanted = params.get("organisation");
  const preselected = organisations.find((m) => m.organisation_id === wanted)?.organisation_id ?? organisations[0]?.organisation_id ?? null;

  const save = async (state: RequestFormState): Promise<Saved> => {
    const { body } = requestBody(state);
    const saved = await unwrapWithETag(
      api.POST("/api/v1/support-requests", {
        params: { header: { "Idempotency-Key": idempotencyKey } },
        body: { ...body, organisation_id: state.organisation_id ?? "" },
      }),
    );
    void client.invalidateQueries({ queryKey: ["support-requests"] });
    notifications.show({ color: "green", message: t("requests.form.draftSaved") });
    void navigate(`/requests/${saved.data.id}`);
    return saved;
  };

  return (
    <Stack>
      <PageHeader title={t("requests.newTitle")} />
      {organisations.length === 0 ? (
        <Alert role="note" color="blue" title={t("requests.form.noOrganisationTitle")}>
          {t("requests.form.noOrganisation")}
        </Alert>
      ) : (
        <RequestForm
          initial={emptyRequestForm(preselected)}
          organisations={organisations.map((m) => ({ value: m.organisation_id, label: m.organisation_name }))}
          save={save}
          onCancel={() => void navigate("/requests")}
          submitLabel={t("requests.form.saveDraft")}
        />
      )}
    </Stack>
  );
}

function EditRequest({ id }: { id: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { data: me } = useMe();
  const record = useQuery({
    queryKey: ["support-requests", "detail", id],
    queryFn: () => unwrapWithETag(api.GET("/api/v1/support-requests/{request_id}", { params: { path: { request_id: id } } })),
  });
  // Bumped on reload so the form starts again from the latest version.
  const [generation, setGeneration] = useState(0);
  if (record.isLoading) return <Loading />;
  if (record.isError) return <ErrorAlert error={record.error} onRetry={() => void record.refetch()} />;
  const loaded = record.data;
  if (!loaded) return null;
  const data = loaded.data;
  const title = t("requests.editTitle", { reference: data.reference });
  if (data.view !== "full" || !mayEdit(me, [data.organisation.id, ...data.partners.map((p) => p.id)], data.status)) {
    return (
      <Stack>
        <PageHeader title={title} />
        <Alert role="note" color="orange" title={t("commitments.form.notEditableTitle")}>
          <Text size="sm">{t("commitments.form.notEditable")}</Text>
          <Anchor component={Link} to={`/requests/${id}`} size="sm">
            {t("requests.backToRequest")}
          </Anchor>
        </Alert>
      </Stack>
    );
  }

  const save = async (state: RequestFormState): Promise<Saved> => {
    const { body } = requestBody(state);
    const saved = await unwrapWithETag(
      api.PATCH("/api/v1/support-requests/{request_id}", {
        params: { path: { request_id: id }, header: { "If-Match": loaded.etag ?? "" } },
        body,
      }),
    );
    client.setQueryData(["support-requests", "detail", id], saved);
    void client.invalidateQueries({ queryKey: ["support-requests"] });
    notifications.show({ color: "green", message: t("app.saved") });
    void navigate(`/requests/${id}`);
    return saved;
  };
  const reload = () =>
    void record.refetch().then(() => setGeneration((g) => g + 1));

  return (
    <Stack>
      <PageHeader title={title} description={data.title} />
      <RequestForm
        key={`${data.version}-${generation}`}
        initial={requestFormFromRecord(data)}
        organisationName={data.organisation.name}
        save={save}
        onCancel={() => void navigate(`/requests/${id}`)}
        onReload={reload}
        submitLabel={t("app.save")}
      />
    </Stack>
  );
}

/** Drafting a new request (`/requests/new`) or editing one (`/requests/:id/edit`). */
export function RequestFormPage() {
  const { id } = useParams();
  return id ? <EditRequest id={id} /> : <NewRequest />;
}
