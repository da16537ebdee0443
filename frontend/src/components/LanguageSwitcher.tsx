import { Select } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { api } from "@/lib/api";
import { useMe } from "@/lib/session";
import { LANGUAGES } from "@/i18n";

/** Switches the UI language; remembered in the browser, and as the account's e-mail language when signed in. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  return (
    <Select
      aria-label={t("app.language")}
      data-testid="language-switcher"
      size="xs"
      w={120}
      allowDeselect={false}
      value={(i18n.resolvedLanguage ?? "en").slice(0, 2)}
      data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
      onChange={(value) => {
        if (!value) return;
        void i18n.changeLanguage(value);
        if (me) void api.PATCH("/api/v1/auth/me", { body: { preferred_language: value as "en" | "fr" | "es" } });
      }}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
