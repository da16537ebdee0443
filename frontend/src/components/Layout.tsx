import { AppShell, Anchor, Burger, Button, Group, Menu, NavLink, ScrollArea, Text, UnstyledButton } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { LanguageSwitcher } from "@/components/LanguageSwitcher";
import { featureNavItems, type NavItem } from "@/lib/features";
import { hasRole, type Me, useMe, useSignOut } from "@/lib/session";

/** The shell's navigation entries; feature modules add theirs (see `lib/features.ts`). */
const SHELL_NAV_ITEMS: NavItem[] = [
  { to: "/", labelKey: "nav.home", role: "public", order: 0 },
  { to: "/requests", labelKey: "nav.requests", role: "signedIn", order: 20 },
  { to: "/offers", labelKey: "nav.offers", role: "signedIn", order: 30 },
  { to: "/pledges", labelKey: "nav.pledges", role: "public", order: 40 },
  { to: "/my-organisation", labelKey: "nav.myOrganisation", role: "participant", order: 80 },
  { to: "/triage", labelKey: "nav.triage", role: "secretariat", order: 90 },
  { to: "/account", labelKey: "nav.account", role: "signedIn", order: 200 },
  { to: "/admin/users", labelKey: "nav.users", role: "secretariat", section: "admin", order: 10 },
  { to: "/admin/organisations", labelKey: "nav.organisations", role: "secretariat", section: "admin", order: 20 },
  { to: "/admin/reference", labelKey: "nav.reference", role: "secretariat", section: "admin", order: 30 },
  { to: "/admin/audit", labelKey: "nav.audit", role: "secretariat", section: "admin", order: 40 },
  { to: "/admin/mailbox", labelKey: "nav.mailbox", role: "secretariat", section: "admin", order: 50 },
];

/** Every navigation entry, shell and features, in menu order (stable for equal orders). */
export const NAV_ITEMS: NavItem[] = [...SHELL_NAV_ITEMS, ...featureNavItems]
  .map((item, index) => ({ item, index }))
  .sort((a, b) => (a.item.order ?? 100) - (b.item.order ?? 100) || a.index - b.index)
  .map(({ item }) => item);

function visible(item: NavItem, me: Me | null | undefined): boolean {
  if (!item.role || item.role === "public") return true;
  if (item.role === "signedIn") return Boolean(me);
  return hasRole(me, item.role);
}

export function Layout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const { data: me } = useMe();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();
  const items = NAV_ITEMS.filter((item) => visible(item, me));
  const isActive = (to: string) => (to === "/" ? location.pathname === "/" : location.pathname.startsWith(to));

  const renderItems = (section: NavItem["section"]) =>
    items
      .filter((item) => (item.section ?? "main") === section)
      .map((item) => (
        <NavLink
          key={item.to}
          component={Link}
          to={item.to}
          label={t(item.labelKey)}
          active={isActive(item.to)}
          onClick={close}
        />
      ));

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 250, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <a href="#main" className="skip-link">
        {t("app.skipToContent")}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t("nav.menu")} />
            <UnstyledButton component={Link} to="/" aria-label={t("app.name")}>
              <Group gap={8} wrap="nowrap">
                <img src="/favicon.svg" alt="" width={28} height={28} />
                <Text fw={700} c="blue.8" visibleFrom="xs">
                  {t("app.name")}
                </Text>
              </Group>
            </UnstyledButton>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitcher />
            {me ? (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button variant="subtle" size="xs" data-testid="user-menu">
                    {me.full_name}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item component={Link} to="/account">
                    {t("nav.account")}
                  </Menu.Item>
                  <Menu.Item
                    onClick={() =>
                      signOut.mutate(undefined, { onSettled: () => void navigate("/sign-in?signedOut=1") })
                    }
                  >
                    {t("nav.signOut")}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            ) : (
              <Anchor component={Link} to="/sign-in" size="sm">
                {t("nav.signIn")}
              </Anchor>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t("nav.menu")}>
        <ScrollArea>
          <nav>{renderItems("main")}</nav>
          {items.some((i) => i.section === "admin") && (
            <nav aria-label={t("nav.administration")}>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mt="md" mb={4}>
                {t("nav.administration")}
              </Text>
              {renderItems("admin")}
            </nav>
          )}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
