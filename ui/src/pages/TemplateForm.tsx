import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Checkbox, Divider, Input, MessagePlugin, Textarea } from "tdesign-react";
import { Space } from "../components/Space";
import { Drawer } from "../components/modal";
import { Button } from "../components/Button";
import { asAppError, backend, emptyFields } from "../backend";
import type { AppError, CallbackTemplate, TemplateFields } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { Field } from "../components/Field";
import { fieldLabel, problemText } from "../components/labels";
import { LEVELS, URL_FIELDS, validateTemplate, type UrlField } from "../validation";

/** The error callbacks get their own section; every other URL is a standard callback. */
const ERROR_CALLBACKS: UrlField[] = ["PushExceptionNotifyUrl", "RecordExceptionNotifyUrl"];
const STANDARD = URL_FIELDS.filter((f) => !ERROR_CALLBACKS.includes(f));

/** The levels as the form shows them: a template with none reports errors, as the console does. */
function levelsShown(levels: string[]): string[] {
  return levels.length ? [...levels].sort() : ["error"];
}

type Draft = Record<"TemplateName" | "Description" | "CallbackKey" | UrlField, string> & { levels: string[] };

function draftOf(t?: CallbackTemplate): Draft {
  const d = { TemplateName: "", Description: "", CallbackKey: "", levels: ["error"] } as Draft;
  for (const f of URL_FIELDS) d[f] = "";
  if (t) {
    d.TemplateName = t.TemplateName;
    d.Description = t.Description;
    d.CallbackKey = t.CallbackKey;
    for (const f of URL_FIELDS) d[f] = t[f] ?? "";
    d.levels = levelsShown(t.RecordExceptionLevels);
  }
  return d;
}

/** The fields to send: everything for a create, only what changed for an edit ("" clears a URL). */
function fieldsOf(d: Draft, original?: CallbackTemplate): TemplateFields {
  const f = emptyFields();
  const set = <K extends keyof TemplateFields>(k: K, v: TemplateFields[K], before: TemplateFields[K] | undefined) => {
    if (!original || JSON.stringify(v) !== JSON.stringify(before)) f[k] = v;
  };
  const text = (v: string) => (original ? v : v || null);
  set("TemplateName", original ? d.TemplateName : d.TemplateName || null, original?.TemplateName);
  set("Description", text(d.Description), original?.Description);
  set("CallbackKey", text(d.CallbackKey), original?.CallbackKey);
  for (const k of URL_FIELDS) set(k, text(d[k].trim()), original?.[k]);
  if (d.RecordExceptionNotifyUrl || original) {
    const levels = [...d.levels].sort();
    set("RecordExceptionLevels", levels, original ? levelsShown(original.RecordExceptionLevels) : undefined);
  }
  return f;
}

/** True when an edit changes nothing, so nothing is sent. */
function unchanged(f: TemplateFields): boolean {
  return Object.values(f).every((v) => v === null);
}

function randomKey(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
}

export function TemplateForm(props: {
  template?: CallbackTemplate;
  onClose: () => void;
  /** After a save: the template as it now is (the backend's answer), and whether it was created. */
  onSaved: (template: CallbackTemplate, created: boolean) => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(() => draftOf(props.template));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [showKey, setShowKey] = useState(!props.template);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const editing = !!props.template;

  // The whole template as it would be after saving, checked with the console's rules as the user types.
  const problems = useMemo(() => {
    const whole = fieldsOf(draft);
    if (editing) whole.TemplateName = draft.TemplateName;
    return validateTemplate(whole, true);
  }, [draft, editing]);
  const show = (field: string) => submitted || touched.has(field);
  const messageFor = (field: string) =>
    problems
      .filter((p) => p.field === field)
      .map((p) => problemText(t, p))
      .join(" ");

  const set = (k: keyof Draft) => (v: string | string[]) => {
    setDraft((d) => ({ ...d, [k]: v }));
    setTouched((s) => new Set(s).add(k));
  };

  const save = async () => {
    setSubmitted(true);
    setError(null);
    if (problems.length) return;
    setSaving(true);
    try {
      if (props.template) {
        const changes = fieldsOf(draft, props.template);
        if (unchanged(changes)) {
          void MessagePlugin.info(t("form.noChanges"));
          props.onClose();
          return;
        }
        props.onSaved(await backend.updateTemplate(props.template.TemplateId, changes), false);
      } else {
        props.onSaved((await backend.createTemplate(fieldsOf(draft))).template, true);
      }
    } catch (e) {
      setError(asAppError(e));
    } finally {
      setSaving(false);
    }
  };

  const item = (field: keyof Draft, input: React.ReactNode, help?: string) => {
    const msg = show(field) ? messageFor(field) : "";
    return (
      <Field
        label={fieldLabel(t, field)}
        error={msg || undefined}
        help={help}
        required={field === "TemplateName"}
        testid={`form-${field}`}
      >
        {input}
      </Field>
    );
  };

  const url = (field: UrlField) =>
    item(
      field,
      <Input
        value={draft[field]}
        onChange={(v) => set(field)(String(v))}
        placeholder={t("form.urlPlaceholder")}
        data-testid={`field-${field}`}
        clearable
      />,
    );

  const noUrl = submitted && problems.some((p) => p.field === "Template");

  return (
    <Drawer
      visible
      size="620px"
      header={editing ? t("form.editTitle", { name: props.template?.TemplateName }) : t("form.createTitle")}
      onClose={props.onClose}
      closeOnOverlayClick={false}
      footer={
        <Space>
          <Button theme="primary" loading={saving} onClick={save} data-testid="form-save">
            {editing ? t("common.save") : t("common.create")}
          </Button>
          <Button variant="outline" onClick={props.onClose}>
            {t("common.cancel")}
          </Button>
        </Space>
      }
    >
      <div data-testid="template-form">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {error && <ErrorNotice error={error} />}
        {submitted && problems.length > 0 && (
          <p className="form-hint-error" data-testid="form-invalid">
            {noUrl ? t("form.needOneUrl") : t("form.fixErrors")}
          </p>
        )}
        <Divider align="left">{t("form.basic")}</Divider>
        {item(
          "TemplateName",
          <Input value={draft.TemplateName} onChange={(v) => set("TemplateName")(String(v))} placeholder={t("form.namePlaceholder")} data-testid="field-TemplateName" />,
        )}
        {item("Description", <Textarea value={draft.Description} onChange={(v) => set("Description")(String(v))} placeholder={t("form.descriptionPlaceholder")} data-testid="field-Description" autosize />)}
        {item(
          "CallbackKey",
          <Space size="small">
            <Input
              type={showKey ? "text" : "password"}
              value={draft.CallbackKey}
              onChange={(v) => set("CallbackKey")(String(v))}
              placeholder={t("form.keyPlaceholder")}
              data-testid="field-CallbackKey"
              style={{ width: 330 }}
            />
            <Button variant="outline" onClick={() => setShowKey(!showKey)}>
              {showKey ? t("form.hide") : t("form.show")}
            </Button>
            <Button variant="outline" onClick={() => set("CallbackKey")(randomKey())} data-testid="generate-key">
              {t("form.generate")}
            </Button>
          </Space>,
          t("form.keyHint"),
        )}
        <Divider align="left">{t("form.standard")}</Divider>
        {STANDARD.map(url)}
        <Divider align="left">{t("form.errors")}</Divider>
        {ERROR_CALLBACKS.map(url)}
        <Field label={t("form.levels")} help={t("form.levelsHelp")} testid="form-levels">
          <Checkbox.Group
            data-testid="field-levels"
            value={draft.levels}
            onChange={(v) => set("levels")((v as string[]).length ? (v as string[]) : ["error"])}
            disabled={!draft.RecordExceptionNotifyUrl}
            options={[...new Set([...LEVELS, ...draft.levels])].map((value) => ({
              label: t(`form.level_${value}`, { defaultValue: value }),
              value,
            }))}
          />
        </Field>
      </form>
      </div>
    </Drawer>
  );
}
