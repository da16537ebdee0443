import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { notifications } from "@mantine/notifications";
import { IconInfoCircle } from "@tabler/icons-react";
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
import { PledgePicker } from "@/components/RemotePickers";
import { ApiError, api } from "@/lib/api";
import { draftingOrganisations, mayEdit, newIdempotencyKey, type OfferFull, unwrapWithETag } from "@/lib/commitments";
import { clientValidationError, fieldError, rowErrorsByKey } from "@/lib/fieldErrors";
import { useBureauOptions, useCountryOptions, useRegionOptions, useTermOptions } from "@/lib/reference";
import { useMe } from "@/lib/session";
import { OFFER_FIELDS, type OfferFormState, offerBody, emptyOfferForm, offerFormFromRecord, type SentKeys } from "./offerForm";

type Saved = { data: OfferFull; etag: string | null };

function OfferForm({
  initial,
  organisations,
  organisationName,
  save,
  onCancel,
  onReload,
  submitLabel,
}: {
  initial: OfferFormState;
  organisations?: { value: string; label: string }[];
  organisationName?: string;
  save: (state: OfferFormState) => Promise<Saved>;
  onCancel: () => void;
  onReload?: () => void;
  submitLabel: string;
}) {
  const { t } = useTranslation();
  const [state, setState] = useState(initial);
  const [sent, setSent] = useState<SentKeys>({ components: [], contacts: [], attachments: [] });
  const languages = useTermOptions("languages");
  const countries = useCountryOptions();
  const regions = useRegionOptions();
  const bureaux = useBureauOptions();
  const mutation = useMutation({ mutationFn: save });
  const set = <K extends keyof OfferFormState>(key: K, value: OfferFormState[K]) => setState((s) => ({ ...s, [key]: value }));

  // Obvious mistakes are caught here (in the UI language); everything else by the server.
  const [checkError, setCheckError] = useState<ApiError | null>(null);
  const error = checkError ?? mutation.error;
  const fields = error instanceof ApiError ? error.fieldMap() : {};
  const err = (name: string) => fieldError(fields, name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { body, sent } = offerBody(state);
    setSent(sent);
    const problem = clientValidationError(checkBody(body, t));
    setCheckError(problem);
    if (problem) mutation.reset();
    else mutation.mutate(state);
  };

  return (
    <form onSubmit={submit} noValidate aria-describedby="offer-form-intro">
      <Stack gap="lg" maw={960}>
        <Text id="offer-form-intro" size="sm" c="dimmed">
          {t("offers.form.intro")}
        </Text>
        <SaveError error={error} placed={OFFER_FIELDS} onReload={onReload} />

        <FormSection title={t("offers.form.whoTitle")} description={t("offers.form.whoHint")}>
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
          <PledgePicker
            label={t("offers.fields.pledge")}
            description={t("offers.form.pledgeHint")}
            value={state.pledge_id}
            known={state.knownPledges}
            error={err("pledge_id")}
            onChange={(id, option) => setState((s) => ({ ...s, pledge_id: id, knownPledges: option ? [...s.knownPledges, option] : s.knownPledges }))}
          />
        </FormSection>

        <FormSection title={t("offers.form.whatTitle")} description={t("offers.form.whatHint")}>
          <TextInput
            label={t("commitments.fields.title")}
            required
            maxLength={300}
            value={state.title}
            error={err("title")}
            onChange={(e) => set("title", e.currentTarget.value)}
          />
          <Alert role="note" color="blue" icon={<IconInfoCircle aria-hidden />} title={t("offers.form.technicalRuleTitle")}>
            {t("offers.form.technicalRule")}
          </Alert>
          <ComponentsEditor
            value={state.components}
            onChange={(components) => set("components", components)}
            errors={rowErrorsByKey(fields, "components", sent.components)}
            listError={fields.components}
          />
          <MultiSelect
            label={t("commitments.fields.languages")}
            description={t("offers.form.languagesHint")}
            searchable
            data={languages}
            value={state.languages}
            error={err("languages")}
            onChange={(v) => set("languages", v)}
            comboboxProps={{ withinPortal: true }}
          />
        </FormSection>

        <FormSection title={t("offers.form.scopeTitle")} description={t("offers.form.scopeHint")}>
          <Checkbox
            label={t("offers.fields.servesAny")}
            checked={state.serves_any}
            error={err("serves_any")}
            onChange={(e) => set("serves_any", e.currentTarget.checked)}
          />
          {!state.serves_any && (
            <Stack gap="sm" pl="lg">
              <Text size="sm" c="dimmed">
                {t("offers.form.scopedHint")}
              </Text>
              <MultiSelect
                label={t("offers.fields.servedCountries")}
                searchable
                data={countries}
                value={state.served_countries}
                error={err("served_countries")}
                onChange={(v) => set("served_countries", v)}
                comboboxProps={{ withinPortal: true }}
              />
              <MultiSelect
                label={t("offers.fields.servedRegions")}
                searchable
                data={regions}
                value={state.served_regions}
                error={err("served_regions")}
                onChange={(v) => set("served_regions", v)}
                comboboxProps={{ withinPortal: true }}
              />
              <MultiSelect
                label={t("offers.fields.servedBureaux")}
                data={bureaux}
                value={state.served_bureaux}
                error={err("served_bureaux")}
                onChange={(v) => set("served_bureaux", v)}
                comboboxProps={{ withinPortal: true }}
              />
            </Stack>
          )}
          <MultiSelect
            label={t("offers.fields.excludedCountries")}
            description={t("offers.form.excludedHint")}
            searchable
            data={countries}
            value={state.excluded_countries}
            error={err("excluded_countries")}
            onChange={(v) => set("excluded_countries", v)}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t("offers.fields.proactiveTarget")}
            description={t("offers.form.proactiveHint")}
            searchable
            clearable
            data={countries}
            value={state.proactive_target_iso3}
            error={err("proactive_target_iso3")}
            onChange={(v) => set("proactive_target_iso3", v)}
            comboboxProps={{ withinPortal: true }}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput
              label={t("offers.fields.capacity")}
              description={t("offers.form.capacityHint")}
              min={1}
              max={100}
              allowDecimal={false}
              allowNegative={false}
              value={state.capacity}
              error={err("capacity")}
              onChange={(v) => set("capacity", typeof v === "number" ? v : Number(v) || 1)}
            />
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
          </SimpleGrid>
        </FormSection>

        <FormSection title={t("commitments.form.publicTitle")} tone="public" description={t("offers.form.publicHint")}>
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

        <FormSection title={t("commitments.form.confidentialTitle")} tone="confidential" description={t("offers.form.confidentialHint")}>
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
          <ContactsEditor value={state.contacts} onChange={(v) => set("contacts", v)} errors={rowErrorsByKey(fields, "contacts", sent.contacts)} />
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

function NewOffer() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const { data: me, isLoading } = useMe();
  // One key per form: a double click or a retry after a lost response replays the first creation.
  const [idempotencyKey] = useState(newIdempotencyKey);
  if (isLoading) return <Loading />;
  const organisations = draftingOrganisations(me, "offer");
  const wanted = params.get("organisation");
  const preselected = organisations.find((m) => m.organisation_id === wanted)?.organisation_id ?? organisations[0]?.organisation_id ?? null;

  const save = async (state: OfferFormState): Promise<Saved> => {
    const { body } = offerBody(state);
    const saved = await unwrapWithETag(
      api.POST("/api/v1/support-offers", {
        params: { header: { "Idempotency-Key": idempotencyKey } },
        body: { ...body, organisation_id: state.organisation_id ?? "" },
      }),
    );
    void client.invalidateQueries({ queryKey: ["support-offers"] });
    notifications.show({ color: "green", message: t("offers.form.draftSaved") });
    void navigate(`/offers/${saved.data.id}`);
    return saved;
  };

  return (
    <Stack>
      <PageHeader title={t("offers.newTitle")} />
      {organisations.length === 0 ? (
        <Alert role="note" color="blue" title={t("offers.form.noOrganisationTitle")}>
          {t("offers.form.noOrganisation")}
        </Alert>
      ) : (
        <OfferForm
          initial={emptyOfferForm(preselected)}
          organisations={organisations.map((m) => ({ value: m.organisation_id, label: m.organisation_name }))}
          save={save}
          onCancel={() => void navigate("/offers")}
          submitLabel={t("offers.form.saveDraft")}
        />
      )}
    </Stack>
  );
}

function EditOffer({ id }: { id: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { data: me } = useMe();
  const record = useQuery({
    queryKey: ["support-offers", "detail", id],
    queryFn: () => unwrapWithETag(api.GET("/api/v1/support-offers/{offer_id}", { params: { path: { offer_id: id } } })),
  });
  const [generation, setGeneration] = useState(0);
  if (record.isLoading) return <Loading />;
  if (record.isError) return <ErrorAlert error={record.error} onRetry={() => void record.refetch()} />;
  const loaded = record.data;
  if (!loaded) return null;
  const data = loaded.data;
  const title = t("offers.editTitle", { reference: data.reference });
  if (data.view !== "full" || !mayEdit(me, [data.organisation.id], data.status)) {
    return (
      <Stack>
        <PageHeader title={title} />
        <Alert role="note" color="orange" title={t("commitments.form.notEditableTitle")}>
          <Text size="sm">{t("commitments.form.notEditable")}</Text>
          <Anchor component={Link} to={`/offers/${id}`} size="sm">
            {t("offers.backToOffer")}
          </Anchor>
        </Alert>
      </Stack>
    );
  }

  const save = async (state: OfferFormState): Promise<Saved> => {
    const { body } = offerBody(state);
    const saved = await unwrapWithETag(
      api.PATCH("/api/v1/support-offers/{offer_id}", {
        params: { path: { offer_id: id }, header: { "If-Match": loaded.etag ?? "" } },
        body,
      }),
    );
    client.setQueryData(["support-offers", "detail", id], saved);
    void client.invalidateQueries({ queryKey: ["support-offers"] });
    notifications.show({ color: "green", message: t("app.saved") });
    void navigate(`/offers/${id}`);
    return saved;
  };
  const reload = () => void record.refetch().then(() => setGeneration((g) => g + 1));

  return (
    <Stack>
      <PageHeader title={title} description={data.title} />
      <OfferForm
        key={`${data.version}-${generation}`}
        initial={offerFormFromRecord(data)}
        organisationName={data.organisation.name}
        save={save}
        onCancel={() => void navigate(`/offers/${id}`)}
        onReload={reload}
        submitLabel={t("app.save")}
      />
    </Stack>
  );
}

/** Drafting a new offer (`/offers/new`) or editing one (`/offers/:id/edit`). */
export function OfferFormPage() {
  const { id } = useParams();
  return id ? <EditOffer id={id} /> : <NewOffer />;
}
