import { Button, Group } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";

const TABS = [
  { to: "/matching", key: "console" },
  { to: "/matching/allocations", key: "allocations" },
  { to: "/matching/gaps", key: "gaps" },
  { to: "/matching/coverage", key: "coverage" },
  { to: "/matching/criteria", key: "criteria" },
] as const;

/** The matching tools' own navigation (one menu entry in the shell, these links on every matching page). */
export function MatchingNav() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const current = (to: string) => (to === "/matching" ? pathname === "/matching" : pathname.startsWith(to));
  return (
    <nav aria-label={t("matching.nav.label")}>
      <Group gap={4} mb="md" wrap="wrap">
        {TABS.map((tab) => (
          <Button
            key={tab.to}
            component={Link}
            to={tab.to}
            size="xs"
            variant={current(tab.to) ? "filled" : "default"}
            aria-current={current(tab.to) ? "page" : undefined}
          >
            {t(`matching.nav.${tab.key}`)}
          </Button>
        ))}
      </Group>
    </nav>
  );
}
