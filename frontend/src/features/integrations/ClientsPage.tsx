// The Secretariat's integration clients: the list (name, scopes, status, last use), and registering one,
// after which its client id and secret are shown once.
import { Anchor, Badge, Button, Group, Modal, Stack, Table, Text } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { formatDateTime } from "@/lib/format";
import { type Client, useClients, useCreateClient } from "./api";
import { ClientForm, createBody, EMPTY_CLIENT } from "./ClientForm";
import { SecretOnceModal, type ShownSecret } from "./SecretOnce";
import { ScrollTable } from "@/components/ScrollTable";

/** When the client last called the API, if the API tells (older servers do not). */
export function lastUsed(client: Client): string | null | undefined {
  return (client as Client & { last_used_at?: string | null }).last_used_at;
}

export function ClientStatusBadge({ client }: { client: Client }) {
  const { t } = useTranslation();
  return (
    <Badge color={client.is_active ? "green" : "gray"} variant="light" miw="max-content" data-testid="client-status">
      {client.is_active ? t("integrations.status.active") : t("integrations.status.revoked")}
    </Badge>
  );
}

export function ScopeBadges({ scopes }: { scopes: readonly string[] }) {
  return (
    <Group gap={4}>
      {scopes.map((scope) => (
        <Badge key={scope} variant="outline" color="gray" size="sm" tt="none">
          {scope}
        </Badge>
      ))}
    </Group>
  );
}

export function ClientsPage() {
  const { t, i18n } = useTranslation();
  const clients = useClients();
  const create = useCreateClient();
  const [registering, setRegistering] = useState(false);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const rows = clients.data ?? [];
  const showsLastUse = rows.some((c) => lastUsed(c) !== undefined);

  return (
    <Stack gap="md">
      <PageHeader
        title={t("integrations.title")}
        description={t("integrations.description")}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setRegistering(true)}>
            {t("integrations.registerTitle")}
          </Button>
        }
      />
      {clients.isLoading && <Loading />}
      {clients.isError && <ErrorAlert error={clients.error} onRetry={() => void clients.refetch()} />}
      {clients.isSuccess && rows.length === 0 && (
        <Text c="dimmed" data-testid="no-clients">
          {t("integrations.none")}
        </Text>
      )}
      {rows.length > 0 && (
        <ScrollTable minWidth={860} label={t("integrations.title")}>
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="clients">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("integrations.fields.name")}</Table.Th>
                <Table.Th scope="col">{t("integrations.fields.scopes")}</Table.Th>
                <Table.Th scope="col">{t("integrations.fields.status")}</Table.Th>
                <Table.Th scope="col">{t("integrations.fields.rateLimitShort")}</Table.Th>
                {showsLastUse && <Table.Th scope="col">{t("integrations.fields.lastUsed")}</Table.Th>}
                <Table.Th scope="col">{t("integrations.fields.created")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((client) => (
                <Table.Tr key={client.id} data-testid="client-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/admin/integrations/${client.id}`} fw={600}>
                      {client.name}
                    </Anchor>
                    {client.description && (
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        {client.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <ScopeBadges scopes={client.scopes} />
                  </Table.Td>
                  <Table.Td>
                    <ClientStatusBadge client={client} />
                  </Table.Td>
                  <Table.Td>{t("integrations.perMinute", { count: client.rate_limit_per_minute })}</Table.Td>
                  {showsLastUse && (
                    <Table.Td>{lastUsed(client) ? formatDateTime(lastUsed(client), i18n.language) : t("integrations.neverUsed")}</Table.Td>
                  )}
                  <Table.Td>{formatDateTime(client.created_at, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}

      <Modal
        opened={registering}
        onClose={() => {
          setRegistering(false);
          create.reset();
        }}
        title={t("integrations.registerTitle")}
        size="lg"
      >
        <ClientForm
          initial={EMPTY_CLIENT}
          mode="create"
          pending={create.isPending}
          error={create.error}
          onCancel={() => {
            setRegistering(false);
            create.reset();
          }}
          onSubmit={(values) =>
            create.mutate(createBody(values), {
              onSuccess: (created) => {
                setRegistering(false);
                setShown({ clientId: created.client_id, secret: created.client_secret, name: created.name, rotated: false });
                // The secret lives only in the dialog's state from here on.
                create.reset();
              },
            })
          }
        />
      </Modal>
      <SecretOnceModal shown={shown} onDone={() => setShown(null)} />
    </Stack>
  );
}
