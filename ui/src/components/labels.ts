import type { TFunction } from "i18next";
import type { BindTarget, CallbackTemplate, Verify } from "../bindings";
import { EVENT_TYPES } from "../bindings/vocabulary";
import type { FieldProblem } from "../validation";
import { URL_FIELDS, type UrlField } from "../validation";

export function configuredEvents(t: CallbackTemplate): UrlField[] {
  return URL_FIELDS.filter((f) => t[f]);
}

export function targetLabel(target: BindTarget): string {
  return target.appName ? `${target.domain}/${target.appName}` : target.domain;
}

export function fieldLabel(t: TFunction, field: string): string {
  if (field in { TemplateName: 1, Description: 1, CallbackKey: 1 }) return t(`form.${field}`);
  if (field === "RecordExceptionLevels") return t("form.levels");
  const event = EVENT_TYPES.find((e) => e.field === field);
  return event ? eventTypeName(t, event.code) : field;
}

/** An event type's name (from the Rust enum's vocabulary); an unknown code as itself, none as "—". */
export function eventTypeName(t: TFunction, code: number | null | undefined): string {
  if (code == null) return t("common.none");
  return t(`vocabulary.eventType.${code}`, { defaultValue: String(code) });
}

/** A verification result's name, or the name of "invalid" (every result but valid). */
export function verifyName(t: TFunction, v: Verify | "invalid"): string {
  return t(`vocabulary.verify.${v}`);
}

export function problemText(t: TFunction, p: FieldProblem): string {
  const label = fieldLabel(t, p.field);
  const { kind, ...params } = p.problem;
  return t(`problems.${kind}`, { label, ...params });
}
