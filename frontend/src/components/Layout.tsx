import { AppShell, Anchor, Burger, Button, Group, Menu, NavLink, ScrollArea, Text, UnstyledButton } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { LanguageSwitcher } from "@/components/LanguageSwitcher";
import { hasRole, type Me, type Role, useMe, useSignOut } from "@/lib/session";

export type NavItem = { to: string; labelKey: string; role?: Role | "signedIn" | "public"; section?: "main" | "admin" };

/** Navigation entries, each shown to the roles that may use it. Features add theirs here. */
export const NAV_ITEMS: NavItem[] = [
  { to: "/", labelKey: "nav.home", role: "public" },
  { to: "/requests", labelKey: "nav.requests", role: "signedIn" },
  { to: "/offers", labelKey: "nav.offers", role: "signedIn" },
  { to: "/pledges", labelKey: "nav.pledges", role: "public" },
  { to: "/my-organisation", labelKey: "nav.myOrganisation", role: "participant" },
  { to: "/triage", labelKey: "nav.triage", role: "secretariat" },
  { to: "/account", labelKey: "nav.account", role: "signedIn" },
  { to: "/admin/users", labelKey: "nav.users", role: "secretariat", section: "admin" },
  { to: "/admin/organisations", labelKey: "nav.organisations", role: "secretariat", section: "admin" },
  { to: "/admin/reference", labelKey: "nav.reference", role: "secretariat", section: "admin" },
  { to: "/admin/audit", labelKey: "nav.audit", role: "secretariat", section: "admin" },
  { to: "/admin/mailbox", labelKey: "nav.mailbox", role: "secretariat", section: "admin" },
];

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
