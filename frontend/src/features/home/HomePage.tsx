import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { IconArrowRight } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PageHeader } from "@/components/PageHeader";
import { KeyFigures } from "@/features/portal/KeyFigures";
import { MapSection } from "@/features/portal/MapSection";
import { type Me, useMe } from "@/lib/session";

/** A signed-in user's welcome and roles, above the same portal everyone sees. */
function Welcome({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <Card withBorder component="section" aria-labelledby="welcome-title" data-testid="welcome">
      <Title order={2} size="h4" id="welcome-title" mb={4}>
        {t("home.welcome", { name: me.full_name })}
      </Title>
      <Text size="sm" fw={600} mb="xs">
        {t("home.yourRoles")}
      </Text>
      <Group gap="xs">
        {me.is_secretariat && <Badge color="grape">{t("home.secretariat")}</Badge>}
        {me.is_unhcr && <Badge color="blue">{t("home.unhcr", { count: me.unhcr_countries.length })}</Badge>}
        {me.memberships.map((m) => (
          <Badge key={m.organisation_id} variant="light" tt="none">
            {m.organisation_name} · {t(`auth.roles.${m.role}`)}
          </Badge>
        ))}
      </Group>
    </Card>
  );
}

function ListLink({ to, title, text }: { to: string; title: string; text: string }) {
  return (
    <Card withBorder padding="md">
      <Anchor component={Link} to={to} fw={600}>
        <Group gap={6} wrap="nowrap" component="span">
          {title}
          <IconArrowRight size={16} aria-hidden />
        </Group>
      </Anchor>
      <Text size="sm" c="dimmed" mt={4}>
        {text}
      </Text>
    </Card>
  );
}

/**
 * The public portal's home, open to everyone: what the mechanism is, its key figures, the world map of
 * pledges, matches and unmet needs, and the public lists. The sign-in state never delays the portal.
 */
export function HomePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  return (
    <Stack maw={1200} gap="lg">
      <PageHeader title={t("app.fullName")} description={t("app.tagline")} />
      {me && <Welcome me={me} />}
      <Card withBorder>
        <Text>{t("home.intro")}</Text>
        <Text mt="sm" size="sm">
          {t("portal.home.why")}
        </Text>
        {!me && (
          <Text mt="sm" size="sm" c="dimmed">
            {t("home.publicIntro")}{" "}
            <Anchor component={Link} to="/sign-in" size="sm" underline="always">
              {t("nav.signIn")}
            </Anchor>
          </Text>
        )}
      </Card>
      <KeyFigures />
      <MapSection />
      <section aria-labelledby="public-lists-title">
        <Title order={2} size="h3" id="public-lists-title" mb="sm">
          {t("portal.home.listsTitle")}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          <ListLink to="/portal/matches" title={t("portal.home.matchesLink")} text={t("portal.home.matchesText")} />
          <ListLink to="/pledges" title={t("portal.home.pledgesLink")} text={t("portal.home.pledgesText")} />
          {/* The knowledge base's public lists (features/knowledge). */}
          <ListLink to="/projects" title={t("portal.home.projectsLink")} text={t("portal.home.projectsText")} />
          <ListLink to="/good-practices" title={t("portal.home.practicesLink")} text={t("portal.home.practicesText")} />
          <ListLink to="/tools" title={t("portal.home.toolsLink")} text={t("portal.home.toolsText")} />
          <ListLink to="/news" title={t("portal.home.newsLink")} text={t("portal.home.newsText")} />
        </SimpleGrid>
      </section>
    </Stack>
  );
}
