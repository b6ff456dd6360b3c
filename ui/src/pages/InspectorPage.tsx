import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useStatus, useTemplates } from "../queries";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Checkbox, DateRangePicker, Input, Select, Tag } from "tdesign-react";
import { Space } from "../components/Space";
import { Link } from "../components/Link";
import { Button } from "../components/Button";
import { FilterIcon, PauseCircleIcon, PlayCircleIcon, SearchIcon } from "tdesign-icons-react";
import { asAppError, backend, emptyFilter } from "../backend";
import type { AppError, EventSummary, Filter, ForwardRecord } from "../bindings";
import { EVENT_TYPES, VERIFY_RESULTS } from "../bindings/vocabulary";
import { eventTypeName, verifyName } from "../components/labels";
import { ErrorNotice } from "../components/ErrorNotice";
import { InspectorSettings } from "./InspectorSettings";
import { Detail, type DetailTab } from "./inspector/EventDetail";
import { ExportButton } from "./inspector/ExportButton";
import { ForwardMark, VirtualList, time, verifyTheme, withArrival } from "./inspector/EventList";
import { PointDialog } from "./inspector/PointDialog";
import { PushDialog } from "./inspector/PushDialog";
import { RemoteDialog } from "./inspector/RemoteDialog";
import { TrafficChart } from "./inspector/TrafficChart";
import { range } from "../components/time";

/** The verification filter's choices: valid, then "invalid" (every other result), then each other result. */
const VERIFY_CHOICES = ["valid", "invalid", ...VERIFY_RESULTS.filter((v) => v !== "valid")] as const;

export function InspectorPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ["inspector-status"], queryFn: () => backend.inspectorStatus() });
  const takenOver = status.data?.takenOver ?? [];
  const app = useStatus();
  const templates = useTemplates();
  const [port, setPort] = useState("8920");
  const [external, setExternal] = useState(false);
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
  const [dialog, setDialog] = useState<"settings" | "point" | "push" | "remote" | null>(null);
  const [moreFilters, setMoreFilters] = useState(false);
  const [detailTab, setDetailTab] = useState<DetailTab>("summary");
  const [wholeStream, setWholeStream] = useState(false);
  // Arrivals the chart has not counted yet: it adds them to its buckets at most once a second.
  const arrivals = useRef<EventSummary[]>([]);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  // A remote inspector shown instead of this computer's: read through its API, live through its stream.
  const remote = status.data?.remote ?? null;
  const running = !!status.data?.running;
  // Until the receiver's state is known the bar says so: never "stopped" with a Start button for a
  // receiver that is running (a click would only meet the port in use).
  const checking = status.isPending;
  const live = running || remote !== null;
  const base = remote ? "" : (status.data?.address ?? "");
  // The remote's live stream dropped (why), until it is open again.
  const [dropped, setDropped] = useState<string | null>(null);

  // The receiver could not store a callback (a full disk, most often): it answered 503, so the
  // sender retries. Cleared by the next callback that is stored.
  const [storeFailed, setStoreFailed] = useState<string | null>(null);
  // How many are stored, as the latest arrival said; the status answers until one arrives.
  const [stored, setStored] = useState<number | null>(null);
  // Arrivals this view fell too far behind to show: its list is incomplete until read again.
  const [missed, setMissed] = useState(0);
  useEffect(() => setStored(null), [running, status.data?.stored, remote?.id]);
  // Another receiver shown: nothing of the one before stays on screen.
  useEffect(() => {
    setRows([]);
    setMore(null);
    setSelected(null);
    setPicked(new Set());
    setForwards(new Map());
    setDropped(null);
  }, [remote?.id]);

  // Each read of the list is numbered: a read that a newer one replaced (a quick filter change, a
  // reload) is dropped when it answers, so the list never shows one filter's rows under another.
  const generation = useRef(0);
  // Arrivals while the newest read is under way: merged into its page, so none falls between the page
  // and the live updates.
  const arrivedRef = useRef<{ generation: number; items: EventSummary[] } | null>(null);
  /** Read the first page of `f`; `first` runs before the read (the subscription), false stops it. */
  const load = useCallback(async (f: Filter, first?: () => Promise<boolean>) => {
    const mine = ++generation.current;
    arrivedRef.current = { generation: mine, items: [] };
    try {
      if (first && !(await first())) return;
      const page = await backend.inspectorEvents({ ...f, limit: 200 });
      if (mine !== generation.current) return;
      const arrived = arrivedRef.current?.generation === mine ? arrivedRef.current.items : [];
      setRows(arrived.reduce(withArrival, page.items));
      setMore(page.nextBeforeId);
      setFresh(0);
      setMissed(0);
    } catch (e) {
      if (mine === generation.current) setError(asAppError(e));
    } finally {
      if (arrivedRef.current?.generation === mine) arrivedRef.current = null;
    }
  }, []);

  // One subscription per filter: the backend decides which arrivals this view shows (with the list's
  // own rules) and sends the stored count with each, so nothing here asks for the status per arrival.
  // The subscription is in place before the first page is read, so no callback falls between them.
  const known = status.data !== undefined;
  useEffect(() => {
    // Nothing is read until the receiver's state is known: one first read, with or without live updates.
    if (!known) return;
    // Stopped, the stored callbacks are still there to browse, search and export.
    if (!live) {
      void load(filter);
      return;
    }
    let subscription: number | null = null;
    let gone = false;
    const subscribe = async () => {
      try {
        const id = await backend.inspectorSubscribe(filter, (u) => {
          if (gone) return;
          switch (u.kind) {
            case "forwarded":
              setForwards((m) => new Map(m).set(u.record.eventId, u.record));
              void queryClient.invalidateQueries({ queryKey: ["inspector-detail", u.record.eventId] });
              return;
            case "storeFailed":
              setStoreFailed(u.message);
              return;
            case "disconnected":
              setDropped(u.message);
              return;
            case "reconnected":
              setDropped(null);
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
              if (arrivedRef.current) arrivedRef.current.items.push(u.event);
              else if (pausedRef.current) setFresh((n) => n + 1);
              else setRows((r) => withArrival(r, u.event));
              arrivals.current.push(u.event);
          }
        });
        if (gone) {
          void backend.inspectorUnsubscribe(id);
          return false;
        }
        subscription = id;
      } catch (e) {
        if (!gone) setError(asAppError(e));
      }
      // Without live updates the list is still worth reading.
      return !gone;
    };
    void load(filter, subscribe);
    return () => {
      gone = true;
      if (subscription !== null) void backend.inspectorUnsubscribe(subscription);
    };
  }, [known, live, remote?.id, filter, load]); // eslint-disable-line react-hooks/exhaustive-deps

  /** Another receiver is shown: what was read from the one before is dropped (ids are per receiver). */
  const sourceChanged = () => {
    queryClient.removeQueries({ predicate: (q) => /^inspector-(detail|timeline|screenshots|traffic)$/.test(String(q.queryKey[0])) });
    void queryClient.invalidateQueries({ queryKey: ["inspector-status"] });
  };

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
    const mine = generation.current;
    setMore(null);
    try {
      const page = await backend.inspectorEvents({ ...filter, beforeId: before, limit: 1000 });
      // A page of a list that has since been read again (another filter) is dropped.
      if (mine !== generation.current) return;
      // Only what is older than the list's end: a page never repeats a row already shown.
      setRows((r) => {
        const end = r.length ? r[r.length - 1].id : Infinity;
        return [...r, ...page.items.filter((e) => e.id < end)];
      });
      setMore(page.nextBeforeId);
    } catch (e) {
      if (mine === generation.current) {
        setMore(before);
        setError(asAppError(e));
      }
    }
  };

  const typeName = (ty: number | null) => eventTypeName(t, ty);

  // Filters kept behind "More filters": how many are set, so the button says so while they are hidden.
  const hiddenSet = [filter.domain, filter.appName, filter.since ?? filter.until].filter((v) => v != null && v !== "").length;
  const timeSet = filter.since != null || filter.until != null;

  return (
    <div className="page inspector">
      <div className="inspector-bar" data-testid="inspector-bar">
        {remote ? (
          <div className="bar-state">
            <Tag theme="primary" variant="light" data-testid="inspector-remote" className="nowrap bar-remote" title={remote.url}>
              {t("inspector.remote.showing", { name: remote.name, url: remote.url })}
            </Tag>
            {dropped || status.data?.remoteNote ? (
              <Tag theme="warning" variant="light" className="nowrap" data-testid="remote-link" title={t("inspector.remote.reconnectingTitle", { reason: dropped ?? status.data?.remoteNote })}>
                {t("inspector.remote.reconnecting")}
              </Tag>
            ) : (
              <Tag theme="success" variant="light" className="nowrap" data-testid="remote-link">
                {t("inspector.remote.live")}
              </Tag>
            )}
            <span className="muted nowrap" data-testid="inspector-stored">
              {t("inspector.stored", { n: (stored ?? status.data?.stored ?? 0).toLocaleString(i18n.language) })}
            </span>
          </div>
        ) : checking ? (
          <div className="bar-state">
            <span className="muted nowrap" data-testid="inspector-checking">{t("common.loading")}</span>
          </div>
        ) : running ? (
          <div className="bar-state">
            <Tag theme="success" variant="light" data-testid="inspector-address" className="nowrap">
              {t("inspector.listening", { address: base })}
            </Tag>
            <span className="muted" data-testid="inspector-stored">
              {t("inspector.stored", { n: (stored ?? status.data?.stored ?? 0).toLocaleString(i18n.language) })}
            </span>
          </div>
        ) : (
          <div className="bar-state">
            <Tag variant="light" className="nowrap">{t("inspector.stopped")}</Tag>
            <span className="nowrap">{t("inspector.port")}</span>
            <div data-testid="inspector-port" title={portNumber === null ? t("inspector.badPort") : t("inspector.startHint")}>
              <Input value={port} onChange={(v) => setPort(String(v))} status={portNumber === null ? "error" : "default"} style={{ width: 90 }} />
            </div>
            <Checkbox checked={external} onChange={(v) => setExternal(Boolean(v))} data-testid="inspector-external">
              {t("inspector.external")}
            </Checkbox>
            <span className="muted nowrap" data-testid="inspector-stored">
              {t("inspector.stored", { n: (status.data?.stored ?? 0).toLocaleString(i18n.language) })}
            </span>
          </div>
        )}
        {/* Right-aligned, so a button keeps its place when one appears to its left: the ones that
            come and go with the status (point, push, start/stop) are left of the ones always there,
            and a click aimed at Settings never lands on a button that moved in under the pointer.
            Keyed: TDesign's Space wraps its children by position, so without keys React would turn the
            Settings button into the Stop button when buttons appear before it (a click in flight then
            stops the receiver). */}
        <Space align="center" size="small" className="bar-actions">
          {remote ? (
            <Button theme="primary" onClick={() => act(async () => { await backend.inspectorAttach(null); sourceChanged(); })} key="inspector-local" data-testid="inspector-local">
              {t("inspector.remote.backLocal")}
            </Button>
          ) : null}
          {!remote && running && (
            <Button variant="outline" onClick={() => setDialog("point")} key="inspector-point-open" data-testid="inspector-point-open">
              {t("inspector.pointOpen")}
            </Button>
          )}
          {!remote && running && app.data?.demo && (
            <Button variant="outline" onClick={() => setDialog("push")} key="demo-stream-open" data-testid="demo-stream-open">
              {t("inspector.pushOpen")}
            </Button>
          )}
          {remote || checking ? null : running ? (
            <Button variant="outline" onClick={() => act(() => backend.inspectorStop())} key="inspector-stop" data-testid="inspector-stop">
              {t("inspector.stop")}
            </Button>
          ) : (
            <Button theme="primary" disabled={portNumber === null} onClick={() => act(() => backend.inspectorStart(portNumber!, external))} key="inspector-start" data-testid="inspector-start">
              {t("inspector.start")}
            </Button>
          )}
          <Button variant="outline" disabled={!status.data} onClick={() => setDialog("remote")} key="remote-open" data-testid="remote-open">
            {t("inspector.remote.open")}
          </Button>
          {!remote && (
            <Button variant="outline" disabled={!status.data} onClick={() => setDialog("settings")} key="inspector-settings-open" data-testid="inspector-settings-open">
              {t("inspector.settings.open")}
            </Button>
          )}
        </Space>
        {!remote && !checking && !running && portNumber === null && <div className="fail bar-note">{t("inspector.badPort")}</div>}
      </div>
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
      {dialog === "settings" && status.data && (
        <InspectorSettings
          status={status.data}
          onChanged={() => void queryClient.invalidateQueries({ queryKey: ["inspector-status"] })}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === "remote" && (
        <RemoteDialog
          attached={remote?.id ?? null}
          onAttached={sourceChanged}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === "point" && <PointDialog templates={templates.data ?? []} takenOver={takenOver} base={base} onClose={() => setDialog(null)} />}
      {dialog === "push" && <PushDialog templates={templates.data ?? []} takenOver={takenOver} base={base} onClose={() => setDialog(null)} />}
      <div className="filters" role="search" aria-label={t("inspector.filtersLabel")}>
        <div className="filter-row">
          <div style={{ width: 150 }} data-testid="filter-type">
            <Select
              clearable
              placeholder={t("inspector.allTypes")}
              value={filter.eventType ?? undefined}
              options={EVENT_TYPES.map(({ code }) => ({ label: `${code} ${typeName(code)}`, value: code }))}
              onChange={(v) => applyFilter({ eventType: v === undefined || v === "" ? null : Number(v) })}
            />
          </div>
          <div data-testid="filter-stream">
            <Input
              clearable
              placeholder={t("inspector.stream")}
              style={{ width: 120 }}
              value={filter.streamId ?? ""}
              onChange={(v) => applyFilter({ streamId: String(v) || null })}
            />
          </div>
          <div style={{ width: 160 }} data-testid="filter-verify">
            <Select
              clearable
              placeholder={t("inspector.allResults")}
              value={filter.verify ?? undefined}
              options={VERIFY_CHOICES.map((v) => ({ label: verifyName(t, v), value: v }))}
              onChange={(v) => applyFilter({ verify: v ? (v as Filter["verify"]) : null })}
            />
          </div>
          <Input
            clearable
            prefixIcon={<SearchIcon />}
            placeholder={t("inspector.search")}
            className="page-search"
            style={{ width: 190 }}
            value={text}
            onChange={(v) => setText(String(v))}
            onEnter={() => applyFilter({ text: text.trim() || null })}
            onClear={() => applyFilter({ text: null })}
          />
          <Button
            variant={moreFilters ? "base" : "outline"}
            theme={moreFilters ? "primary" : "default"}
            aria-expanded={moreFilters}
            aria-controls="more-filters"
            icon={<FilterIcon />}
            onClick={() => setMoreFilters(!moreFilters)}
            data-testid="more-filters"
          >
            {hiddenSet > 0 ? t("inspector.moreFiltersN", { n: hiddenSet }) : t("inspector.moreFilters")}
          </Button>
          {timeSet && !moreFilters && (
            <Tag closable onClose={() => applyFilter({ since: null, until: null })} data-testid="time-chip" className="nowrap">
              {range(filter.since ?? 0, filter.until ?? Date.now())}
            </Tag>
          )}
          <span className="filter-gap" />
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
          {picked.size > 0 && (
            <span className="muted picked-count" data-testid="picked-count">
              {t("inspector.picked", { n: picked.size })}{" "}
              <Link theme="primary" onClick={() => setPicked(new Set())} data-testid="picked-clear">
                {t("inspector.unpick")}
              </Link>
            </span>
          )}
          {live && (
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
          )}
          <ExportButton filter={filter} picked={[...picked]} />
        </div>
        {moreFilters && (
          <div className="filter-row" id="more-filters" data-testid="more-filters-row">
            <div data-testid="filter-domain">
              <Input
                clearable
                placeholder={t("inspector.domain")}
                style={{ width: 190 }}
                value={filter.domain ?? ""}
                onChange={(v) => applyFilter({ domain: String(v).trim() || null })}
              />
            </div>
            <div data-testid="filter-app">
              <Input
                clearable
                placeholder="AppName"
                style={{ width: 120 }}
                value={filter.appName ?? ""}
                onChange={(v) => applyFilter({ appName: String(v).trim() || null })}
              />
            </div>
            <div data-testid="filter-time">
              <DateRangePicker
                clearable
                enableTimePicker
                allowInput
                format="YYYY-MM-DD HH:mm:ss"
                valueType="time-stamp"
                placeholder={[t("inspector.from"), t("inspector.to")]}
                style={{ width: 380 }}
                value={timeSet ? [filter.since ?? 0, filter.until ?? Date.now()] : []}
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
          </div>
        )}
      </div>
      <TrafficChart key={remote?.id ?? "local"} filter={filter} live={live && !paused} arrivals={arrivals} onRange={(since, until) => applyFilter({ since, until })} />
      <div className="panes">
        <div className="pane-list">
          {rows.length === 0 ? (
            !live && !timeSet && !hiddenSet && !filter.eventType && !filter.streamId && !filter.verify && !filter.text ? (
              <div className="empty" data-testid="inspector-empty">
                {t("inspector.notRunning")}
              </div>
            ) : (
              <div className="empty" data-testid="events-empty">
                {remote && !timeSet && !hiddenSet && !filter.eventType && !filter.streamId && !filter.verify && !filter.text
                  ? t("inspector.remote.noEvents", { name: remote.name })
                  : running && !remote
                    ? t("inspector.noEvents", { address: base })
                    : t("inspector.noMatch")}
              </div>
            )
          ) : (
            <VirtualList
              rows={rows}
              selected={selected}
              onSelect={setSelected}
              picked={picked}
              onPick={pick}
              onEnd={() => void loadMore()}
              label={t("inspector.listLabel")}
              render={(e) => (
                <>
                  <span className="vtime">{time(e.receivedAt)}</span>
                  <span className="vtype" title={typeName(e.eventType)}>{typeName(e.eventType)}</span>
                  <span className="vstream" title={e.streamId ?? e.path}>{e.streamId ?? e.path}</span>
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
          {selected ? <Detail key={selected} id={selected} base={base} tab={detailTab} onTab={setDetailTab} wholeStream={wholeStream} onWholeStream={setWholeStream} onOpen={setSelected} /> : <div className="empty">{t("inspector.pick")}</div>}
        </div>
      </div>
    </div>
  );
}
