// The console's template rules, as the user types. The same rules live in Rust (tencent-live's
// validate.rs), which also checks everything before sending; validation.cases.json is run through both.
import type { Field, TemplateFields } from "./bindings";
import { EVENT_TYPES } from "./bindings/vocabulary";

export type Problem =
  | { kind: "required" }
  | { kind: "tooLong"; max: number; actual: number }
  | { kind: "badChars"; chars: string }
  | { kind: "keyChars"; chars: string }
  | { kind: "notHttpUrl" }
  | { kind: "noUrl" }
  | { kind: "badLevel"; level: string };

export type FieldProblem = { field: Field; problem: Problem };

/** The template's callback URL fields, one per event type that has one, in the console's order. */
export const URL_FIELDS = EVENT_TYPES.flatMap((e) => (e.field === null ? [] : [e.field]));

export type UrlField = NonNullable<(typeof EVENT_TYPES)[number]["field"]>;
export const LEVELS = ["error", "warning"] as const;

const CHINESE = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[\u{20000}-\u{2ebef}]/u;

function nameChar(c: string): boolean {
  return /^[A-Za-z0-9_-]$/.test(c) || CHINESE.test(c);
}

function offending(s: string, ok: (c: string) => boolean): string | null {
  const bad: string[] = [];
  for (const c of s) {
    if (!ok(c) && !bad.includes(c)) bad.push(c);
  }
  return bad.length ? bad.map((c) => (/\s/.test(c) ? JSON.stringify(c) : c)).join(" ") : null;
}

export function isHttpUrl(s: string): boolean {
  if (s.trim() !== s) return false;
  const m = /^(https?):\/\/([^/?#]*)/i.exec(s);
  if (!m || m[2] === "") return false;
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
}

function text(out: FieldProblem[], field: Field, value: string, max: number) {
  const n = [...value].length;
  if (n > max) out.push({ field, problem: { kind: "tooLong", max, actual: n } });
  const chars = offending(value, nameChar);
  if (chars) out.push({ field, problem: { kind: "badChars", chars } });
}

/** Problems with `f`; `create` requires a name and at least one URL. */
export function validateTemplate(f: TemplateFields, create: boolean): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (f.TemplateName === null ? create : f.TemplateName === "") {
    out.push({ field: "TemplateName", problem: { kind: "required" } });
  } else if (f.TemplateName !== null) {
    text(out, "TemplateName", f.TemplateName, 30);
  }
  if (f.Description !== null) text(out, "Description", f.Description, 100);
  if (f.CallbackKey !== null) {
    const n = [...f.CallbackKey].length;
    if (n > 32) out.push({ field: "CallbackKey", problem: { kind: "tooLong", max: 32, actual: n } });
    const chars = offending(f.CallbackKey, (c) => /^[A-Za-z0-9]$/.test(c));
    if (chars) out.push({ field: "CallbackKey", problem: { kind: "keyChars", chars } });
  }
  for (const field of URL_FIELDS) {
    const v = f[field];
    if (v && !isHttpUrl(v)) out.push({ field, problem: { kind: "notHttpUrl" } });
  }
  if (create && !URL_FIELDS.some((k) => f[k])) out.push({ field: "Template", problem: { kind: "noUrl" } });
  for (const level of f.RecordExceptionLevels ?? []) {
    if (!(LEVELS as readonly string[]).includes(level)) {
      out.push({ field: "RecordExceptionLevels", problem: { kind: "badLevel", level } });
    }
  }
  return out;
}
