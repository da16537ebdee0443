// Translation texts: the shell's own files plus every feature's `locales/*.json`, merged per language.
// A feature's texts live under one top-level key; two files claiming the same key is a programming error.
import en from "./locales/en.json";
import es from "./locales/es.json";
import fr from "./locales/fr.json";

export type Tree = { [key: string]: string | Tree };
export type Language = "en" | "fr" | "es";

// Shared components with their own texts (e.g. `components/files/locales`) follow the same rule.
const featureFiles = import.meta.glob<Tree>(["../features/*/locales/*.json", "../components/*/locales/*.json"], {
  eager: true,
  import: "default",
});

function merged(language: Language, base: Tree): Tree {
  const result: Tree = { ...base };
  for (const path of Object.keys(featureFiles).sort()) {
    if (!path.endsWith(`/${language}.json`)) continue;
    for (const [key, value] of Object.entries(featureFiles[path] ?? {})) {
      if (key in result) throw new Error(`Translation key "${key}" in ${path} is already defined elsewhere`);
      result[key] = value;
    }
  }
  return result;
}

export const RESOURCES: Record<Language, Tree> = {
  en: merged("en", en as Tree),
  fr: merged("fr", fr as Tree),
  es: merged("es", es as Tree),
};
