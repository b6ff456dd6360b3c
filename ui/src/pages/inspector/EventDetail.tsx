// One callback's detail: summary, body, raw request, headers, verification steps, attempts, forwards,
// replay, and its stream's timeline.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Checkbox, Input, MessagePlugin, Tag, Textarea } from "tdesign-react";
import { Space } from "../../components/Space";
import { Link } from "../../components/Link";
import { Button } from "../../components/Button";
import { asAppError, backend, isWebUrl, openExternal } from "../../backend";
import type { AppError, EventDetail, SendResult, TimelineEntry } from "../../bindings";
import { eventTypeName, verifyName } from "../../components/labels";
import { copyText } from "../../components/copy";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { Picture } from "../../components/Picture";
import { JsonTree } from "../../components/JsonTree";
import { time, verifyTheme } from "./EventList";
import { dateTime } from "../../components/time";
import { TabBar, tabPanelProps } from "../../components/TabBar";
import { StreamLanes } from "./StreamLanes";
import { Gallery } from "./Gallery";

export type DetailTab = "summary" | "json" | "raw" | "headers" | "verify" | "timeline" | "actions";

/** One callback. `tab` is the page's, so opening another callback (from the timeline) keeps it. */
export function Detail(props: {
  id: number;
  base: string;
  tab: DetailTab;
  onTab: (t: DetailTab) => void;
  /** The timeline's scope: this push session, or the whole stream (kept across callbacks). */
  wholeStream: boolean;
  onWholeStream: (whole: boolean) => void;
  onOpen: (id: number) => void;
}) {
  const { id, base, tab, onTab, onOpen, wholeStream } = props;
  const setWholeStream = props.onWholeStream;
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
  // A callback that names no stream has no timeline: its summary instead.
  const shownTab: DetailTab = tab === "timeline" && !d.summary.streamId ? "summary" : tab;
  // Back to this computer's receiver by default; from a remote one (no base here) the user names the address.
  const defaultReplayUrl = base ? `${base}${d.summary.path}` : "";

  const replay = async () => {
    setError(null);
    try {
      setReplayed(await backend.inspectorReplay(id, (replayUrl ?? defaultReplayUrl).trim(), resign, editing ? edited : null));
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
        <h2>
          {d.summary.eventType == null ? t("inspector.unknownType") : eventTypeName(t, d.summary.eventType)} <span className="muted">#{d.summary.id}</span>
        </h2>
        <Tag theme={verifyTheme(d.summary.verify)} variant="light" data-testid="detail-verify">
          {verifyName(t, d.summary.verify)}
        </Tag>
      </div>
      <Alert theme={d.check.result === "valid" ? "success" : "warning"} message={checkText} />
      <TabBar
        prefix={`detail-${id}`}
        label={t("inspector.tab.label")}
        value={shownTab}
        onChange={onTab}
        tabs={[
          { value: "summary", label: t("inspector.tab.summary") },
          { value: "json", label: "JSON" },
          { value: "raw", label: t("inspector.tab.raw") },
          { value: "headers", label: t("inspector.tab.headers") },
          { value: "verify", label: t("inspector.tab.verify") },
          { value: "timeline", label: t("inspector.tab.timeline"), disabled: !d.summary.streamId, title: d.summary.streamId ? undefined : t("inspector.tab.noStream") },
          { value: "actions", label: t("inspector.tab.actions") },
        ]}
      />
        {shownTab === "summary" && (
          <div {...tabPanelProps(`detail-${id}`, "summary")}>
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
                  {dateTime(d.summary.receivedAt)} · {d.summary.method} {d.summary.path}
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
          </div>
        )}
        {shownTab === "json" && (
          <div {...tabPanelProps(`detail-${id}`, "json")}>
          {d.json ? <JsonTree value={d.json} /> : <p className="muted">{t("inspector.notJson")}</p>}
          </div>
        )}
        {shownTab === "raw" && (
          <div {...tabPanelProps(`detail-${id}`, "raw")}>
          <pre className="raw" data-testid="detail-raw">{d.bodyText}</pre>
          </div>
        )}
        {shownTab === "headers" && (
          <div {...tabPanelProps(`detail-${id}`, "headers")}>
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
          </div>
        )}
        {shownTab === "verify" && (
          <div {...tabPanelProps(`detail-${id}`, "verify")}>
          <ol className="steps" data-testid="detail-steps">
            <li>{t("inspector.step.t", { t: s.t ?? "—", s: s.expiresIn ?? "—" })}</li>
            <li>{t("inspector.step.key", { label: s.keyLabel ?? "—", masked: s.keyMasked ?? "—", n: s.keysTried })}</li>
            <li>
              {t("inspector.step.input")} <code>{s.md5Input ?? "—"}</code>
            </li>
            <li>
              {t("inspector.step.expected")}{" "}
              {s.expectedAfter != null ? (
                <span data-testid="expected-held-back">{t("inspector.step.expectedLater", { at: dateTime(s.expectedAfter * 1000) })}</span>
              ) : (
                <code>{s.expectedSign ?? "—"}</code>
              )}
            </li>
            <li>
              {t("inspector.step.received")} <code>{s.receivedSign ?? "—"}</code>
            </li>
            <li>{checkText}</li>
          </ol>
          </div>
        )}
        {shownTab === "timeline" && (
          <div {...tabPanelProps(`detail-${id}`, "timeline")}>
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
            <>
              <StreamLanes entries={timeline.data?.entries ?? []} current={d.summary.id} onOpen={onOpen} />
              <Gallery streamId={d.summary.streamId!} current={d.summary.id} onOpen={onOpen} />
              <TimelineView entries={timeline.data?.entries ?? []} current={d.summary.id} />
            </>
          )}
          </div>
        )}
        {shownTab === "actions" && (
          <div {...tabPanelProps(`detail-${id}`, "actions")}>
          <Space direction="vertical" style={{ width: "100%" }}>
            {/* The address on a line of its own, whole; the choices and the button under it. */}
            <Field label={t("inspector.replayTo")}>
              <Input value={replayUrl ?? defaultReplayUrl} placeholder={`https://your-handler.example.com${d.summary.path}`} onChange={(v) => setReplayUrl(String(v))} data-testid="replay-url" />
            </Field>
            <div className="replay-actions">
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
          </div>
        )}
    </div>
  );
}

/** How many more callbacks "Load older" asks the timeline for. */
export const TIMELINE_STEP = 5000;

export function TimelineView({ entries, current }: { entries: TimelineEntry[]; current: number }) {
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
          <h3>
            {g.sequence ? t("inspector.session", { sequence: g.sequence }) : t("inspector.noSession")}{" "}
            <span className="muted">
              {time(g.items[0].at * 1000)} – {time(g.items[g.items.length - 1].at * 1000)} · {t("inspector.sessionEvents", { n: g.items.length })}
            </span>
          </h3>
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
