import { Badge, Card, Group, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { useMe } from "@/lib/session";

export function HomePage() {
  const { t } = useTranslation();
  const { data: me, isLoading } = useMe();
  if (isLoading) return <Loading />;
  return (
    <Stack maw={960}>
      <PageHeader title={me ? t("home.welcome", { name: me.full_name }) : t("app.fullName")} description={t("app.tagline")} />
      <Card withBorder>
        <Text>{t("home.intro")}</Text>
        {!me && (
          <Text mt="sm" c="dimmed">
            {t("home.publicIntro")}
          </Text>
        )}
      </Card>
      {me && (
        <Card withBorder>
          <Text fw={600} mb="xs">
            {t("home.yourRoles")}
          </Text>
          <Group gap="xs">
            {me.is_secretariat && <Badge color="grape">{t("home.secretariat")}</Badge>}
            {me.is_unhcr && <Badge color="blue">{t("home.unhcr", { count: me.unhcr_countries.length })}</Badge>}
            {me.memberships.map((m) => (
              <Badge key={m.organisation_id} variant="light">
                {m.organisation_name} · {t(`auth.roles.${m.role}`)}
              </Badge>
            ))}
          </Group>
        </Card>
      )}
    </Stack>
  );
}
