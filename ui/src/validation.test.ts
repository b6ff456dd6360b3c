import { describe, expect, it } from "vitest";
import { emptyFields } from "./backend/api";
import cases from "./validation.cases.json";
import generated from "./validation.generated.json";
import type { TemplateFields } from "./bindings";
import { isHttpUrl, validateTemplate } from "./validation";

describe("the console's template rules", () => {
  for (const c of cases) {
    it(c.note, () => {
      const fields: TemplateFields = { ...emptyFields(), ...(c.fields as Partial<TemplateFields>) };
      expect(validateTemplate(fields, true).map((p) => p.field)).toEqual(c.errors);
    });
  }

  it("agrees with the Rust rules on 400 generated cases", () => {
    const disagree = generated.filter((c) => {
      const fields: TemplateFields = { ...emptyFields(), ...(c.fields as Partial<TemplateFields>) };
      const got = [...new Set(validateTemplate(fields, true).map((p) => p.field as string))].sort();
      return JSON.stringify(got) !== JSON.stringify(c.errors);
    });
    expect(generated.length).toBe(400);
    expect(disagree.slice(0, 3)).toEqual([]);
  });

  // `make fuzz` writes fresh cases from a random seed, with the Rust verdicts, and names the file here.
  const fuzzed: string | undefined = import.meta.env.VALIDATION_CASES_FILE;
  it.runIf(fuzzed)("agrees with the Rust rules on the cases make fuzz generated", async () => {
    const fresh = ((await import(/* @vite-ignore */ fuzzed as string)) as { default: { fields: object; errors: string[] }[] }).default;
    const disagree = fresh.filter((c) => {
      const fields: TemplateFields = { ...emptyFields(), ...(c.fields as Partial<TemplateFields>) };
      const got = [...new Set(validateTemplate(fields, true).map((p) => p.field as string))].sort();
      return JSON.stringify(got) !== JSON.stringify(c.errors);
    });
    console.log(`validation (UI): ${fresh.length} fresh cases checked, ${disagree.length} disagree`);
    expect(fresh.length).toBeGreaterThan(0);
    expect(disagree.slice(0, 3)).toEqual([]);
  });

  it("edits need no name or URL", () => {
    expect(validateTemplate({ ...emptyFields(), Description: "改" }, false)).toEqual([]);
    expect(validateTemplate({ ...emptyFields(), TemplateName: "" }, false).map((p) => p.field)).toEqual(["TemplateName"]);
  });

  it("reports lengths and characters", () => {
    const p = validateTemplate({ ...emptyFields(), TemplateName: "a b!", RecordNotifyUrl: "http://a.com" }, true);
    expect(p).toEqual([{ field: "TemplateName", problem: { kind: "badChars", chars: '" " !' } }]);
  });

  it("recognises http URLs", () => {
    expect(isHttpUrl("http://回调.中国/x")).toBe(true);
    expect(isHttpUrl("javascript:alert(1)")).toBe(false);
    expect(isHttpUrl("http:example.com")).toBe(false);
  });
});
