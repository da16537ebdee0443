import {
  Badge,
  Button,
  Drawer,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { ApiError, api, type Schemas, unwrap } from "@/lib/api";
import { localised } from "@/lib/format";
import { useBureaux, useCountryName, useCountryOptions, useTerms } from "@/lib/reference";

type Kind = Schemas["OrganisationCreate"]["kind"];
type Role = Schemas["InvitationCreate"]["role"];
const KINDS: Kind[] = ["state_government", "state_institution", "stakeholder", "unhcr_country_office", "unhcr_bureau", "secretariat"];
const ROLES: Role[] = ["focal_point", "editor", "viewer"];

function CreateOrganisationModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const countries = useCountryOptions();
  const contributorTypes = useTerms("contributor_types");
  const bureaux = useBureaux();
  const [form, setForm] = useState<{ name: string; kind: Kind; country_iso3: string | null; contributor_type: string | null; bureau_code: string | null; office_countries: string[] }>(
    { name: "", kind: "stakeholder", country_iso3: null, contributor_type: null, bureau_code: null, office_countries: [] },
  );
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/organisations", {
          body: {
            name: form.name,
            kind: form.kind,
            country_iso3: form.country_iso3,
            contributor_type: form.kind === "stakeholder" ? form.contributor_type : null,
            bureau_code: form.kind === "unhcr_bureau" ? form.bureau_code : null,
            office_countries: form.kind === "unhcr_country_office" ? form.office_countries : [],
          },
        }),
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["organisations"] });
      notifications.show({ color: "green", message: t("app.saved") });
      onClose();
    },
  });
  const fields = create.error instanceof ApiError ? create.error.fieldMap() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t("admin.newOrganisation")} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label={t("admin.name")} required value={form.name} error={fields.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} />
          <Select
            label={t("admin.kind")}
            value={form.kind}
            allowDeselect={false}
            data={KINDS.map((k) => ({ value: k, label: t(`admin.kinds.${k}`) }))}
            onChange={(v) => setForm({ ...form, kind: (v ?? "stakeholder") as Kind })}
          />
          <Select label={t("admin.country")} searchable clearable data={countries} value={form.country_iso3} error={fields.country_iso3} onChange={(v) => setForm({ ...form, country_iso3: v })} />
          {form.kind === "stakeholder" && (
            <Select
              label={t("admin.contributorType")}
              data={(contributorTypes.data ?? []).filter((c) => c.code !== "state").map((c) => ({ value: c.code, label: localised(c, i18n.language, "label") }))}
              value={form.contributor_type}
              error={fields.contributor_type}
              onChange={(v) => setForm({ ...form, contributor_type: v })}
            />
          )}
          {form.kind === "unhcr_bureau" && (
            <Select
              label={t("admin.bureau")}
              data={(bureaux.data ?? []).map((b) => ({ value: b.code, label: localised(b, i18n.language) }))}
              value={form.bureau_code}
              error={fields.bureau_code}
              onChange={(v) => setForm({ ...form, bureau_code: v })}
            />
          )}
          {form.kind === "unhcr_country_office" && (
            <MultiSelect label={t("admin.officeCountries")} searchable data={countries} value={form.office_countries} error={fields.office_countries} onChange={(v) => setForm({ ...form, office_countries: v })} />
          )}
          {create.isError && !Object.keys(fields).length && <ErrorAlert error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("app.cancel")}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t("app.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function OrganisationDrawer({ organisationId, onClose }: { organisationId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const countryName = useCountryName();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("focal_point");
  const organisation = useQuery({
    queryKey: ["organisation", organisationId],
    queryFn: () => unwrap(api.GET("/api/v1/organisations/{organisation_id}", { params: { path: { organisation_id: organisationId ?? "" } } })),
    enabled: Boolean(organisationId),
  });
  const members = useQuery({
    queryKey: ["organisation", organisationId, "members"],
    queryFn: () => unwrap(api.GET("/api/v1/organisations/{organisation_id}/members", { params: { path: { organisation_id: organisationId ?? "" } } })),
    enabled: Boolean(organisationId),
  });
  const invitations = useQuery({
    queryKey: ["organisation", organisationId, "invitations"],
    queryFn: () => unwrap(api.GET("/api/v1/invitations", { params: { query: { organisation_id: organisationId ?? undefined } } })),
    enabled: Boolean(organisationId),
  });
  const invite = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/invitations", { body: { email, role, organisation_id: organisationId ?? "" } })),
    onSuccess: () => {
      setEmail("");
      notifications.show({ color: "green", message: t("admin.invitationSent") });
      void client.invalidateQueries({ queryKey: ["organisation", organisationId, "invitations"] });
    },
  });
  const fields = invite.error instanceof ApiError ? invite.error.fieldMap() : {};
  const org = organisation.data;
  return (
    <Drawer opened={Boolean(organisationId)} onClose={onClose} position="right" size="lg" title={org?.name ?? ""}>
      {organisation.isLoading && <Loading />}
      {org && (
        <Stack>
          <Group gap="xs">
            <Badge>{t(`admin.kinds.${org.kind}`)}</Badge>
            {org.country_iso3 && <Badge variant="light">{countryName(org.country_iso3)}</Badge>}
          </Group>
          {org.office_countries.length > 0 && (
            <Text size="sm">
              {t("admin.officeCountries")}: {org.office_countries.map(countryName).join(", ")}
            </Text>
          )}
          <Title order={3} size="h5">
            {t("admin.members")}
          </Title>
          <Table>
            <Table.Tbody>
              {members.data?.map((m) => (
                <Table.Tr key={m.user_id}>
                  <Table.Td>{m.full_name}</Table.Td>
                  <Table.Td>{m.email}</Table.Td>
                  <Table.Td>{t(`auth.roles.${m.role}`)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={3} size="h5">
            {t("admin.inviteTitle")}
          </Title>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              invite.mutate();
            }}
            noValidate
          >
            <Group align="flex-end">
              <TextInput label={t("auth.email")} value={email} error={fields.email} onChange={(e) => setEmail(e.currentTarget.value)} />
              <Select label={t("admin.role")} value={role} allowDeselect={false} data={ROLES.map((r) => ({ value: r, label: t(`auth.roles.${r}`) }))} onChange={(v) => setRole((v ?? "viewer") as Role)} w={170} />
              <Button type="submit" loading={invite.isPending}>
                {t("admin.invite")}
              </Button>
            </Group>
          </form>
          {invitations.data && invitations.data.length > 0 && (
            <>
              <Title order={3} size="h5">
                {t("admin.invitations")}
              </Title>
              <Table>
                <Table.Tbody>
                  {invitations.data.map((i) => (
                    <Table.Tr key={i.id}>
                      <Table.Td>{i.email}</Table.Td>
                      <Table.Td>{t(`auth.roles.${i.role}`)}</Table.Td>
                      <Table.Td>
                        <Badge variant="light">{i.status}</Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
        </Stack>
      )}
    </Drawer>
  );
}

export function OrganisationsPage() {
  const { t } = useTranslation();
  const countryName = useCountryName();
  const [q, setQ] = useState("");
  const [kind, setKind] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const organisations = useInfiniteQuery({
    queryKey: ["organisations", q, kind],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/organisations", {
          params: { query: { q: q || undefined, kind: (kind ?? undefined) as Kind | undefined, cursor: pageParam, limit: 50 } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = organisations.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <PageHeader
        title={t("admin.organisationsTitle")}
        description={t("app.total", { count: organisations.data?.pages[0]?.total ?? 0 })}
        actions={<Button onClick={() => setCreating(true)}>{t("admin.newOrganisation")}</Button>}
      />
      <Group>
        <TextInput label={t("app.search")} value={q} onChange={(e) => setQ(e.currentTarget.value)} />
        <Select label={t("admin.kind")} clearable value={kind} data={KINDS.map((k) => ({ value: k, label: t(`admin.kinds.${k}`) }))} onChange={setKind} />
      </Group>
      {organisations.isLoading && <Loading />}
      {organisations.isError && <ErrorAlert error={organisations.error} />}
      <Table.ScrollContainer minWidth={700}>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("admin.name")}</Table.Th>
              <Table.Th>{t("admin.kind")}</Table.Th>
              <Table.Th>{t("admin.country")}</Table.Th>
              <Table.Th>{t("app.actions")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((org) => (
              <Table.Tr key={org.id}>
                <Table.Td>
                  {org.name} {org.short_name && <Text span c="dimmed">({org.short_name})</Text>}
                </Table.Td>
                <Table.Td>{t(`admin.kinds.${org.kind}`)}</Table.Td>
                <Table.Td>{countryName(org.country_iso3)}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="light" onClick={() => setSelected(org.id)}>
                    {t("admin.members")}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {organisations.hasNextPage && (
        <Button variant="default" onClick={() => void organisations.fetchNextPage()}>
          {t("app.loadMore")}
        </Button>
      )}
      {creating && <CreateOrganisationModal opened={creating} onClose={() => setCreating(false)} />}
      <OrganisationDrawer organisationId={selected} onClose={() => setSelected(null)} />
    </Stack>
  );
}
