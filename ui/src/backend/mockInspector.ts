// The inspector half of the in-memory backend: a receiver that "stores" what the demo stream sends,
// with the shapes and rules of the Rust side (filters, paging, verification labels, live events).
import type { CallbackRule, CallbackTemplate, EventDetail, EventSummary, Filter, ForwardRecord, InspectorStatus, Live, Page, ResponseRule, Retention, SendResult, TimelineEntry } from "../bindings";
import type { Backend } from "./api";

type Stored = EventSummary & { body: Record<string, unknown> };

const NAMES: Record<number, [string, string]> = {
  1: ["Push started", "推流"],
  0: ["Stream interrupted", "断流"],
  100: ["Recording file", "录制文件"],
  200: ["Screenshot", "截图"],
  315: ["Audio audit", "音频审核"],
  317: ["Porn detection", "鉴黄"],
  321: ["Push exception", "推流异常"],
  332: ["Recording status", "录制状态"],
  341: ["Recording exception", "录制异常"],
  348: ["Live summary", "直播汇总"],
};

/** For the UI tests: fill the mock with `n` stored callbacks at once. */
export type MockInspectorSeed = { seedEvents(n: number): void };

type InspectorPart = MockInspectorSeed & Pick<
  Backend,
  | "inspectorStatus"
  | "inspectorStart"
  | "inspectorStop"
  | "inspectorRefreshKeys"
  | "inspectorAddKey"
  | "inspectorRemoveKey"
  | "inspectorSetRules"
  | "inspectorSetForward"
  | "inspectorSetRetention"
  | "inspectorEvents"
  | "inspectorDetail"
  | "inspectorTimeline"
  | "inspectorSubscribe"
  | "inspectorReplay"
  | "inspectorExport"
  | "inspectorSendTest"
  | "inspectorUseForTemplate"
  | "inspectorRestoreTemplate"
  | "inspectorTakenOver"
  | "demoPushStream"
>;

export function mockInspector(
  wait: <T>(v: T) => Promise<T>,
  fail: (kind: "validation" | "not_found" | "port_in_use" | "already_exists", message: string) => never,
  templates: () => CallbackTemplate[],
  rules: () => CallbackRule[],
): InspectorPart {
  let running = false;
  let port = 0;
  const events: Stored[] = [];
  const manual: { label: string; key: string }[] = [];
  const listeners = new Set<(l: Live) => void>();
  const forwarded = new Map<number, ForwardRecord[]>();
  const written = new Set<string>();
  const saved = new Map<number, Partial<CallbackTemplate>>();
  let forwardTo: string | null = null;
  let ruleSet: ResponseRule[] = [];
  let retention: Retention = { maxEvents: 500000, maxAgeDays: 30 };
  let pushes = 0;

  const keys = () => [
    ...templates()
      .filter((t) => t.CallbackKey)
      .map((t) => ({ label: `template ${t.TemplateId} (${t.TemplateName})`, key: t.CallbackKey, manual: false })),
    ...manual.map((m) => ({ ...m, manual: true })),
  ];
  const mask = (k: string) => (k.length > 8 ? `${k.slice(0, 4)}****${k.slice(-4)}` : "****");
  const status = (): InspectorStatus => ({
    running,
    address: running ? `http://127.0.0.1:${port}` : null,
    db: "/home/demo/.config/livehook/inspector/events.db",
    keys: keys().map((k) => ({ label: k.label, masked: mask(k.key), manual: k.manual })),
    rules: ruleSet,
    forwardTo,
    stored: events.length,
    retention,
    keysNote: null,
  });
  const need = () => {
    if (!running) fail("not_found", "The inspector is not running. Start it to receive and browse callbacks.");
  };
  const matches = (e: Stored, f: Filter) =>
    (f.eventType == null || e.eventType === f.eventType) &&
    (!f.streamId || e.streamId === f.streamId) &&
    (!f.domain || e.domain === f.domain) &&
    (!f.appName || e.appName === f.appName) &&
    (f.since == null || e.receivedAt >= f.since) &&
    (f.until == null || e.receivedAt < f.until) &&
    (!f.verify || (f.verify === "invalid" ? e.verify !== "valid" : e.verify === f.verify)) &&
    (!f.text || JSON.stringify(e.body).includes(f.text)) &&
    (f.ids == null || f.ids.includes(e.id)) &&
    (f.beforeId == null || e.id < f.beforeId);

  const receive = (path: string, body: Record<string, unknown>) => {
    const template = templates().find((t) => Object.values(t).some((v) => typeof v === "string" && v.endsWith(path)));
    const key = template?.CallbackKey ? `template ${template.TemplateId} (${template.TemplateName})` : null;
    const e: Stored = {
      id: events.length + 1,
      receivedAt: Date.now(),
      method: "POST",
      path,
      remote: "127.0.0.1:50412",
      bodySize: JSON.stringify(body).length,
      eventType: body.event_type as number,
      streamId: (body.stream_id as string) ?? null,
      domain: (body.app as string) ?? (body.domain as string) ?? null,
      appName: (body.appname as string) ?? null,
      sequence: (body.sequence as string) ?? null,
      verify: key ? "valid" : "bad_sign",
      keyLabel: key,
      attempt: 1,
      status: 200,
      body,
    };
    events.push(e);
    const { body: _omit, ...summary } = e;
    void _omit;
    for (const l of listeners) l({ kind: "received", event: summary });
    if (forwardTo) forward(forwardTo, e.id);
  };

  // The user's handler, simulated: an address on port 1 refuses, a path with "fail" answers 500.
  const forward = (url: string, eventId: number) =>
    void wait(null).then(() => {
      const refused = /:1\//.test(url);
      const record: ForwardRecord = {
        eventId,
        at: Date.now(),
        url,
        status: refused ? null : url.includes("fail") ? 500 : 200,
        answer: refused ? "" : url.includes("fail") ? '{"error":"handler failed"}' : '{"code":0}',
        error: refused ? "error sending request: connection refused" : null,
        elapsedMs: 4,
      };
      forwarded.set(eventId, [...(forwarded.get(eventId) ?? []), record]);
      for (const l of listeners) l({ kind: "forwarded", record });
    });

  const seedEvents = (n: number) => {
    const types = [1, 332, 200, 317, 0];
    const start = Date.now() - n * 10;
    for (let i = 0; i < n; i++) {
      const eventType = types[i % types.length];
      const body = { event_type: eventType, stream_id: `bulk${i % 500}`, app: "push.example.com", appname: "live", sequence: `s${i}` };
      events.push({
        id: events.length + 1,
        receivedAt: start + i * 10,
        method: "POST",
        path: "/bulk",
        remote: "127.0.0.1:50412",
        bodySize: 120,
        eventType,
        streamId: body.stream_id,
        domain: body.app,
        appName: body.appname,
        sequence: body.sequence,
        verify: i % 9 === 0 ? "bad_sign" : "valid",
        keyLabel: i % 9 === 0 ? null : "bulk",
        attempt: 1,
        status: 200,
        body,
      });
    }
  };

  const SLUG: Record<number, string> = { 1: "push", 0: "interruption", 100: "recording", 332: "recording-status", 200: "screenshot", 317: "porn-detection", 315: "audio-audit" };
  return {
    seedEvents,
    inspectorStatus: () => wait(status()),
    inspectorStart: async (p) => {
      if (p === 8921) fail("port_in_use", "port 8921 on 127.0.0.1 is in use; port 8922 is free");
      running = true;
      port = p || 43000 + Math.floor(Math.random() * 1000);
      return wait(status());
    },
    inspectorStop: async () => {
      running = false;
      listeners.clear();
      return wait(status());
    },
    inspectorRefreshKeys: () => wait(status()),
    inspectorAddKey: async (label, key) => {
      if (!label.trim() || !key) fail("validation", "A key needs a name and a value.");
      manual.push({ label, key });
      return wait(status());
    },
    inspectorRemoveKey: async (label) => {
      const i = manual.findIndex((m) => m.label === label);
      if (i >= 0) manual.splice(i, 1);
      return wait(status());
    },
    inspectorSetRules: async (r) => {
      need();
      ruleSet = r;
      return wait(status());
    },
    inspectorSetForward: async (url) => {
      need();
      const u = url?.trim() || null;
      if (u && !/^https?:\/\/[^/]/.test(u)) fail("validation", `"${u}" is not an http:// or https:// address with a host name.`);
      forwardTo = u;
      return wait(status());
    },
    inspectorSetRetention: async (r) => {
      retention = r;
      return wait(status());
    },
    inspectorEvents: async (f) => {
      need();
      const limit = f.limit ?? 100;
      const list = [...events].reverse().filter((e) => matches(e, f)).slice(0, limit);
      const items = list.map(({ body: _b, ...s }) => (void _b, s));
      return wait({ items, nextBeforeId: items.length === limit ? items[items.length - 1].id : null } satisfies Page);
    },
    inspectorDetail: async (id) => {
      need();
      const e = events.find((x) => x.id === id) ?? fail("not_found", `Callback ${id} is no longer stored.`);
      const { body, ...summary } = e;
      const text = JSON.stringify(body);
      const names = NAMES[e.eventType ?? -1];
      const d: EventDetail = {
        summary,
        query: "",
        headers: [
          ["content-type", "application/json"],
          ["content-length", String(text.length)],
          ["user-agent", "Tencent-Live-Callback"],
        ],
        bodyText: text,
        json: body,
        eventNameEn: names?.[0] ?? null,
        eventNameZh: names?.[1] ?? null,
        facts: [
          { en: "Stream", zh: "流名称", value: e.streamId ?? "", link: null, image: null },
          { en: "Domain", zh: "推流域名", value: e.domain ?? "", link: null, image: null },
        ],
        check: e.verify === "valid" ? { result: "valid", key: e.keyLabel!, expiresIn: 598 } : { result: "bad_sign" },
        steps: { t: body.t as number, receivedSign: body.sign as string, keyLabel: e.keyLabel, keyMasked: "live****7f3a", md5Input: `live****7f3a${String(body.t)}`, expectedSign: body.sign as string, expiresIn: 598, keysTried: keys().length },
        answer: { status: 200, delayMs: 0, body: '{"code":0}', rule: null },
        attempts: [summary],
        forwards: forwarded.get(id) ?? [],
        curl: `curl -X POST 'http://127.0.0.1:${port}${e.path}' \\\n  -H 'content-type: application/json' \\\n  --data-raw '${text}'`,
      };
      return wait(d);
    },
    inspectorTimeline: async (streamId, sequence) => {
      need();
      const list = events.filter((e) => e.streamId === streamId && (sequence === null || e.sequence === sequence));
      return wait(
        list.map(({ body: _b, ...s }, i): TimelineEntry => (void _b, { event: s, at: Math.floor(s.receivedAt / 1000), session: s.sequence, anomalies: i === 0 && s.eventType === 0 ? [{ kind: "interruptionWithoutPush" }] : [] })),
      );
    },
    inspectorSubscribe: async (onLive) => {
      need();
      listeners.add(onLive);
      return wait(undefined);
    },
    inspectorReplay: async (id, url) => {
      need();
      if (!/^https?:\/\/[^/]/.test(url)) fail("validation", `"${url}" is not an http:// or https:// URL`);
      const e = events.find((x) => x.id === id) ?? fail("not_found", `Callback ${id} is no longer stored.`);
      return wait({ url, attempt: 1, status: 200, answer: '{"code":0}', error: null, elapsedMs: 3, body: JSON.stringify(e.body) } satisfies SendResult);
    },
    inspectorExport: async (f, format, path, overwrite) => {
      need();
      if (!path.startsWith("/") || !path.endsWith(`.${format}`)) fail("validation", `Save to a full path ending in .${format}, such as /home/me/export.${format}; not ${path}.`);
      if (written.has(path) && !overwrite) fail("already_exists", `${path} already exists.`);
      written.add(path);
      return wait(events.filter((e) => matches(e, f)).length);
    },
    inspectorSendTest: async (eventType, url, _key, retries, onResult) => {
      if (!/^https?:\/\/[^/]/.test(url)) fail("validation", `"${url}" is not an http:// or https:// URL`);
      const out: SendResult[] = [];
      for (let attempt = 1; attempt <= (retries ? 3 : 1); attempt++) {
        const r = { url, attempt, status: attempt < 3 && retries ? 500 : 200, answer: "{}", error: null, elapsedMs: 5, body: JSON.stringify({ event_type: eventType }) };
        onResult(r);
        out.push(r);
        await wait(null);
      }
      return out;
    },
    inspectorUseForTemplate: async (templateId, base) => {
      const t = templates().find((x) => x.TemplateId === templateId) ?? fail("not_found", `The template ${templateId} does not exist.`);
      if (!saved.has(templateId)) saved.set(templateId, { ...t });
      const b = base.replace(/\/$/, "");
      t.StreamBeginNotifyUrl = `${b}/push`;
      t.StreamEndNotifyUrl = `${b}/interruption`;
      t.RecordNotifyUrl = `${b}/recording`;
      t.RecordStatusNotifyUrl = `${b}/recording-status`;
      t.SnapshotNotifyUrl = `${b}/screenshot`;
      t.PornCensorshipNotifyUrl = `${b}/porn-detection`;
      t.AudioAuditNotifyUrl = `${b}/audio-audit`;
      return wait(undefined);
    },
    inspectorRestoreTemplate: async (templateId) => {
      const before = saved.get(templateId) ?? fail("not_found", `LiveHook has no earlier URLs of template ${templateId} to restore.`);
      const t = templates().find((x) => x.TemplateId === templateId) ?? fail("not_found", `The template ${templateId} does not exist.`);
      Object.assign(t, { ...before, TemplateName: t.TemplateName, CallbackKey: t.CallbackKey });
      saved.delete(templateId);
      return wait(undefined);
    },
    inspectorTakenOver: () => wait([...saved.keys()]),
    demoPushStream: async (domain, appName, streamId) => {
      const rule = rules().find((r) => r.DomainName === domain && (r.AppName === "" || r.AppName === appName));
      const t = rule && templates().find((x) => x.TemplateId === rule.TemplateId);
      if (!t) return wait(undefined);
      const now = Math.floor(Date.now() / 1000);
      const common = { app: domain, appname: appName, stream_id: streamId, sequence: `${now}${String(++pushes).padStart(2, "0")}`, t: now + 600, sign: "9f86d081884c7d659a2feaa0c55ad015" };
      const plan: [number, Record<string, unknown>][] = [
        [1, { event_type: 1, errcode: 0 }],
        [332, { event_type: 332, record_event: "record_start_succeeded" }],
        [200, { event_type: 200, pic_url: "/snap.jpg" }],
        [317, { event_type: 317, suggestion: "block", score: 97 }],
        [0, { event_type: 0, errcode: 1 }],
      ];
      void (async () => {
        for (const [type, body] of plan) {
          await wait(null);
          const path = `/${SLUG[type] ?? "other"}`;
          if (Object.values(t).some((v) => typeof v === "string" && v.endsWith(path))) receive(path, { ...common, ...body });
        }
      })();
      return wait(undefined);
    },
  };
}
