// An in-memory backend for the UI in a plain browser (development and the UI tests). It keeps the
// service's rules that the screens depend on: validation, one rule per domain and AppName, no deleting
// a bound template, and errors shaped like the Rust side's AppError.
import type {
  AppError,
  BindTarget,
  CallbackRule,
  CallbackTemplate,
  DomainInfo,
  ImportItem,
  ImportResult,
  ProfileView,
  Status,
  TemplateFields,
  UiSettings,
} from "../bindings";
import { problemText } from "../components/labels";
import i18n from "../i18n";
import { validateTemplate, URL_FIELDS } from "../validation";
import { emptyFields, type Backend, type NewProfile } from "./api";
import { mockInspector } from "./mockInspector";

function fail(kind: AppError["kind"], message: string, code: string | null = null): never {
  throw { kind, message, code, requestId: code ? crypto.randomUUID() : null, fields: [] } satisfies AppError;
}

function now(): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  return d.toISOString().replace("T", " ").slice(0, 19);
}

function domain(name: string): DomainInfo {
  return {
    Name: name,
    Type: 0,
    Status: 1,
    CreateTime: "2024-05-01 10:00:00",
    BCName: 1,
    TargetDomain: `${name}.tlivepush.com`,
    PlayType: 0,
    IsDelayLive: 0,
    CurrentCName: `${name}.tlivepush.com.`,
    RentTag: 0,
    RentExpireTime: "0000-00-00 00:00:00",
    IsMiniProgramLive: 0,
  };
}

function blank(id: number): CallbackTemplate {
  return {
    TemplateId: id,
    TemplateName: "",
    Description: "",
    StreamBeginNotifyUrl: "",
    StreamMixNotifyUrl: "",
    StreamEndNotifyUrl: "",
    RecordNotifyUrl: "",
    RecordStatusNotifyUrl: "",
    SnapshotNotifyUrl: "",
    PornCensorshipNotifyUrl: "",
    CallbackKey: "",
    PushExceptionNotifyUrl: "",
    AudioAuditNotifyUrl: "",
    RecordExceptionNotifyUrl: "",
    RecordExceptionLevels: [],
  };
}

export function createMockBackend(delayMs = 60): Backend {
  const templates = new Map<number, CallbackTemplate>();
  let rules: CallbackRule[] = [];
  let nextId = 1000;
  const domains = ["1250000000.livepush.myqcloud.com", "push.example.com", "push2.example.com"].map(domain);
  const profiles: (ProfileView & { secretId: string })[] = [];
  let active: string | null = null;
  let ui: UiSettings = { language: null, theme: null };
  const wait = <T>(v: T) => new Promise<T>((r) => setTimeout(() => r(v), delayMs));

  const status = (): Status => ({
    demo: active === null,
    activeProfile: active,
    endpoint: active ? profiles.find((p) => p.name === active)!.endpoint : "http://127.0.0.1:43210",
    profiles: profiles.map((p) => ({
      name: p.name,
      secretIdMasked: p.secretIdMasked,
      endpoint: p.endpoint,
      language: p.language,
      hasSecret: p.hasSecret,
      hasToken: p.hasToken,
      active: p.name === active,
    })),
  });

  const apply = (t: CallbackTemplate, f: TemplateFields) => {
    for (const [k, v] of Object.entries(f)) {
      if (v !== null && v !== undefined) (t as Record<string, unknown>)[k] = v;
    }
  };

  const rows = () =>
    [...templates.values()].map((template) => ({
      template,
      bindings: rules.filter((r) => r.TemplateId === template.TemplateId),
    }));

  const files = new Map<string, string>();
  const exported = (t: CallbackTemplate, withKeys: boolean): TemplateFields => {
    const f = { ...t } as Partial<CallbackTemplate>;
    delete f.TemplateId;
    delete f.StreamMixNotifyUrl;
    if (!withKeys) delete f.CallbackKey;
    return f as TemplateFields;
  };
  const keys = Object.keys(exported(blank(0), true)) as (keyof TemplateFields)[];

  const backend: Backend = {
    appStatus: () => wait(status()),
    useDemo: async () => {
      active = null;
      return wait(status());
    },
    addProfile: async (p: NewProfile) => {
      if (!p.name.trim()) fail("validation", "a profile name is 1–64 characters");
      if (profiles.some((x) => x.name === p.name)) fail("already_exists", `a profile named "${p.name}" already exists`);
      if (!p.secretKey.trim()) fail("validation", "the SecretKey must not be empty");
      const view = {
        name: p.name,
        secretId: p.secretId,
        secretIdMasked: p.secretId.length > 8 ? `${p.secretId.slice(0, 4)}****${p.secretId.slice(-4)}` : "****",
        endpoint: p.endpoint || "https://live.tencentcloudapi.com",
        language: p.language ?? null,
        hasSecret: true,
        hasToken: !!p.sessionToken,
        active: false,
      };
      profiles.push(view);
      active ??= p.name;
      return wait({ ...view, active: active === p.name });
    },
    updateProfile: async (name, changes) => {
      const p = profiles.find((x) => x.name === name) ?? fail("not_found", `there is no profile named "${name}"`);
      if (changes.endpoint) p.endpoint = changes.endpoint;
      if (changes.sessionToken !== undefined) p.hasToken = !!changes.sessionToken;
      return wait({ ...p, active: active === name });
    },
    renameProfile: async (from, to) => {
      const p = profiles.find((x) => x.name === from) ?? fail("not_found", `there is no profile named "${from}"`);
      p.name = to;
      if (active === from) active = to;
      return wait(undefined);
    },
    deleteProfile: async (name) => {
      const i = profiles.findIndex((x) => x.name === name);
      if (i < 0) fail("not_found", `there is no profile named "${name}"`);
      profiles.splice(i, 1);
      if (active === name) active = profiles[0]?.name ?? null;
      return wait(undefined);
    },
    activateProfile: async (name) => {
      active = name;
      return wait(status());
    },
    testConnection: async (name) => {
      const p = profiles.find((x) => x.name === name) ?? fail("not_found", `there is no profile named "${name}"`);
      if (p.secretId.startsWith("AKIDbad")) {
        return wait({
          ok: false,
          templates: 0,
          clockOffset: 0,
          error: {
            kind: "auth",
            message: "DescribeLiveCallbackTemplates failed: AuthFailure.SecretIdNotFound: The SecretId is not found",
            code: "AuthFailure.SecretIdNotFound",
            requestId: "f3c1c0de-0000-4000-8000-000000000001",
            fields: [],
          },
        });
      }
      return wait({ ok: true, templates: templates.size, clockOffset: 0, error: null });
    },
    listTemplates: () => wait(rows()),
    createTemplate: async (f) => {
      const problems = validateTemplate(f, true);
      if (problems.length) fail("validation", `invalid: ${problems.map((p) => p.field).join(", ")}`);
      const id = nextId++;
      const t = blank(id);
      apply(t, f);
      templates.set(id, t);
      return wait(id);
    },
    updateTemplate: async (id, changes) => {
      const t = templates.get(id) ?? fail("not_found", `The template ${id} does not exist.`, "InternalError.ConfNotFound");
      const merged = { ...t };
      apply(merged, changes);
      if (!URL_FIELDS.some((k) => merged[k])) fail("validation", "At least one callback URL must remain set.");
      apply(t, changes);
      return wait(undefined);
    },
    deleteTemplate: async (id) => {
      if (!templates.has(id)) fail("not_found", `The template ${id} does not exist.`, "InternalError.ConfNotFound");
      if (rules.some((r) => r.TemplateId === id)) {
        fail("in_use", "The template is in use; unbind it first.", "FailedOperation.ConfInUsed");
      }
      templates.delete(id);
      return wait(undefined);
    },
    unbindAndDeleteTemplate: async (id, onStep) => {
      const mine = rules.filter((r) => r.TemplateId === id);
      for (const [i, r] of mine.entries()) {
        const target = { domain: r.DomainName, appName: r.AppName };
        onStep({ step: "unbinding", target, index: i + 1, total: mine.length });
        await wait(null);
        rules = rules.filter((x) => x !== r);
        onStep({ step: "unbound", target });
      }
      onStep({ step: "deleting" });
      await backend.deleteTemplate(id);
      onStep({ step: "deleted" });
    },
    listDomains: () =>
      wait(domains.map((d) => ({ domain: d, rules: rules.filter((r) => r.DomainName === d.Name) }))),
    bindDomains: async (templateId, targets: BindTarget[]) => {
      const out = [];
      for (const target of targets) {
        await wait(null);
        if (!domains.some((d) => d.Name === target.domain)) {
          out.push({ target, ok: false, error: { kind: "not_found" as const, message: `The domain ${target.domain} does not exist.`, code: "ResourceNotFound.DomainNotExist", requestId: crypto.randomUUID(), fields: [] } });
        } else if (rules.some((r) => r.DomainName === target.domain && r.AppName === target.appName)) {
          out.push({ target, ok: false, error: { kind: "already_exists" as const, message: `A callback rule for ${target.domain} already exists; delete it first.`, code: "InternalError.RuleAlreadyExist", requestId: crypto.randomUUID(), fields: [] } });
        } else {
          const t = now();
          rules.push({ CreateTime: t, UpdateTime: t, TemplateId: templateId, DomainName: target.domain, AppName: target.appName });
          out.push({ target, ok: true, error: null });
        }
      }
      return out;
    },
    unbindDomains: async (targets) => {
      const out = [];
      for (const target of targets) {
        await wait(null);
        const before = rules.length;
        rules = rules.filter((r) => !(r.DomainName === target.domain && r.AppName === target.appName));
        out.push(
          rules.length < before
            ? { target, ok: true, error: null }
            : { target, ok: false, error: { kind: "not_found" as const, message: "No callback rule exists.", code: "FailedOperation.NotFound", requestId: crypto.randomUUID(), fields: [] } },
        );
      }
      return out;
    },
    exportTemplates: (ids, withKeys) => {
      const list = [...templates.values()].filter((t) => !ids || ids.includes(t.TemplateId));
      const doc = {
        format: "livehook.callback-templates",
        version: 1,
        exportedAt: new Date().toISOString().slice(0, 19) + "Z",
        withKeys,
        templates: list.map((t) => exported(t, withKeys)),
      };
      return wait(JSON.stringify(doc, null, 2) + "\n");
    },
    defaultExportDir: () => wait("/home/demo/Downloads"),
    saveExport: async (path, text, overwrite) => {
      if (!path.startsWith("/") || !path.endsWith(".json")) fail("validation", `Save to a full path ending in .json; not ${path}.`);
      if (files.has(path) && !overwrite) fail("already_exists", `${path} already exists.`);
      files.set(path, text);
      return wait(undefined);
    },
    planImport: async (text) => {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        fail("validation", `This file is not JSON (${String(e)}). Choose a file exported by LiveHook.`);
      }
      const d = doc as { format?: string; withKeys?: boolean; templates?: TemplateFields[] };
      if (!Array.isArray(doc) && d.format !== "livehook.callback-templates") fail("validation", "This file was not exported by LiveHook.");
      const entries = Array.isArray(doc) ? (doc as TemplateFields[]) : (d.templates ?? []);
      const seen = new Set<string>();
      const items: ImportItem[] = entries.map((given, index) => {
        const f = { ...emptyFields(), ...given };
        const name = f.TemplateName ?? "";
        const item: ImportItem = { index, name, step: null, changed: [], existingId: null, error: null };
        const problems = validateTemplate(f, true);
        const current = [...templates.values()].find((t) => t.TemplateName === name);
        if (seen.has(name)) {
          item.error = { kind: "validation", message: `"${name}" appears twice in this file; keep one of them.`, code: null, requestId: null, fields: [] };
        } else if (problems.length) {
          item.error = { kind: "validation", message: "invalid", code: null, requestId: null, fields: problems.map((p) => ({ field: p.field, en: problemText(i18n.getFixedT("en-US"), p), zh: problemText(i18n.getFixedT("zh-CN"), p) })) };
        } else if (!current) {
          item.step = { action: "create", fields: f };
        } else {
          item.existingId = current.TemplateId;
          const changes: Record<string, unknown> = {};
          for (const k of keys) {
            if (f[k] != null && JSON.stringify(f[k]) !== JSON.stringify(current[k])) {
              changes[k] = f[k];
              item.changed.push(k);
            }
          }
          if (item.changed.length) item.step = { action: "update", id: current.TemplateId, changes: { ...emptyFields(), ...changes } };
        }
        seen.add(name);
        return item;
      });
      return wait({ items, withKeys: Array.isArray(doc) || !!d.withKeys });
    },
    applyImport: async (steps, onResult) => {
      const out: ImportResult[] = [];
      for (const { index, name, step } of steps) {
        let r: ImportResult;
        try {
          const id = step.action === "create" ? await backend.createTemplate(step.fields) : (await backend.updateTemplate(step.id, step.changes), step.id);
          r = { index, name, ok: true, id, error: null };
        } catch (e) {
          r = { index, name, ok: false, id: null, error: e as AppError };
        }
        onResult(r);
        out.push(r);
      }
      return out;
    },
    ...mockInspector(
      wait,
      (kind, message) => fail(kind, message),
      () => [...templates.values()],
      () => rules,
    ),
    getUiSettings: () => wait(ui),
    setUiSettings: async (next) => {
      ui = next;
      return wait(undefined);
    },
  };
  return backend;
}
