import { Badge, Button, Group, Modal, Stack, Switch, Table, Tabs, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { ApiError, api, unwrap } from "@/lib/api";
import { localised } from "@/lib/format";
import { type Area, useAreas, useBureaux, useCountries, useTerms } from "@/lib/reference";

type Labels = { label_en: string; label_fr: string; label_es: string };

function AreaEditor({ area, onClose }: { area: Area | "new"; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const isNew = area === "new";
  const [code, setCode] = useState(isNew ? "" : area.code);
  const [labels, setLabels] = useState<Labels>(
    isNew ? { label_en: "", label_fr: "", label_es: "" } : { label_en: area.label_en, label_fr: area.label_fr, label_es: area.label_es },
  );
  const save = useMutation({
    mutationFn: () =>
      isNew
        ? unwrap(api.POST("/api/v1/reference/areas", { body: { code, ...labels } }))
        : unwrap(api.PATCH("/api/v1/reference/areas/{code}", { params: { path: { code } }, body: labels })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["reference"] });
      notifications.show({ color: "green", message: t("app.saved") });
      onClose();
    },
  });
  const fields = save.error instanceof ApiError ? save.error.fieldMap() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={isNew ? t("admin.newArea") : code}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {isNew && <TextInput label={t("admin.code")} placeholder="procedures.new_topic" value={code} error={fields.code} onChange={(e) => setCode(e.currentTarget.value)} />}
          <TextInput label={t("admin.labelEn")} value={labels.label_en} error={fields.label_en} onChange={(e) => setLabels({ ...labels, label_en: e.currentTarget.value })} />
          <TextInput label={t("admin.labelFr")} value={labels.label_fr} error={fields.label_fr} onChange={(e) => setLabels({ ...labels, label_fr: e.currentTarget.value })} />
          <TextInput label={t("admin.labelEs")} value={labels.label_es} error={fields.label_es} onChange={(e) => setLabels({ ...labels, label_es: e.currentTarget.value })} />
          {save.isError && !Object.keys(fields).length && <ErrorAlert error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("app.cancel")}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t("app.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function AreasTab() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const areas = useAreas(true);
  const [editing, setEditing] = useState<Area | "new" | null>(null);
  const retire = useMutation({
    mutationFn: (area: Area) =>
      unwrap(api.PATCH("/api/v1/reference/areas/{code}", { params: { path: { code: area.code } }, body: { is_retired: !area.is_retired } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["reference"] }),
  });
  if (areas.isLoading) return <Loading />;
  if (areas.isError) return <ErrorAlert error={areas.error} />;
  return (
    <Stack>
      <Group justify="flex-end">
        <Button onClick={() => setEditing("new")}>{t("admin.newArea")}</Button>
      </Group>
      {retire.isError && <ErrorAlert error={retire.error} />}
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("admin.code")}</Table.Th>
            <Table.Th>{t("admin.name")}</Table.Th>
            <Table.Th>{t("admin.status")}</Table.Th>
            <Table.Th>{t("app.actions")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {areas.data?.map((area) => (
            <Table.Tr key={area.code}>
              <Table.Td style={{ paddingLeft: area.parent_code ? 28 : undefined }}>
                <Text size="sm" ff="monospace">
                  {area.code}
                </Text>
              </Table.Td>
              <Table.Td fw={area.parent_code ? undefined : 700}>{localised(area, i18n.language, "label")}</Table.Td>
              <Table.Td>{area.is_retired && <Badge color="gray">{t("admin.retired")}</Badge>}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <Button size="xs" variant="light" onClick={() => setEditing(area)}>
                    {t("app.edit")}
                  </Button>
                  <Button size="xs" variant="subtle" color={area.is_retired ? "green" : "orange"} onClick={() => retire.mutate(area)}>
                    {area.is_retired ? t("admin.reinstate") : t("admin.retire")}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {editing && <AreaEditor area={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

function VocabulariesTab() {
  const { i18n } = useTranslation();
  const terms = useTerms();
  if (terms.isLoading) return <Loading />;
  const groups = new Map<string, typeof terms.data>();
  for (const term of terms.data ?? []) groups.set(term.vocabulary, [...(groups.get(term.vocabulary) ?? []), term]);
  return (
    <Stack>
      {[...groups.entries()].map(([vocabulary, items]) => (
        <Stack key={vocabulary} gap={4}>
          <Text fw={700}>{vocabulary}</Text>
          <Group gap={6}>
            {items?.map((term) => (
              <Badge key={term.code} variant="light" title={term.code}>
                {localised(term, i18n.language, "label")}
              </Badge>
            ))}
          </Group>
        </Stack>
      ))}
    </Stack>
  );
}

function CountriesTab() {
  const { t, i18n } = useTranslation();
  const countries = useCountries();
  const bureaux = useBureaux();
  const [q, setQ] = useState("");
  const [unOnly, setUnOnly] = useState(true);
  const bureauName = new Map((bureaux.data ?? []).map((b) => [b.code, localised(b, i18n.language)]));
  if (countries.isLoading) return <Loading />;
  const needle = q.trim().toLowerCase();
  const rows = (countries.data ?? []).filter(
    (c) => (!unOnly || c.is_un_member) && (!needle || localised(c, i18n.language).toLowerCase().includes(needle) || c.iso3.toLowerCase() === needle),
  );
  return (
    <Stack>
      <Group>
        <TextInput label={t("app.search")} value={q} onChange={(e) => setQ(e.currentTarget.value)} />
        <Switch label="UN" checked={unOnly} onChange={(e) => setUnOnly(e.currentTarget.checked)} mt="lg" />
      </Group>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>ISO</Table.Th>
            <Table.Th>{t("admin.name")}</Table.Th>
            <Table.Th>{t("admin.unhcrCode")}</Table.Th>
            <Table.Th>{t("admin.bureau")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((c) => (
            <Table.Tr key={c.iso3}>
              <Table.Td ff="monospace">{c.iso3}</Table.Td>
              <Table.Td>{localised(c, i18n.language)}</Table.Td>
              <Table.Td ff="monospace">{c.unhcr_code ?? "—"}</Table.Td>
              <Table.Td>{c.bureau_code ? bureauName.get(c.bureau_code) : "—"}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

export function ReferencePage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <PageHeader title={t("admin.referenceTitle")} />
      <Tabs defaultValue="areas">
        <Tabs.List>
          <Tabs.Tab value="areas">{t("admin.areas")}</Tabs.Tab>
          <Tabs.Tab value="vocabularies">{t("admin.vocabularies")}</Tabs.Tab>
          <Tabs.Tab value="countries">{t("admin.countries")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="areas" pt="md">
          <AreasTab />
        </Tabs.Panel>
        <Tabs.Panel value="vocabularies" pt="md">
          <VocabulariesTab />
        </Tabs.Panel>
        <Tabs.Panel value="countries" pt="md">
          <CountriesTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
