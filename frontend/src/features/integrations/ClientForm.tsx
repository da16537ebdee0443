// The form of an integration client: register one (with the organisation it acts for) or edit one (name,
// description, scopes, rate limit). Field errors of the API's envelope show on their inputs.
import { Alert, Button, Group, MultiSelect, NumberInput, Select, Stack, Textarea, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { ApiError } from "@/lib/api";
import { clientValidationError, fieldError, type FieldMap } from "@/lib/fieldErrors";
import { type Client, type ClientCreate, useOrganisation, useOrganisationSearch } from "./api";
import { isScope, type Scope, SCOPES } from "./scopes";

export type ClientFormValues = {
  name: string;
  description: string;
  scopes: Scope[];
  organisationId: string | null;
  rateLimit: number | null;
};

export function valuesOf(client: Client): ClientFormValues {
  return {
    name: client.name,
    description: client.description,
    scopes: client.scopes.filter(isScope),
    organisationId: client.organisation_id,
    rateLimit: client.has_own_rate_limit ? client.rate_limit_per_minute : null,
  };
}

export const EMPTY_CLIENT: ClientFormValues = { name: "", description: "", scopes: [], organisationId: null, rateLimit: null };

/** What the API receives when registering a client. */
export function createBody(values: ClientFormValues): ClientCreate {
  return {
    name: values.name.trim(),
    description: values.description.trim(),
    scopes: values.scopes,
    organisation_id: values.organisationId,
    rate_limit_per_minute: values.rateLimit,
  };
}

/** Checks made before sending (the API checks them too). */
export function checkClient(values: ClientFormValues, t: (key: string) => string): ApiError | null {
  const map: FieldMap = {};
  if (!values.name.trim()) map.name = t("integrations.errors.name");
  if (values.scopes.length === 0) map.scopes = t("integrations.errors.scopes");
  return clientValidationError(map);
}

function OrganisationSelect({ value, onChange, error }: { value: string | null; onChange: (id: string | null) => void; error?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const result = useOrganisationSearch(search);
  const selected = useOrganisation(value);
  const label = (o: { name: string; short_name?: string | null }) => (o.short_name ? `${o.name} (${o.short_name})` : o.name);
  const options = new Map<string, string>();
  if (selected.data) options.set(selected.data.id, label(selected.data));
  for (const o of result.data?.items ?? []) options.set(o.id, label(o));
  return (
    <Select
      label={t("integrations.fields.organisation")}
      description={t("integrations.fields.organisationHelp")}
      placeholder={t("integrations.fields.organisationPlaceholder")}
      searchable
      clearable
      filter={({ options: all }) => all}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={result.isFetching ? t("app.loading") : t("app.noResults")}
      data={[...options].map(([id, name]) => ({ value: id, label: name }))}
      value={value}
      onChange={onChange}
      error={error}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

export function ClientForm({
  initial,
  mode,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial: ClientFormValues;
  mode: "create" | "edit";
  pending: boolean;
  error: unknown;
  onSubmit: (values: ClientFormValues) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [values, setValues] = useState<ClientFormValues>(initial);
  const [local, setLocal] = useState<ApiError | null>(null);
  const shownError = local ?? (error instanceof ApiError ? error : null);
  const fields = shownError?.fieldMap() ?? {};
  const placed = ["name", "description", "scopes", "organisation_id", "rate_limit_per_minute"];
  const unplaced = Object.keys(fields).filter((key) => !placed.some((p) => key === p || key.startsWith(`${p}.`)));
  const set = <K extends keyof ClientFormValues>(key: K, value: ClientFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = checkClient(values, t);
    setLocal(problem);
    if (!problem) onSubmit(values);
  };

  return (
    <form onSubmit={submit} noValidate data-testid="client-form">
      <Stack gap="sm">
        <TextInput
          label={t("integrations.fields.name")}
          required
          maxLength={200}
          value={values.name}
          onChange={(e) => set("name", e.currentTarget.value)}
          error={fieldError(fields, "name")}
        />
        <Textarea
          label={t("integrations.fields.description")}
          maxLength={2000}
          autosize
          minRows={2}
          value={values.description}
          onChange={(e) => set("description", e.currentTarget.value)}
          error={fieldError(fields, "description")}
        />
        <MultiSelect
          label={t("integrations.fields.scopes")}
          description={t("integrations.fields.scopesHelp")}
          required
          data={SCOPES.map((scope) => ({ value: scope, label: `${scope} · ${t(`integrations.scopes.${scope.replace(":", "_")}`)}` }))}
          value={values.scopes}
          onChange={(chosen) => set("scopes", chosen.filter(isScope))}
          error={fieldError(fields, "scopes")}
          searchable
          comboboxProps={{ withinPortal: true }}
        />
        {mode === "create" && (
          <OrganisationSelect
            value={values.organisationId}
            onChange={(id) => set("organisationId", id)}
            error={fieldError(fields, "organisation_id")}
          />
        )}
        <NumberInput
          label={t("integrations.fields.rateLimit")}
          description={t("integrations.fields.rateLimitHelp")}
          min={1}
          max={100000}
          allowDecimal={false}
          allowNegative={false}
          value={values.rateLimit ?? ""}
          onChange={(value) => set("rateLimit", typeof value === "number" ? value : value === "" ? null : Number(value) || null)}
          error={fieldError(fields, "rate_limit_per_minute")}
          maw={260}
        />
        {unplaced.length > 0 && (
          <Alert color="red" role="alert">
            {unplaced.map((key) => `${key}: ${fields[key]}`).join(" · ")}
          </Alert>
        )}
        {!shownError && error ? <ErrorAlert error={error} /> : null}
        {shownError && Object.keys(fields).length === 0 && <ErrorAlert error={shownError} />}
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t("app.cancel")}
            </Button>
          )}
          <Button type="submit" loading={pending}>
            {mode === "create" ? t("integrations.register") : t("app.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
