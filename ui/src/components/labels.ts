import type { TFunction } from "i18next";
import type { BindTarget, CallbackTemplate } from "../bindings";
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
  return t(`events.${field}`, { defaultValue: field });
}

export function problemText(t: TFunction, p: FieldProblem): string {
  const label = fieldLabel(t, p.field);
  const { kind, ...params } = p.problem;
  return t(`problems.${kind}`, { label, ...params });
}
