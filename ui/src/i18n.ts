// Translations: one resource file per language and area under `locales/<language>/<area>.json`, each
// holding its area's top-level keys (`templates.json` has `templates`, `form`, `bind`, …), merged into
// one namespace so that keys read `area.key` everywhere. `vocabulary.json` (event types and
// verification results) is generated from the Rust enums; `locales.test.ts` checks that both languages
// have the same keys and placeholders and that every key the code names exists.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

export type Tree = { [k: string]: string | Tree };
export const LANGUAGES = ["en-US", "zh-CN"] as const;
export type Language = (typeof LANGUAGES)[number];

const files = import.meta.glob<Tree>("./locales/*/*.json", { eager: true, import: "default" });

/** Every area file of `language`, by area name. */
export function areasOf(language: Language): Record<string, Tree> {
  const out: Record<string, Tree> = {};
  for (const [path, tree] of Object.entries(files)) {
    const m = /\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (m && m[1] === language) out[m[2]] = tree;
  }
  return out;
}

/** One language's translations: its area files merged; `vocabulary.json` is the `vocabulary` key. */
export function resourcesOf(language: Language): Tree {
  const merged: Tree = {};
  for (const [area, tree] of Object.entries(areasOf(language))) {
    if (area === "vocabulary") merged.vocabulary = tree;
    else Object.assign(merged, tree);
  }
  return merged;
}

export function systemLanguage(): Language {
  const l = (typeof navigator !== "undefined" && navigator.language) || "en-US";
  return l.toLowerCase().startsWith("zh") ? "zh-CN" : "en-US";
}

void i18n.use(initReactI18next).init({
  resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: resourcesOf(l) }])),
  lng: systemLanguage(),
  fallbackLng: "en-US",
  interpolation: { escapeValue: false },
});

export default i18n;
