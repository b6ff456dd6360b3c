import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useStatus, useTemplates } from "../queries";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Button, Checkbox, DateRangePicker, Dialog, Input, Link, MessagePlugin, Radio, Select, Space, Tabs, Tag, Textarea } from "tdesign-react";
import { PauseCircleIcon, PlayCircleIcon, SearchIcon } from "tdesign-icons-react";
import { asAppError, backend, emptyFilter, isWebUrl, openExternal } from "../backend";
import type { AppError, EventDetail, EventSummary, Filter, ForwardRecord, Format, SendResult, TimelineEntry, Verify } from "../bindings";
import { EVENT_TYPES, VERIFY_RESULTS } from "../bindings/vocabulary";
import { eventTypeName, verifyName } from "../components/labels";
import { copyText } from "../components/copy";
import { ErrorNotice } from "../components/ErrorNotice";
import { Picture } from "../components/Picture";
import { JsonTree } from "../components/JsonTree";
import { ReplaceFileDialog, SavePathField } from "../components/SaveFile";
import { InspectorSettings } from "./InspectorSettings";

const ROW = 44;
/** The verification filter's choices: valid, then "invalid" (every other result), then each other result. */
const VERIFY_CHOICES = ["valid", "invalid", ...VERIFY_RESULTS.filter((v) => v !== "valid")] as const;

function time(ms: number): string {
  const d = new Date(ms);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

function verifyTheme(v: Verify): "success" | "danger" | "warning" | "default" {
  if (v === "valid") return "success";
  if (v === "bad_sign" || v === "malformed" || v === "too_large") return "danger";
  if (v === "unsigned") return "default";
  return "warning";
}

/** `rows` (newest first) with `e` in its place: arrivals committed together may be announced out of
 *  id order, and one may already be in a page that was read while it arrived. */
function withArrival(rows: EventSummary[], e: EventSummary): EventSummary[] {
  let i = 0;
  while (i < rows.length && rows[i].id > e.id) i++;
  if (rows[i]?.id === e.id) return rows;
  return [...rows.slice(0, i), e, ...rows.slice(i)];
}

/** A list that renders only the rows in view, so 100 000 callbacks scroll as smoothly as 100. */
function VirtualList(props: {
  rows: EventSummary[];
  selected: number | null;
  onSelect: (id: number) => void;
  /** Hand-picked rows (for export): Ctrl/⌘-click or Space toggles one, Shift-click picks a range. */
  picked: Set<number>;
  onPick: (ids: number[], on: boolean) => void;
  onEnd: () => void;
  render: (e: EventSummary) => React.ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(top / ROW) - 10);
  const last = Math.min(props.rows.length, Math.ceil((top + height) / ROW) + 10);
  const index = props.rows.findIndex((r) => r.id === props.selected);
  const anchor = useRef<number | null>(null);

  const click = (e: React.MouseEvent, id: number) => {
    if (e.shiftKey && anchor.current !== null) {
      const a = props.rows.findIndex((r) => r.id === anchor.current);
      const b = props.rows.findIndex((r) => r.id === id);
      if (a >= 0 && b >= 0) {
        props.onPick(props.rows.slice(Math.min(a, b), Math.max(a, b) + 1).map((r) => r.id), true);
        return;
      }
    }
    anchor.current = id;
    if (e.ctrlKey || e.metaKey) props.onPick([id], !props.picked.has(id));
    else props.onSelect(id);
  };

  const move = (delta: number) => {
    const next = Math.min(props.rows.length - 1, Math.max(0, (index < 0 ? -1 : index) + delta));
    const row = props.rows[next];
    if (!row) return;
    props.onSelect(row.id);
    const el = box.current;
    if (el) {
      if (next * ROW < el.scrollTop) el.scrollTop = next * ROW;
      else if ((next + 1) * ROW > el.scrollTop + el.clientHeight) el.scrollTop = (next + 1) * ROW - el.clientHeight;
    }
  };

  return (
    <div
      ref={box}
      className="vlist"
      tabIndex={0}
      role="listbox"
      data-testid="event-list"
      onScroll={(e) => {
        const el = e.currentTarget;
        setTop(el.scrollTop);
        if (el.scrollTop + el.clientHeight > el.scrollHeight - ROW * 20) props.onEnd();
      }}
      onKeyDown={(e) => {
        if (e.key === "ArrowDown" || e.key === "j") move(1);
        else if (e.key === "ArrowUp" || e.key === "k") move(-1);
        else if (e.key === "Home") move(-props.rows.length);
        else if (e.key === "End") move(props.rows.length);
        else if (e.key === " " && props.selected !== null) props.onPick([props.selected], !props.picked.has(props.selected));
        else return;
        e.preventDefault();
      }}
    >
      <div style={{ height: props.rows.length * ROW, position: "relative" }}>
        {props.rows.slice(first, last).map((r, i) => (
          <div
            key={r.id}
            role="option"
            aria-selected={r.id === props.selected}
            className={`vrow${r.id === props.selected ? " selected" : ""}${props.picked.has(r.id) ? " picked" : ""}`}
            style={{ top: (first + i) * ROW, height: ROW }}
            onClick={(e) => click(e, r.id)}
            data-testid={`event-${r.id}`}
          >
            <input
              type="checkbox"
              className="vpick"
              checked={props.picked.has(r.id)}
              onClick={(e) => e.stopPropagation()}
              onChange={(e) => {
                anchor.current = r.id;
                props.onPick([r.id], e.currentTarget.checked);
              }}
              aria-label={`pick ${r.id}`}
              tabIndex={-1}
              data-testid={`pick-${r.id}`}
            />
            {props.render(r)}
          </div>
        ))}
      </div>
    </div>
  );
}

function Detail({ id, base }: { id: number; base: string }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith("zh");
  const q = useQuery({ queryKey: ["inspector-detail", id], queryFn: () => backend.inspectorDetail(id) });
  // null: the address the callback came to, on this inspector (shown in the field, not as a hint).
  const [replayUrl, setReplayUrl] = useState<string | null>(null);
  const [resign, setResign] = useState(false);
  const [editing, setEditing] = useState(false);
  const [edited, setEdited] = useState("");
  const [replayed, setReplayed] = useState<SendResult | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const d: EventDetail | undefined = q.data;
  // The timeline shows this callback's push session by default; the whole stream on request.
  const [wholeStream, setWholeStream] = useState(false);
  const session = wholeStream ? null : id;
  // How many callbacks the timeline reads: null for the backend's default; "Load older" adds a step.
  const [timelineLimit, setTimelineLimit] = useState<number | null>(null);
  const timeline = useQuery({
    queryKey: ["inspector-timeline", d?.summary.streamId, session, timelineLimit],
    queryFn: () => backend.inspectorTimeline(d!.summary.streamId!, session, timelineLimit),
    enabled: !!d?.summary.streamId,
    placeholderData: (previous) => previous,
  });
  if (q.error) return <ErrorNotice error={asAppError(q.error)} />;
  if (!d) return <div className="empty">{t("common.loading")}</div>;

  const replay = async () => {
    setError(null);
    try {
      setReplayed(await backend.inspectorReplay(id, (replayUrl ?? `${base}${d.summary.path}`).trim(), resign, editing ? edited : null));
    } catch (e) {
      setError(asAppError(e));
    }
  };
  const copy = async (text: string) => {
    if (await copyText(text)) void MessagePlugin.success(t("transfer.copied"));
    else void MessagePlugin.error(t("transfer.copyFailed"));
  };
  const s = d.steps;
  const checkText = (() => {
    const c = d.check;
    switch (c.result) {
      case "valid":
        return t("inspector.check.valid", { key: c.key, s: c.expiresIn });
      case "expired":
        return t("inspector.check.expired", { key: c.key, s: c.ago });
      case "not_yet_valid":
        return t("inspector.check.not_yet_valid", { key: c.key, s: c.ahead });
      case "malformed":
        return t("inspector.check.malformed", { error: c.error });
      case "too_large":
        return t("inspector.check.too_large", { limit: c.limit });
      default:
        return t(`inspector.check.${c.result}`);
    }
  })();

  return (
    <div className="detail" data-testid="event-detail">
      <div className="detail-head">
        <h3>
          {d.summary.eventType == null ? t("inspector.unknownType") : eventTypeName(t, d.summary.eventType)} <span className="muted">#{d.summary.id}</span>
        </h3>
        <Tag theme={verifyTheme(d.summary.verify)} variant="light" data-testid="detail-verify">
          {verifyName(t, d.summary.verify)}
        </Tag>
      </div>
      <Alert theme={d.check.result === "valid" ? "success" : "warning"} message={checkText} />
      <Tabs defaultValue="summary" className="detail-tabs">
        <Tabs.TabPanel value="summary" label={t("inspector.tab.summary")}>
          <table className="kv" data-testid="detail-summary">
            <tbody>
              {d.facts.map((f, i) => (
                <tr key={i}>
                  <th>{zh ? f.zh : f.en}</th>
                  <td>
                    {f.link && isWebUrl(f.link) ? (
                      <Link
                        href={f.link}
                        theme="primary"
                        data-testid="fact-link"
                        onClick={(e) => {
                          e.preventDefault();
                          openExternal(f.link!).catch((err: unknown) => void MessagePlugin.error(t("inspector.linkFailed", { reason: String(err) })));
                        }}
                      >
                        {f.value}
                      </Link>
                    ) : (
                      <span className="fact-value">{zh && f.valueZh ? f.valueZh : f.value}</span>
                    )}
                    {f.image && isWebUrl(f.image) && <Picture eventId={d.summary.id} url={f.image} verified={d.summary.verify === "valid"} />}
                  </td>
                </tr>
              ))}
              <tr>
                <th>{t("inspector.received")}</th>
                <td>
                  {new Date(d.summary.receivedAt).toLocaleString()} · {d.summary.method} {d.summary.path}
                  {d.query ? `?${d.query}` : ""} · {d.summary.remote}
                </td>
              </tr>
              <tr>
                <th>{t("inspector.answer")}</th>
                <td>
                  {d.answer.status} {d.answer.body}
                  {d.answer.delayMs ? ` · ${d.answer.delayMs} ms` : ""}
                  {d.answer.rule ? ` · ${d.answer.rule}` : ""}
                </td>
              </tr>
              {d.forwards.length > 0 && (
                <tr>
                  <th>{t("inspector.forwarded")}</th>
                  <td data-testid="detail-forwards">
                    {d.forwards.map((f, i) => (
                      <div key={i} className={f.status === 200 ? "ok" : "fail"}>
                        {f.url} → {f.status ?? "—"} · {f.elapsedMs} ms {f.error ?? f.answer}
                      </div>
                    ))}
                  </td>
                </tr>
              )}
              {d.summary.replayOf !== null && (
                <tr data-testid="detail-replay-of">
                  <th>{t("inspector.replayBadge")}</th>
                  <td>{t("inspector.replayOf", { id: d.summary.replayOf })}</td>
                </tr>
              )}
              <tr>
                <th>{t("inspector.attempts")}</th>
                <td>
                  {d.attempts.map((a) => (
                    <Tag key={a.id} size="small" variant="light" theme={a.status === 200 ? "success" : "danger"} style={{ marginRight: 4 }}>
                      #{a.attempt} · {a.status} · {time(a.receivedAt)}
                    </Tag>
                  ))}
                </td>
              </tr>
            </tbody>
          </table>
        </Tabs.TabPanel>
        <Tabs.TabPanel value="json" label="JSON">
          {d.json ? <JsonTree value={d.json} /> : <p className="muted">{t("inspector.notJson")}</p>}
        </Tabs.TabPanel>
        <Tabs.TabPanel value="raw" label={t("inspector.tab.raw")}>
          <pre className="raw" data-testid="detail-raw">{d.bodyText}</pre>
        </Tabs.TabPanel>
        <Tabs.TabPanel value="headers" label={t("inspector.tab.headers")}>
          <table className="kv">
            <tbody>
              {d.headers.map(([k, v], i) => (
                <tr key={i}>
                  <th>{k}</th>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Tabs.TabPanel>
        <Tabs.TabPanel value="verify" label={t("inspector.tab.verify")}>
          <ol className="steps" data-testid="detail-steps">
            <li>{t("inspector.step.t", { t: s.t ?? "—", s: s.expiresIn ?? "—" })}</li>
            <li>{t("inspector.step.key", { label: s.keyLabel ?? "—", masked: s.keyMasked ?? "—", n: s.keysTried })}</li>
            <li>
              {t("inspector.step.input")} <code>{s.md5Input ?? "—"}</code>
            </li>
            <li>
              {t("inspector.step.expected")}{" "}
              {s.expectedAfter != null ? (
                <span data-testid="expected-held-back">{t("inspector.step.expectedLater", { at: new Date(s.expectedAfter * 1000).toLocaleString(i18n.language) })}</span>
              ) : (
                <code>{s.expectedSign ?? "—"}</code>
              )}
            </li>
            <li>
              {t("inspector.step.received")} <code>{s.receivedSign ?? "—"}</code>
            </li>
            <li>{checkText}</li>
          </ol>
        </Tabs.TabPanel>
        <Tabs.TabPanel value="timeline" label={t("inspector.tab.timeline")} disabled={!d.summary.streamId}>
          <div data-testid="timeline-scope" className="timeline-scope">
            <Space size="small">
              <Button
                size="small"
                variant={wholeStream ? "outline" : "base"}
                theme={wholeStream ? "default" : "primary"}
                onClick={() => {
                  setWholeStream(false);
                  setTimelineLimit(null);
                }}
              >
                {t("inspector.timelineSession")}
              </Button>
              <Button
                size="small"
                variant={wholeStream ? "base" : "outline"}
                theme={wholeStream ? "primary" : "default"}
                onClick={() => {
                  setWholeStream(true);
                  setTimelineLimit(null);
                }}
              >
                {t("inspector.timelineStream")}
              </Button>
            </Space>
          </div>
          {/* Oldest first: what was left out lies above, so the notice and its button are at the top. */}
          {timeline.data?.older && (
            <div className="timeline-older" data-testid="timeline-older">
              {timeline.data.limit < timeline.data.cap ? (
                <>
                  <span className="muted">{t("inspector.timelineOlder", { n: timeline.data.entries.length })}</span>
                  <Button
                    size="small"
                    variant="outline"
                    loading={timeline.isFetching}
                    onClick={() => setTimelineLimit(Math.min(timeline.data!.limit + TIMELINE_STEP, timeline.data!.cap))}
                    data-testid="timeline-load-older"
                  >
                    {t("inspector.timelineLoadOlder", { n: Math.min(TIMELINE_STEP, timeline.data.cap - timeline.data.limit) })}
                  </Button>
                </>
              ) : (
                <span className="muted">{t("inspector.timelineCapped", { n: timeline.data.entries.length })}</span>
              )}
            </div>
          )}
          {timeline.error ? (
            <ErrorNotice error={asAppError(timeline.error)} />
          ) : (
            <TimelineView entries={timeline.data?.entries ?? []} current={d.summary.id} />
          )}
        </Tabs.TabPanel>
        <Tabs.TabPanel value="actions" label={t("inspector.tab.actions")}>
          <Space direction="vertical" style={{ width: "100%" }}>
            <div className="field-row">
              <Input value={replayUrl ?? `${base}${d.summary.path}`} onChange={(v) => setReplayUrl(String(v))} data-testid="replay-url" />
              <Checkbox checked={resign} onChange={(v) => setResign(Boolean(v))} data-testid="replay-resign">
                {t("inspector.resign")}
              </Checkbox>
              <Button onClick={replay} data-testid="replay">
                {t("inspector.replay")}
              </Button>
            </div>
            <Checkbox
              data-testid="replay-edit"
              checked={editing}
              onChange={(v) => {
                setEditing(Boolean(v));
                if (v && !edited) setEdited(d.json ? JSON.stringify(d.json, null, 2) : d.bodyText);
              }}
            >
              {t("inspector.editBody")}
            </Checkbox>
            {editing && (
              <div data-testid="replay-body">
                <Textarea value={edited} onChange={(v) => setEdited(String(v))} autosize={{ minRows: 6, maxRows: 16 }} className="mono" />
              </div>
            )}
            {replayed && (
              <div data-testid="replay-result">
                {t("inspector.replayResult", { status: replayed.status ?? "—", ms: replayed.elapsedMs })} {replayed.error ?? replayed.answer}
              </div>
            )}
            <Button variant="outline" onClick={() => copy(d.curl)}>
              {t("inspector.copyCurl")}
            </Button>
            <pre className="raw">{d.curl}</pre>
            {error && <ErrorNotice error={error} />}
          </Space>
        </Tabs.TabPanel>
      </Tabs>
    </div>
  );
}

/** How many more callbacks "Load older" asks the timeline for. */
const TIMELINE_STEP = 5000;

function TimelineView({ entries, current }: { entries: TimelineEntry[]; current: number }) {
  const { t } = useTranslation();
  // Consecutive events of one push session form a group, headed by its sequence and time span.
  const groups: { sequence: string | null; items: TimelineEntry[] }[] = [];
  for (const e of entries) {
    const last = groups[groups.length - 1];
    if (last && last.sequence === e.session) last.items.push(e);
    else groups.push({ sequence: e.session, items: [e] });
  }
  if (entries.length === 0) return <p className="muted">{t("common.loading")}</p>;
  return (
    <div data-testid="timeline">
      {groups.map((g, gi) => (
        <section key={gi} className="timeline-session" data-testid="timeline-session">
          <h4>
            {g.sequence ? t("inspector.session", { sequence: g.sequence }) : t("inspector.noSession")}{" "}
            <span className="muted">
              {time(g.items[0].at * 1000)} – {time(g.items[g.items.length - 1].at * 1000)} · {t("inspector.sessionEvents", { n: g.items.length })}
            </span>
          </h4>
          <ol className="timeline">
            {g.items.map((e) => (
              <li key={e.event.id} className={e.event.id === current ? "current" : ""}>
                <span className="muted">{time(e.at * 1000)}</span> {eventTypeName(t, e.event.eventType)}
                {e.anomalies.map((a, i) => (
                  <Tag key={i} size="small" theme="warning" variant="light" style={{ marginLeft: 6 }}>
                    {t(`inspector.anomaly.${a.kind}`, a as Record<string, unknown>)}
                  </Tag>
                ))}
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}

export function InspectorPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ["inspector-status"], queryFn: () => backend.inspectorStatus() });
  const takenOver = status.data?.takenOver ?? [];
  const app = useStatus();
  const templates = useTemplates();
  const [port, setPort] = useState("8920");
  const [external, setExternal] = useState(false);
  const [publicBase, setPublicBase] = useState("");
  const portNumber = /^\d{1,5}$/.test(port.trim()) && Number(port) <= 65535 ? Number(port) : null;
  const [error, setError] = useState<AppError | null>(null);
  const [filter, setFilter] = useState<Filter>(emptyFilter());
  const [text, setText] = useState("");
  const [rows, setRows] = useState<EventSummary[]>([]);
  const [more, setMore] = useState<number | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [picked, setPicked] = useState<Set<number>>(new Set());
  // The latest answer of the user's handler to each forwarded callback, as it arrives.
  const [forwards, setForwards] = useState<Map<number, ForwardRecord>>(new Map());
  const [paused, setPaused] = useState(false);
  const [fresh, setFresh] = useState(0);
  const [template, setTemplate] = useState<number | null>(null);
  const [stream, setStream] = useState("demo_stream");
  const [streamTarget, setStreamTarget] = useState<string | null>(null);
  const [settings, setSettings] = useState(false);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const running = !!status.data?.running;
  const base = status.data?.address ?? "";

  // The receiver could not store a callback (a full disk, most often): it answered 503, so the
  // sender retries. Cleared by the next callback that is stored.
  const [storeFailed, setStoreFailed] = useState<string | null>(null);
  // How many are stored, as the latest arrival said; the status answers until one arrives.
  const [stored, setStored] = useState<number | null>(null);
  // Arrivals this view fell too far behind to show: its list is incomplete until read again.
  const [missed, setMissed] = useState(0);
  useEffect(() => setStored(null), [running, status.data?.stored]);

  // Arrivals while the list is read: kept, so none falls between the page and the live updates.
  const arrivedRef = useRef<EventSummary[] | null>(null);
  const load = useCallback(async (f: Filter) => {
    arrivedRef.current = [];
    try {
      const page = await backend.inspectorEvents({ ...f, limit: 200 });
      const newest = page.items[0]?.id ?? 0;
      const arrived = (arrivedRef.current ?? []).filter((e) => e.id > newest);
      setRows([...arrived, ...page.items]);
      setMore(page.nextBeforeId);
      setFresh(0);
      setMissed(0);
    } catch (e) {
      setError(asAppError(e));
    } finally {
      arrivedRef.current = null;
    }
  }, []);

  // One subscription per filter: the backend decides which arrivals this view shows (with the list's
  // own rules) and sends the stored count with each, so nothing here asks for the status per arrival.
  useEffect(() => {
    if (!running) return;
    let subscription: number | null = null;
    let gone = false;
    backend
      .inspectorSubscribe(filter, (u) => {
        if (gone) return;
        switch (u.kind) {
          case "forwarded":
            setForwards((m) => new Map(m).set(u.record.eventId, u.record));
            void queryClient.invalidateQueries({ queryKey: ["inspector-detail", u.record.eventId] });
            return;
          case "storeFailed":
            setStoreFailed(u.message);
            return;
          case "missed":
            setMissed((n) => n + u.missed);
            return;
          case "hidden":
            setStored(u.stored);
            setStoreFailed(null);
            return;
          case "received":
            setStored(u.stored);
            setStoreFailed(null);
            if (arrivedRef.current) arrivedRef.current.push(u.event);
            else if (pausedRef.current) setFresh((n) => n + 1);
            else setRows((r) => withArrival(r, u.event));
        }
      })
      .then((id) => {
        if (gone) void backend.inspectorUnsubscribe(id);
        else subscription = id;
      })
      .catch((e: unknown) => {
        if (!gone) setError(asAppError(e));
      });
    void load(filter);
    return () => {
      gone = true;
      if (subscription !== null) void backend.inspectorUnsubscribe(subscription);
    };
  }, [running, filter, load]); // eslint-disable-line react-hooks/exhaustive-deps

  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(asAppError(e));
    }
    void queryClient.invalidateQueries({ queryKey: ["inspector-status"] });
  };

  const pick = (ids: number[], on: boolean) =>
    setPicked((p) => {
      const next = new Set(p);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  // A new filter subscribes anew and reads its first page (the effect above).
  const applyFilter = (patch: Partial<Filter>) => setFilter({ ...filter, ...patch });

  const loadMore = async () => {
    if (more == null) return;
    const before = more;
    setMore(null);
    const page = await backend.inspectorEvents({ ...filter, beforeId: before, limit: 1000 });
    setRows((r) => [...r, ...page.items]);
    setMore(page.nextBeforeId);
  };

  const boundDomains = useMemo(() => {
    const all = (templates.data ?? []).flatMap((r) => r.bindings);
    return all.filter((b) => b.TemplateId === template || template === null);
  }, [templates.data, template]);

  const typeName = (ty: number | null) => eventTypeName(t, ty);

  return (
    <div className="page inspector">
      <div className="inspector-bar" data-testid="inspector-bar">
        {running ? (
          <Space align="center">
            <Tag theme="success" variant="light" data-testid="inspector-address">
              {t("inspector.listening", { address: base })}
            </Tag>
            <span className="muted" data-testid="inspector-stored">{t("inspector.stored", { n: stored ?? status.data?.stored ?? 0, keys: status.data?.keys.length ?? 0 })}</span>
            <Button variant="outline" onClick={() => setSettings(true)} data-testid="inspector-settings-open">
              {t("inspector.settings.open")}
            </Button>
            <Button variant="outline" onClick={() => act(() => backend.inspectorStop())} data-testid="inspector-stop">
              {t("inspector.stop")}
            </Button>
          </Space>
        ) : (
          <Space align="center">
            <span>{t("inspector.port")}</span>
            <div data-testid="inspector-port">
              <Input value={port} onChange={(v) => setPort(String(v))} status={portNumber === null ? "error" : "default"} style={{ width: 110 }} />
            </div>
            <Button theme="primary" disabled={portNumber === null} onClick={() => act(() => backend.inspectorStart(portNumber!, external))} data-testid="inspector-start">
              {t("inspector.start")}
            </Button>
            <Checkbox checked={external} onChange={(v) => setExternal(Boolean(v))} data-testid="inspector-external">
              {t("inspector.external")}
            </Checkbox>
            <span className={portNumber === null ? "fail" : "muted"}>{portNumber === null ? t("inspector.badPort") : t("inspector.startHint")}</span>
          </Space>
        )}
        {running && (
          <Space align="center">
            <div data-testid="inspector-template" style={{ width: 220 }}>
              <Select
                value={template ?? undefined}
                placeholder={t("inspector.pickTemplate")}
                options={(templates.data ?? []).map((r) => ({
                  label: takenOver.includes(r.template.TemplateId) ? `${r.template.TemplateName} · ${t("inspector.pointsHere")}` : r.template.TemplateName,
                  value: r.template.TemplateId,
                }))}
                onChange={(v) => setTemplate(Number(v))}
                popupProps={{ overlayClassName: "inspector-template-popup" }}
              />
            </div>
            <Input
              value={publicBase}
              onChange={(v) => setPublicBase(String(v))}
              placeholder={t("inspector.publicBase", { address: base })}
              style={{ width: 260 }}
            />
            <Button
              variant="outline"
              disabled={template === null}
              onClick={() =>
                act(async () => {
                  await backend.inspectorUseForTemplate(template!, publicBase.trim() || base);
                  await backend.inspectorRefreshKeys();
                  void queryClient.invalidateQueries({ queryKey: ["templates"] });
                  void MessagePlugin.success(t("inspector.usedFor"));
                })
              }
              data-testid="inspector-use"
            >
              {t("inspector.useFor")}
            </Button>
            <Button
              variant="text"
              disabled={template === null || !takenOver.includes(template)}
              title={template !== null && !takenOver.includes(template) ? t("inspector.restoreNothing") : undefined}
              data-testid="inspector-restore"
              tag="button"
              onClick={() =>
                act(async () => {
                  await backend.inspectorRestoreTemplate(template!);
                  void queryClient.invalidateQueries({ queryKey: ["templates"] });
                  void MessagePlugin.success(t("inspector.restored"));
                })
              }
            >
              {t("inspector.restore")}
            </Button>
          </Space>
        )}
      </div>
      {running && app.data?.demo && (
        <div className="inspector-bar" data-testid="demo-stream-bar">
          <Space align="center">
            <span>{t("inspector.demoStream")}</span>
            <div data-testid="demo-stream-domain" style={{ width: 280 }}>
              <Select
                placeholder={t("inspector.pickDomain")}
                options={boundDomains.map((b) => ({ label: b.AppName ? `${b.DomainName}/${b.AppName}` : b.DomainName, value: `${b.DomainName}|${b.AppName}` }))}
                onChange={(v) => setStreamTarget(String(v))}
                popupProps={{ overlayClassName: "demo-domain-popup" }}
              />
            </div>
            <div data-testid="demo-stream-name">
              <Input value={stream} onChange={(v) => setStream(String(v))} style={{ width: 160 }} />
            </div>
            <Button
              theme="primary"
              variant="outline"
              disabled={!streamTarget}
              onClick={() =>
                act(async () => {
                  const [domain, appName] = streamTarget!.split("|");
                  await backend.demoPushStream(domain, appName || "live", stream);
                  void MessagePlugin.info(t("inspector.demoStarted", { stream }));
                })
              }
              data-testid="demo-stream-start"
            >
              {t("inspector.pushStream")}
            </Button>
          </Space>
        </div>
      )}
      {error && <ErrorNotice error={error} />}
      {storeFailed && (
        <Alert
          theme="error"
          close
          onClose={() => setStoreFailed(null)}
          data-testid="store-failed"
          title={t("inspector.storeFailedTitle")}
          message={t("inspector.storeFailed", { reason: storeFailed })}
        />
      )}
      {settings && status.data && (
        <InspectorSettings
          status={status.data}
          onChanged={() => void queryClient.invalidateQueries({ queryKey: ["inspector-status"] })}
          onClose={() => setSettings(false)}
        />
      )}
      {!running ? (
        <div className="empty" data-testid="inspector-empty">
          {t("inspector.notRunning")}
        </div>
      ) : (
        <>
          <div className="toolbar">
            <Space breakLine>
              <div style={{ width: 170 }} data-testid="filter-type">
                <Select
                  clearable
                  placeholder={t("inspector.allTypes")}
                  value={filter.eventType ?? undefined}
                  options={EVENT_TYPES.map(({ code }) => ({ label: `${code} ${typeName(code)}`, value: code }))}
                  onChange={(v) => applyFilter({ eventType: v === undefined || v === "" ? null : Number(v) })}
                />
              </div>
              <Input
                clearable
                placeholder={t("inspector.stream")}
                style={{ width: 170 }}
                value={filter.streamId ?? ""}
                onChange={(v) => applyFilter({ streamId: String(v) || null })}
              />
              <div style={{ width: 150 }}>
                <Select
                  clearable
                  placeholder={t("inspector.allResults")}
                  value={filter.verify ?? undefined}
                  options={VERIFY_CHOICES.map((v) => ({ label: verifyName(t, v), value: v }))}
                  onChange={(v) => applyFilter({ verify: v ? (v as Filter["verify"]) : null })}
                />
              </div>
              <div data-testid="filter-domain">
                <Input
                  clearable
                  placeholder={t("inspector.domain")}
                  style={{ width: 170 }}
                  value={filter.domain ?? ""}
                  onChange={(v) => applyFilter({ domain: String(v).trim() || null })}
                />
              </div>
              <div data-testid="filter-app">
                <Input
                  clearable
                  placeholder="AppName"
                  style={{ width: 110 }}
                  value={filter.appName ?? ""}
                  onChange={(v) => applyFilter({ appName: String(v).trim() || null })}
                />
              </div>
              <div data-testid="filter-time">
                <DateRangePicker
                  clearable
                  enableTimePicker
                  allowInput
                  valueType="time-stamp"
                  placeholder={[t("inspector.from"), t("inspector.to")]}
                  style={{ width: 400 }}
                  value={filter.since != null && filter.until != null ? [filter.since, filter.until] : []}
                  presets={{
                    [t("inspector.last15m")]: () => [Date.now() - 15 * 60_000, Date.now() + 60_000],
                    [t("inspector.last1h")]: () => [Date.now() - 3_600_000, Date.now() + 60_000],
                    [t("inspector.last24h")]: () => [Date.now() - 86_400_000, Date.now() + 60_000],
                    [t("inspector.last7d")]: () => [Date.now() - 7 * 86_400_000, Date.now() + 60_000],
                  }}
                  onChange={(v) => {
                    const [from, to] = (v ?? []) as (number | string)[];
                    const ms = (x: number | string | undefined) => (x === undefined || x === "" ? null : Number(x));
                    applyFilter({ since: ms(from), until: ms(to) });
                  }}
                />
              </div>
              <Input
                clearable
                prefixIcon={<SearchIcon />}
                placeholder={t("inspector.search")}
                style={{ width: 200 }}
                value={text}
                onChange={(v) => setText(String(v))}
                onEnter={() => applyFilter({ text: text.trim() || null })}
                onClear={() => applyFilter({ text: null })}
              />
            </Space>
            <Space align="center">
              {missed > 0 && (
                <Link theme="warning" onClick={() => void load(filter)} data-testid="missed-count">
                  {t("inspector.missed", { n: missed })}
                </Link>
              )}
              {fresh > 0 && (
                <Link theme="primary" onClick={() => { setPaused(false); void load(filter); }} data-testid="fresh-count">
                  {t("inspector.fresh", { n: fresh })}
                </Link>
              )}
              <Button
                variant="outline"
                icon={paused ? <PlayCircleIcon /> : <PauseCircleIcon />}
                onClick={() => {
                  if (paused) void load(filter);
                  setPaused(!paused);
                }}
                data-testid="pause"
              >
                {paused ? t("inspector.resume") : t("inspector.pause")}
              </Button>
              {picked.size > 0 && (
                <span className="muted picked-count" data-testid="picked-count">
                  {t("inspector.picked", { n: picked.size })}{" "}
                  <Link theme="primary" onClick={() => setPicked(new Set())} data-testid="picked-clear">
                    {t("inspector.unpick")}
                  </Link>
                </span>
              )}
              <ExportButton filter={filter} picked={[...picked]} />
            </Space>
          </div>
          <div className="panes">
            <div className="pane-list">
              {rows.length === 0 ? (
                <div className="empty" data-testid="events-empty">
                  {t("inspector.noEvents", { address: base })}
                </div>
              ) : (
                <VirtualList
                  rows={rows}
                  selected={selected}
                  onSelect={setSelected}
                  picked={picked}
                  onPick={pick}
                  onEnd={() => void loadMore()}
                  render={(e) => (
                    <>
                      <span className="vtime">{time(e.receivedAt)}</span>
                      <span className="vtype">{typeName(e.eventType)}</span>
                      <span className="vstream">{e.streamId ?? e.path}</span>
                      <Tag size="small" variant="light" theme={verifyTheme(e.verify)}>
                        {verifyName(t, e.verify)}
                      </Tag>
                      {e.replayOf !== null ? (
                        <span className="badge badge-replay" data-testid="replay-mark" title={t("inspector.replayOf", { id: e.replayOf })}>
                          {t("inspector.replayBadge")}
                        </span>
                      ) : (
                        e.attempt > 1 && <span className="badge" title={t("inspector.attemptTitle", { n: e.attempt })}>#{e.attempt}</span>
                      )}
                      <span className={e.status === 200 ? "ok" : "fail"}>{e.status}</span>
                      {forwards.has(e.id) && <ForwardMark record={forwards.get(e.id)!} />}
                    </>
                  )}
                />
              )}
            </div>
            <div className="pane-detail">
              {selected ? <Detail key={selected} id={selected} base={base} /> : <div className="empty">{t("inspector.pick")}</div>}
            </div>
          </div>
        </>
      )}
    </div>
  );
}

function ForwardMark({ record }: { record: ForwardRecord }) {
  const { t } = useTranslation();
  const ok = record.status !== null && record.status >= 200 && record.status < 300;
  return (
    <span className={`fwd ${ok ? "ok" : "fail"}`} title={record.error ?? record.answer} data-testid="forward-mark">
      {t("inspector.forwardMark", { status: record.status ?? t("inspector.noAnswer") })}
    </span>
  );
}

function ExportButton({ filter, picked }: { filter: Filter; picked: number[] }) {
  const { t } = useTranslation();
  const [format, setFormat] = useState<Format>("har");
  const [path, setPath] = useState("");
  const [open, setOpen] = useState(false);
  const [what, setWhat] = useState<"picked" | "filter">("filter");
  const [busy, setBusy] = useState(false);
  const [confirmReplace, setConfirmReplace] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    void backend.defaultExportDir().then((dir) => setPath(`${dir.replace(/\/$/, "")}/livehook-callbacks.har`));
  }, []);
  const usePicked = what === "picked" && picked.length > 0;
  const run = async (overwrite: boolean) => {
    setError(null);
    setBusy(true);
    try {
      // The picked rows alone: the list's filter already chose them.
      const f: Filter = usePicked ? { ...emptyFilter(), ids: picked } : filter;
      const n = await backend.inspectorExport(f, format, path.trim(), overwrite);
      void MessagePlugin.success(t("inspector.exported", { n, path: path.trim() }));
      setOpen(false);
    } catch (e) {
      const err = asAppError(e);
      if (err.kind === "already_exists") setConfirmReplace(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        variant="outline"
        onClick={() => {
          setWhat(picked.length > 0 ? "picked" : "filter");
          setError(null);
          setOpen(true);
        }}
        data-testid="export-open"
      >
        {t("transfer.export")}
      </Button>
      {open && (
        <Dialog
          visible
          width={620}
          header={t("inspector.exportTitle")}
          onClose={() => setOpen(false)}
          footer={
            <Space>
              <Button theme="primary" loading={busy} disabled={!path.trim()} onClick={() => run(false)} data-testid="export-save">
                {t("transfer.saveFile")}
              </Button>
              <Button variant="outline" onClick={() => setOpen(false)}>
                {t("common.cancel")}
              </Button>
            </Space>
          }
        >
          <Space direction="vertical" style={{ width: "100%" }}>
            <div data-testid="export-what">
              <Radio.Group value={usePicked ? "picked" : "filter"} onChange={(v) => setWhat(v as "picked" | "filter")}>
                <Radio value="picked" disabled={picked.length === 0}>
                  {t("inspector.exportPicked", { n: picked.length })}
                </Radio>
                <Radio value="filter">{t("inspector.exportFilter")}</Radio>
              </Radio.Group>
            </div>
            <div className="field-row">
              <label>{t("inspector.exportFormat")}</label>
              <Select
                style={{ width: 120 }}
                value={format}
                options={(["har", "json", "ndjson"] as Format[]).map((f) => ({ label: f.toUpperCase(), value: f }))}
                onChange={(v) => {
                  const f = v as Format;
                  setFormat(f);
                  setPath((p) => p.replace(/\.(har|json|ndjson)$/, `.${f}`));
                }}
              />
            </div>
            <SavePathField path={path} onChange={setPath} testId="inspector-export-path" />
            {error && <ErrorNotice error={error} />}
          </Space>
          {confirmReplace && (
            <ReplaceFileDialog
              path={path.trim()}
              onReplace={() => {
                setConfirmReplace(false);
                void run(true);
              }}
              onClose={() => setConfirmReplace(false)}
            />
          )}
        </Dialog>
      )}
    </>
  );
}
