// The translations: both languages have the same area files, the same keys and the same placeholders,
// and every key the code names exists (a missing key would show as its raw name on screen).
import { describe, expect, it } from "vitest";
import { EVENT_TYPES, VERIFY_RESULTS } from "./bindings/vocabulary";
import { areasOf, LANGUAGES, resourcesOf, type Tree } from "./i18n";

function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

function lookup(tree: Tree, key: string): string | Tree | undefined {
  let at: string | Tree | undefined = tree;
  for (const part of key.split(".")) at = typeof at === "object" ? at[part] : undefined;
  return at;
}

// The UI's own sources, as text (generated bindings and tests aside).
const sources = Object.entries(
  import.meta.glob<string>(["./**/*.ts", "./**/*.tsx", "!./**/*.test.ts", "!./bindings/**"], {
    query: "?raw",
    import: "default",
    eager: true,
  }),
);

describe("translations", () => {
  const [en, ...others] = LANGUAGES;

  it("both languages have the same area files", () => {
    const areas = Object.keys(areasOf(en)).sort();
    expect(areas).toContain("vocabulary");
    expect(areas.length).toBeGreaterThan(4);
    for (const l of others) expect(Object.keys(areasOf(l)).sort()).toEqual(areas);
  });

  it("both languages have the same keys, each with the same placeholders, and none empty", () => {
    const want = leaves(resourcesOf(en));
    expect(want.size).toBeGreaterThan(300);
    for (const l of others) {
      const have = leaves(resourcesOf(l));
      expect([...have.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [key, text] of want) {
        expect(placeholders(have.get(key)!), `${l} ${key}`).toEqual(placeholders(text));
        expect(have.get(key)!.trim(), `${l} ${key}`).not.toBe("");
      }
    }
  });

  it("no area repeats another's top-level key", () => {
    for (const l of LANGUAGES) {
      const seen = new Map<string, string>();
      for (const [area, tree] of Object.entries(areasOf(l))) {
        if (area === "vocabulary") continue;
        for (const key of Object.keys(tree)) {
          expect(seen.get(key), `${l}: ${key} is in ${seen.get(key)} and ${area}`).toBeUndefined();
          seen.set(key, area);
        }
      }
    }
  });

  it("names every event type and verification result the Rust enums list", () => {
    for (const l of LANGUAGES) {
      const r = resourcesOf(l);
      for (const { code } of EVENT_TYPES) expect(typeof lookup(r, `vocabulary.eventType.${code}`), `${l} ${code}`).toBe("string");
      for (const v of [...VERIFY_RESULTS, "invalid"]) expect(typeof lookup(r, `vocabulary.verify.${v}`), `${l} ${v}`).toBe("string");
    }
  });

  it("every key the code names exists", () => {
    const r = resourcesOf(en);
    expect(sources.length).toBeGreaterThan(10);
    let named = 0;
    for (const [file, text] of sources) {
      for (const m of text.matchAll(/\bt\(\s*"([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)+)"/g)) {
        const key = m[1];
        const found = lookup(r, key) ?? lookup(r, `${key}_one`) ?? lookup(r, `${key}_other`);
        expect(typeof found, `${file}: t("${key}")`).toBe("string");
        named++;
      }
      // A key built at run time (`inspector.tab.${x}`): its prefix must be a group of keys.
      for (const m of text.matchAll(/\bt\(\s*`([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)\.\$\{/g)) {
        expect(typeof lookup(r, m[1]), `${file}: t(\`${m[1]}.\${…}\`)`).toBe("object");
      }
    }
    expect(named).toBeGreaterThan(200);
  });
});
