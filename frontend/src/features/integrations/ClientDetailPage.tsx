// One integration client: its details, editing (name, description, scopes, rate limit), rotating its secret
// (the new one shown once) and revoking it, each after a confirmation; then its webhook subscriptions.
import { Alert, Anchor, Button, Card, Code, Group, Modal, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { IconKey, IconPencil, IconBan } from "@tabler/icons-react";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { formatDateTime } from "@/lib/format";
import { type Client, useClient, useOrganisation, useRevokeClient, useRotateSecret, useUpdateClient } from "./api";
import { ClientForm, valuesOf } from "./ClientForm";
import { ClientStatusBadge, lastUsed, ScopeBadges } from "./ClientsPage";
import { SecretOnceModal, type ShownSecret } from "./SecretOnce";
import { ClientWebhooks } from "./Webhooks";

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}

function Details({ client }: { client: Client }) {
  const { t, i18n } = useTranslation();
  const organisation = useOrganisation(client.organisation_id);
  const used = lastUsed(client);
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="md" data-testid="client-details">
      <Detail label={t("integrations.fields.clientId")}>
        <Code>{client.client_id}</Code>
      </Detail>
      <Detail label={t("integrations.fields.secret")}>
        <Text size="sm">
          <Code>{client.secret_prefix}…</Code>{" "}
          {t("integrations.secretVersion", { version: client.secret_version })}
          {client.secret_rotated_at ? ` · ${t("integrations.rotatedAt", { when: formatDateTime(client.secret_rotated_at, i18n.language) })}` : ""}
        </Text>
      </Detail>
      <Detail label={t("integrations.fields.status")}>
        <Group gap="xs">
          <ClientStatusBadge client={client} />
          {client.revoked_at && <Text size="sm">{formatDateTime(client.revoked_at, i18n.language)}</Text>}
        </Group>
      </Detail>
      <Detail label={t("integrations.fields.scopes")}>
        <ScopeBadges scopes={client.scopes} />
      </Detail>
      <Detail label={t("integrations.fields.organisation")}>
        <Text size="sm">
          {client.organisation_id ? (organisation.data?.name ?? "…") : t("integrations.noOrganisation")}
        </Text>
      </Detail>
      <Detail label={t("integrations.fields.rateLimitShort")}>
        <Text size="sm">
          {t("integrations.perMinute", { count: client.rate_limit_per_minute })}
          {client.has_own_rate_limit ? "" : ` (${t("integrations.defaultLimit")})`}
        </Text>
      </Detail>
      {used !== undefined && (
        <Detail label={t("integrations.fields.lastUsed")}>
          <Text size="sm">{used ? formatDateTime(used, i18n.language) : t("integrations.neverUsed")}</Text>
        </Detail>
      )}
      <Detail label={t("integrations.fields.created")}>
        <Text size="sm">{formatDateTime(client.created_at, i18n.language)}</Text>
      </Detail>
      <Detail label={t("integrations.fields.updated")}>
        <Text size="sm">{formatDateTime(client.updated_at, i18n.language)}</Text>
      </Detail>
    </SimpleGrid>
  );
}

function Confirm({
  opened,
  title,
  text,
  confirmLabel,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  opened: boolean;
  title: string;
  text: string;
  confirmLabel: string;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <Stack gap="md">
        <Text size="sm">{text}</Text>
        {error ? <ErrorAlert error={error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("app.cancel")}
          </Button>
          <Button color="red" loading={pending} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function ClientActions({ client }: { client: Client }) {
  const { t } = useTranslation();
  const update = useUpdateClient(client.id);
  const rotate = useRotateSecret(client.id);
  const revoke = useRevokeClient(client.id);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState<"rotate" | "revoke" | null>(null);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const close = () => {
    setConfirming(null);
    rotate.reset();
    revoke.reset();
  };
  return (
    <>
      {client.is_active && (
        <Group gap="sm">
          <Button variant="light" leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setEditing((v) => !v)}>
            {t("app.edit")}
          </Button>
          <Button variant="light" color="orange" leftSection={<IconKey size={16} aria-hidden />} onClick={() => setConfirming("rotate")}>
            {t("integrations.rotate")}
          </Button>
          <Button variant="light" color="red" leftSection={<IconBan size={16} aria-hidden />} onClick={() => setConfirming("revoke")}>
            {t("integrations.revoke")}
          </Button>
        </Group>
      )}
      {editing && client.is_active && (
        <Card withBorder>
          <ClientForm
            key={client.updated_at}
            initial={valuesOf(client)}
            mode="edit"
            pending={update.isPending}
            error={update.error}
            onCancel={() => {
              setEditing(false);
              update.reset();
            }}
            onSubmit={(values) =>
              update.mutate(
                {
                  name: values.name.trim(),
                  description: values.description.trim(),
                  scopes: values.scopes,
                  rate_limit_per_minute: values.rateLimit,
                },
                { onSuccess: () => setEditing(false) },
              )
            }
          />
        </Card>
      )}
      <Confirm
        opened={confirming === "rotate"}
        title={t("integrations.rotateTitle")}
        text={t("integrations.rotateConfirm", { name: client.name })}
        confirmLabel={t("integrations.rotate")}
        pending={rotate.isPending}
        error={rotate.error}
        onClose={close}
        onConfirm={() =>
          rotate.mutate(undefined, {
            onSuccess: (secret) => {
              close();
              setShown({ clientId: secret.client_id, secret: secret.client_secret, name: client.name, rotated: true });
            },
          })
        }
      />
      <Confirm
        opened={confirming === "revoke"}
        title={t("integrations.revokeTitle")}
        text={t("integrations.revokeConfirm", { name: client.name })}
        confirmLabel={t("integrations.revoke")}
        pending={revoke.isPending}
        error={revoke.error}
        onClose={close}
        onConfirm={() => revoke.mutate(undefined, { onSuccess: close })}
      />
      <SecretOnceModal shown={shown} onDone={() => setShown(null)} />
    </>
  );
}

export function ClientDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const client = useClient(id);
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/admin/integrations" size="sm">
        {t("integrations.back")}
      </Anchor>
      <PageHeader title={client.data?.name ?? t("integrations.clientTitle")} description={client.data?.description || undefined} />
      {client.isLoading && <Loading />}
      {client.isError && <ErrorAlert error={client.error} onRetry={() => void client.refetch()} />}
      {client.data && (
        <>
          {!client.data.is_active && <Alert color="gray">{t("integrations.revokedNotice")}</Alert>}
          <Details client={client.data} />
          <ClientActions client={client.data} />
          <Stack gap="sm" component="section" aria-labelledby="client-webhooks">
            <Title order={2} size="h3" id="client-webhooks">
              {t("integrations.webhooks.title")}
            </Title>
            <ClientWebhooks client={client.data} />
          </Stack>
        </>
      )}
    </Stack>
  );
}
