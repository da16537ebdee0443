import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  NumberInput,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { ApiError, api, unwrap } from "@/lib/api";
import { formatDate } from "@/lib/format";
import { useMe } from "@/lib/session";

function PasswordCard() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const change = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/auth/me/password", { body: { current_password: current, new_password: next } })),
    onSuccess: () => {
      setCurrent("");
      setNext("");
      notifications.show({ color: "green", message: t("account.passwordChanged") });
    },
  });
  const fields = change.error instanceof ApiError ? change.error.fieldMap() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <Card withBorder>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} size="h4">
            {t("account.changePassword")}
          </Title>
          <PasswordInput
            label={t("account.currentPassword")}
            autoComplete="current-password"
            value={current}
            error={fields.current_password}
            onChange={(e) => setCurrent(e.currentTarget.value)}
          />
          <PasswordInput
            label={t("auth.newPassword")}
            description={t("auth.newPasswordHint")}
            autoComplete="new-password"
            value={next}
            error={fields.new_password}
            onChange={(e) => setNext(e.currentTarget.value)}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              {t("account.changePassword")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function TokensCard() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [days, setDays] = useState<number | string>(90);
  const [created, setCreated] = useState<string | null>(null);
  const tokens = useQuery({ queryKey: ["tokens"], queryFn: () => unwrap(api.GET("/api/v1/auth/tokens")) });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/auth/tokens", {
          body: { name, expires_in_days: typeof days === "number" ? days : Number(days) || null },
        }),
      ),
    onSuccess: (token) => {
      setCreated(token.token);
      setName("");
      void client.invalidateQueries({ queryKey: ["tokens"] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST("/api/v1/auth/tokens/{token_id}/revoke", { params: { path: { token_id: id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["tokens"] }),
  });
  const fields = create.error instanceof ApiError ? create.error.fieldMap() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h4">
          {t("account.tokens")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("account.tokensIntro")}
        </Text>
        {created && (
          <Alert color="yellow" title={t("account.tokenCreated")}>
            <Code block data-testid="new-token">
              {created}
            </Code>
          </Alert>
        )}
        <form onSubmit={submit} noValidate>
          <Group align="flex-end">
            <TextInput label={t("account.tokenName")} value={name} error={fields.name} onChange={(e) => setName(e.currentTarget.value)} />
            <NumberInput label={t("account.tokenExpires")} min={1} max={730} value={days} error={fields.expires_in_days} onChange={setDays} w={180} />
            <Button type="submit" loading={create.isPending}>
              {t("account.createToken")}
            </Button>
          </Group>
        </form>
        {tokens.isLoading && <Loading />}
        {tokens.isError && <ErrorAlert error={tokens.error} />}
        {tokens.data && tokens.data.length > 0 && (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("account.tokenName")}</Table.Th>
                <Table.Th>{t("account.created")}</Table.Th>
                <Table.Th>{t("account.expires")}</Table.Th>
                <Table.Th>{t("account.lastUsed")}</Table.Th>
                <Table.Th>{t("app.actions")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.map((token) => (
                <Table.Tr key={token.id}>
                  <Table.Td>
                    {token.name} <Code>{token.token_prefix}…</Code>
                  </Table.Td>
                  <Table.Td>{formatDate(token.created_at, i18n.language)}</Table.Td>
                  <Table.Td>{formatDate(token.expires_at, i18n.language) || "—"}</Table.Td>
                  <Table.Td>{formatDate(token.last_used_at, i18n.language) || t("account.never")}</Table.Td>
                  <Table.Td>
                    {token.revoked_at ? (
                      <Badge color="gray">{t("account.revoked")}</Badge>
                    ) : (
                      <Button size="xs" color="red" variant="light" onClick={() => revoke.mutate(token.id)}>
                        {t("account.revoke")}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}

export function AccountPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  if (!me) return <Loading />;
  return (
    <Stack maw={900}>
      <PageHeader title={t("account.title")} description={`${me.full_name} · ${me.email}`} />
      <Card withBorder>
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t("account.memberships")}
          </Title>
          {me.is_secretariat && <Badge color="grape">{t("home.secretariat")}</Badge>}
          {me.is_unhcr && <Badge color="blue">{t("home.unhcr", { count: me.unhcr_countries.length })}</Badge>}
          {me.memberships.map((m) => (
            <Text key={m.organisation_id}>
              {m.organisation_name} — {t(`auth.roles.${m.role}`)}
            </Text>
          ))}
        </Stack>
      </Card>
      <PasswordCard />
      <TokensCard />
    </Stack>
  );
}
