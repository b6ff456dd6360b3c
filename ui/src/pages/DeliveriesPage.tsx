import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { AutoComplete, Checkbox, Select, Table, Tag, Tooltip, type PrimaryTableCol } from "tdesign-react";
import { Space } from "../components/Space";
import { Button } from "../components/Button";
import { asAppError, backend } from "../backend";
import type { AppError, DeliveryProgress, DeliveryReport, DeliveryRow, EventSummary } from "../bindings";
import { EVENT_TYPES } from "../bindings/vocabulary";
import { ErrorNotice } from "../components/ErrorNotice";
import { JsonTree } from "../components/JsonTree";
import { eventTypeName } from "../components/labels";
import { dateTime } from "../components/time";

/** The ranges offered, in hours: up to Tencent's 14 days. */
const RANGES = [1, 6, 24, 72, 168, 336] as const;

/** The first non-empty line of a server's answer. */
function firstLine(text: string): string {
  return text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== "") ?? "";
}

function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/**
 * Tencent's own log of what it sent for one stream (DescribeCallbackRecordsList), read a day at a time
 * with progress and a Cancel, each record matched with the inspector: received there, or sent by
 * Tencent and never received; and what the inspector received that the log does not have.
 */
export function DeliveriesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [stream, setStream] = useState("");
  const [hours, setHours] = useState<number>(24);
  const [eventType, setEventType] = useState<number | null>(null);
  const [failedOnly, setFailedOnly] = useState(false);
  const [streams, setStreams] = useState<string[]>([]);
  const [reading, setReading] = useState(false);
  const [progress, setProgress] = useState<DeliveryProgress | null>(null);
  const [report, setReport] = useState<DeliveryReport | null>(null);
  const [asked, setAsked] = useState<{ stream: string; hours: number; filtered: boolean } | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [expanded, setExpanded] = useState<string[]>([]);
  const alive = useRef(true);
  // A wide window gives the time its one line; a narrow one lets it wrap between date and time.
  const [wide, setWide] = useState(() => window.innerWidth >= 1200);
  useEffect(() => {
    const onResize = () => setWide(window.innerWidth >= 1200);
    window.addEventListener("resize", onResize);
    return () => window.removeEventListener("resize", onResize);
  }, []);

  useEffect(() => {
    alive.current = true;
    backend
      .inspectorStreams()
      .then((s) => alive.current && setStreams(s))
      .catch(() => undefined);
    return () => {
      alive.current = false;
    };
  }, []);

  const read = async () => {
    const name = stream.trim();
    if (!name) return;
    const until = Math.floor(Date.now() / 1000) + 1;
    setReading(true);
    setProgress(null);
    setError(null);
    setExpanded([]);
    try {
      const r = await backend.deliveriesRead(
        { stream: name, since: until - 1 - hours * 3600, until, eventType, failedOnly },
        (p) => alive.current && setProgress(p),
      );
      if (!alive.current) return;
      void queryClient.invalidateQueries({ queryKey: ["binding-states"] });
      setReport(r);
      setAsked({ stream: name, hours, filtered: eventType !== null || failedOnly });
    } catch (e) {
      if (alive.current) setError(asAppError(e));
    } finally {
      if (alive.current) setReading(false);
    }
  };

  // Changing the range or a filter after a read reads again, so the summary never describes other
  // filters than those shown.
  const readRef = useRef(read);
  readRef.current = read;
  const shownFor = useRef<string | null>(null);
  useEffect(() => {
    const key = JSON.stringify([hours, eventType, failedOnly]);
    if (shownFor.current !== null && shownFor.current !== key && asked && !reading) void readRef.current();
    shownFor.current = key;
  }, [hours, eventType, failedOnly]); // eslint-disable-line react-hooks/exhaustive-deps

  const rows = useMemo(() => (report?.rows ?? []).map((r, i) => ({ ...r, key: String(i) })), [report]);
  const failed = rows.filter((r) => r.resultCode !== 0).length;
  const missing = rows.filter((r) => r.inspectorId === null).length;
  const onlyHere = report?.onlyInInspector ?? [];
  const matched = report?.inspectorHasEvents ?? false;

  const result = (r: DeliveryRow) =>
    r.resultCode === 0 ? (
      <Tag theme="success" variant="light">
        {t("deliveries.ok")}
      </Tag>
    ) : (
      <Tag theme="danger" variant="light">
        {r.resultCode === -1 ? t("deliveries.noAnswer") : r.resultCode}
      </Tag>
    );

  const columns: PrimaryTableCol<DeliveryRow & { key: string }>[] = [
    {
      colKey: "sent",
      title: t("deliveries.sent"),
      width: wide ? 180 : 120,
      cell: ({ row }) => (row.eventTime === null ? row.eventTimeText : dateTime(row.eventTime * 1000)),
    },
    { colKey: "event", title: t("deliveries.event"), width: 124, ellipsis: true, cell: ({ row }) => eventTypeName(t, row.eventType) },
    {
      colKey: "result",
      title: t("deliveries.result"),
      width: 120,
      cell: ({ row }) => (
        <span className="nowrap">
          {result(row)}
          {row.eventTime !== null && row.responseTime !== null && (
            <span className="muted" title={t("deliveries.latency")}>
              {" "}
              {t("deliveries.seconds", { n: row.responseTime - row.eventTime })}
            </span>
          )}
        </span>
      ),
    },
    {
      colKey: "answer",
      title: t("deliveries.answer"),
      // Every column has a width: WebKitGTK counts a column without one as 80 px when it shares out
      // the table's width. In the narrowest window the columns add up to less than its room (about
      // 690 px with the expand column's 46; the last one stays in view) and each header still fits.
      width: wide ? 240 : 136,
      ellipsis: true,
      cell: ({ row }) => firstLine(row.response) || <span className="muted">{t("deliveries.emptyAnswer")}</span>,
    },
    {
      colKey: "inspector",
      title: t("deliveries.inspector"),
      width: wide ? 170 : 140,
      cell: ({ row }) =>
        !matched ? (
          <span className="muted">{t("deliveries.notMatched")}</span>
        ) : row.inspectorId !== null ? (
          <Tag theme="success" variant="outline" data-testid="matched">
            {t("deliveries.received", { id: row.inspectorId })}
          </Tag>
        ) : (
          <Tooltip content={t("deliveries.neverArrivedHint")}>
            <Tag theme="danger" variant="light" data-testid="never-arrived">
              {t("deliveries.neverArrived")}
            </Tag>
          </Tooltip>
        ),
    },
  ];

  const onlyColumns: PrimaryTableCol<EventSummary>[] = [
    // As above: in a narrow window the time wraps and the columns add up to less than the room.
    { colKey: "receivedAt", title: t("deliveries.receivedAt"), width: wide ? 180 : 120, cell: ({ row }) => dateTime(row.receivedAt) },
    { colKey: "event", title: t("deliveries.event"), width: 150, ellipsis: true, cell: ({ row }) => eventTypeName(t, row.eventType) },
    { colKey: "status", title: t("deliveries.answered"), width: 110, cell: ({ row }) => row.status },
    { colKey: "id", title: t("deliveries.callback"), width: wide ? 320 : 240, ellipsis: true, cell: ({ row }) => `#${row.id} ${row.method} ${row.path}` },
  ];

  return (
    <div className="page deliveries-page" data-testid="deliveries-page">
      <div className="toolbar deliveries-form">
        <Space breakLine size={8} align="center">
          <AutoComplete
            value={stream}
            onChange={(v) => setStream(String(v))}
            options={streams}
            filterable
            placeholder={t("deliveries.streamPlaceholder")}
            style={{ width: 240 }}
            inputProps={{ onEnter: () => void read() }}
            data-testid="delivery-stream"
          />
          <Select
            value={hours}
            onChange={(v) => setHours(Number(v))}
            options={RANGES.map((h) => ({ value: h, label: t("deliveries.last", { range: h < 24 ? t("deliveries.hours", { count: h }) : t("deliveries.days", { count: h / 24 }) }) }))}
            style={{ width: 170 }}
            data-testid="delivery-range"
          />
          <Select
            value={eventType ?? -1}
            onChange={(v) => setEventType(Number(v) === -1 ? null : Number(v))}
            options={[{ value: -1, label: t("deliveries.allTypes") }, ...EVENT_TYPES.map((e) => ({ value: e.code, label: eventTypeName(t, e.code) }))]}
            style={{ width: 190 }}
            data-testid="delivery-type"
          />
          <Checkbox checked={failedOnly} onChange={(v) => setFailedOnly(Boolean(v))} data-testid="delivery-failed">
            {t("deliveries.failedOnly")}
          </Checkbox>
          {reading ? (
            <Button theme="default" onClick={() => void backend.deliveriesCancel()} data-testid="delivery-cancel">
              {t("common.cancel")}
            </Button>
          ) : (
            <Button theme="primary" disabled={!stream.trim()} onClick={() => void read()} data-testid="delivery-read">
              {t("deliveries.read")}
            </Button>
          )}
        </Space>
      </div>
      {reading && (
        <div className="muted" role="status" data-testid="delivery-progress">
          {progress
            ? t("deliveries.progress", { day: progress.window, days: progress.windows, records: progress.records })
            : t("deliveries.starting")}
        </div>
      )}
      {error && <ErrorNotice error={error} onRetry={() => void read()} />}
      {!report && !error && !reading && (
        <div className="empty" data-testid="delivery-intro">
          <p>{t("deliveries.intro")}</p>
          <p className="muted">{t("deliveries.introLimits")}</p>
        </div>
      )}
      {report && asked && (
        <div className="deliveries-result">
          <div data-testid="delivery-summary">
          <Space breakLine size={8} className="deliveries-summary">
            <span>{t("deliveries.count", { count: rows.length, stream: asked.stream })}</span>
            {failed > 0 && (
              <Tag theme="danger" variant="light">
                {t("deliveries.failedCount", { count: failed })}
              </Tag>
            )}
            {matched && missing > 0 && (
              <Tag theme="danger" variant="light">
                {t("deliveries.missingCount", { count: missing })}
              </Tag>
            )}
            {matched && onlyHere.length > 0 && (
              <Tag theme="warning" variant="light">
                {t("deliveries.onlyHereCount", { count: onlyHere.length })}
              </Tag>
            )}
            {report.cancelled && (
              <Tag theme="warning" variant="outline">
                {t("deliveries.cancelled")}
              </Tag>
            )}
            {!matched && <span className="muted">{t("deliveries.noInspector")}</span>}
          </Space>
          </div>
          <div data-testid="delivery-table">
            <Table
              rowKey="key"
              tableLayout="fixed"
              size="small"
              data={rows}
              columns={columns}
              rowClassName={({ row }) => (row.resultCode !== 0 || (matched && row.inspectorId === null) ? "row-problem" : "")}
              expandedRowKeys={expanded}
              onExpandChange={(keys) => setExpanded(keys.map(String))}
              expandOnRowClick
              expandedRow={({ row }) => (
                <div className="delivery-detail" data-testid="delivery-detail">
                  <div>
                    <div className="label">{t("deliveries.request")}</div>
                    {parsed(row.request) !== null ? <JsonTree value={parsed(row.request)} /> : <pre>{row.request}</pre>}
                  </div>
                  <div>
                    <div className="label">
                      {row.resultCode === 0
                        ? t("deliveries.fullAnswerOk")
                        : row.resultCode === -1
                          ? t("deliveries.fullAnswerNone")
                          : t("deliveries.fullAnswerCode", { code: row.resultCode })}
                    </div>
                    <pre>{row.response || t("deliveries.emptyAnswer")}</pre>
                  </div>
                </div>
              )}
              empty={
                <div className="empty">
                  {t(
                    report.cancelled
                      ? "deliveries.noneBeforeCancel"
                      : asked.filtered
                        ? "deliveries.noneFiltered"
                        : "deliveries.none",
                    { stream: asked.stream },
                  )}
                </div>
              }
            />
          </div>
          {matched && onlyHere.length > 0 && (
            <div data-testid="delivery-only-here">
              <h2>{t("deliveries.onlyHereTitle")}</h2>
              <p className="muted">{t("deliveries.onlyHereHint")}</p>
              <Table rowKey="id" tableLayout="fixed" size="small" data={onlyHere} columns={onlyColumns} />
            </div>
          )}
        </div>
      )}
    </div>
  );
}
