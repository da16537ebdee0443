import i18n from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next } from "react-i18next";
import { RESOURCES } from "./resources";

export const LANGUAGES = [
  { code: "en", label: "English" },
  { code: "fr", label: "Français" },
  { code: "es", label: "Español" },
] as const;

export const LANGUAGE_STORAGE_KEY = "acsg.language";

// Browser language by default; the choice made with the switcher is remembered in localStorage.
void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: {
      en: { translation: RESOURCES.en },
      fr: { translation: RESOURCES.fr },
      es: { translation: RESOURCES.es },
    },
    supportedLngs: ["en", "fr", "es"],
    nonExplicitSupportedLngs: true,
    load: "languageOnly",
    fallbackLng: "en",
    interpolation: { escapeValue: false },
    detection: {
      order: ["localStorage", "navigator", "htmlTag"],
      lookupLocalStorage: LANGUAGE_STORAGE_KEY,
      caches: ["localStorage"],
    },
  });

i18n.on("languageChanged", (language) => {
  document.documentElement.lang = language;
  // Arabic may come later: the layout follows the language's direction.
  document.documentElement.dir = i18n.dir(language);
});

export function currentLanguage(): "en" | "fr" | "es" {
  const lang = (i18n.resolvedLanguage ?? i18n.language ?? "en").slice(0, 2);
  return lang === "fr" || lang === "es" ? lang : "en";
}

export default i18n;
