import { Accordion, Badge, Group, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { api, unwrap } from "@/lib/api";
import { formatDateTime } from "@/lib/format";

export function MailboxPage() {
  const { t, i18n } = useTranslation();
  const mails = useQuery({ queryKey: ["mailbox"], queryFn: () => unwrap(api.GET("/api/v1/dev/mailbox")) });
  return (
    <Stack>
      <PageHeader title={t("admin.mailboxTitle")} description={t("admin.mailboxIntro")} />
      {mails.isLoading && <Loading />}
      {mails.isError && <ErrorAlert error={mails.error} />}
      {mails.data?.length === 0 && <Text c="dimmed">{t("app.noResults")}</Text>}
      <Accordion variant="separated">
        {mails.data?.map((mail) => (
          <Accordion.Item key={mail.id} value={mail.id}>
            <Accordion.Control>
              <Group justify="space-between" wrap="nowrap">
                <Text fw={600}>{mail.subject}</Text>
                <Group gap="xs">
                  <Text size="sm">{mail.to}</Text>
                  <Badge variant="light">{mail.status}</Badge>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(mail.created_at, i18n.language)}
                  </Text>
                </Group>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Text style={{ whiteSpace: "pre-wrap" }} size="sm">
                {mail.body}
              </Text>
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
    </Stack>
  );
}
