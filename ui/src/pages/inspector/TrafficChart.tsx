// The traffic chart above the list: callbacks per time bucket stacked by event type, with the buckets
// that hold an unverified callback or a non-200 answer marked. The database counts (the app never reads
// rows for it); live arrivals are added to the counts at most once a second. Dragging across it sets
// the list's time range.
import { useEffect, useMemo, useRef, useState, type MutableRefObject } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { BarChart, ScatterChart } from "echarts/charts";
import { BrushComponent, GridComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { backend } from "../../backend";
import type { EventSummary, Filter, Traffic } from "../../bindings";
import { eventTypeName } from "../../components/labels";
import { clock, range } from "../../components/time";
import { typeColour } from "./colours";

echarts.use([BarChart, ScatterChart, GridComponent, TooltipComponent, BrushComponent, CanvasRenderer]);

const colour = typeColour;

/** `t` with `events` counted in: buckets are added at the end when arrivals pass it (an open range). */
export function withArrivals(t: Traffic, events: EventSummary[], openEnded: boolean): Traffic {
  if (t.step <= 0 || events.length === 0) return t;
  let buckets = t.buckets;
  for (const e of events) {
    const b = Math.floor((e.receivedAt - t.start) / t.step);
    if (b >= buckets && openEnded) buckets = b + 1;
  }
  const grow = (xs: number[]) => [...xs, ...Array<number>(buckets - xs.length).fill(0)];
  const out: Traffic = {
    ...t,
    buckets,
    series: t.series.map((s) => ({ ...s, counts: grow(s.counts) })),
    unverified: grow(t.unverified),
    failed: grow(t.failed),
  };
  for (const e of events) {
    const b = Math.floor((e.receivedAt - t.start) / t.step);
    if (b < 0 || b >= buckets) continue;
    let s = out.series.find((x) => x.eventType === e.eventType);
    if (!s) {
      s = { eventType: e.eventType, counts: Array<number>(buckets).fill(0) };
      out.series.push(s);
      out.series.sort((x, y) => (x.eventType ?? -1) - (y.eventType ?? -1));
    }
    s.counts[b] += 1;
    if (e.verify !== "valid") out.unverified[b] += 1;
    if (e.status !== 200) out.failed[b] += 1;
    out.total += 1;
  }
  return out;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export function TrafficChart(props: {
  filter: Filter;
  /** Follow arrivals (the receiver runs). */
  live: boolean;
  /** Arrivals the subscription delivered that the chart has not counted yet; taken once a second. */
  arrivals: MutableRefObject<EventSummary[]>;
  onRange: (since: number, until: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const [width, setWidth] = useState(800);
  const buckets = Math.max(20, Math.min(400, Math.floor(width / 7)));
  // Counted without paging; the picked ids count too (a selection is a filter).
  const filter = useMemo(() => ({ ...props.filter, beforeId: null, limit: null }), [props.filter]);
  const query = useQuery({
    queryKey: ["inspector-traffic", filter, buckets],
    queryFn: () => backend.inspectorTraffic(filter, buckets, -new Date().getTimezoneOffset()),
  });
  const [traffic, setTraffic] = useState<Traffic | null>(null);
  useEffect(() => {
    if (query.data) {
      props.arrivals.current = [];
      setTraffic(query.data);
    }
  }, [query.data]); // eslint-disable-line react-hooks/exhaustive-deps

  // Arrivals are counted in at most once a second; past twice the buckets asked for, read again.
  const refetch = query.refetch;
  useEffect(() => {
    if (!props.live) return;
    const timer = window.setInterval(() => {
      const events = props.arrivals.current;
      if (events.length === 0) return;
      props.arrivals.current = [];
      setTraffic((cur) => {
        if (!cur || cur.step === 0) {
          void refetch();
          return cur;
        }
        const next = withArrivals(cur, events, props.filter.until == null);
        if (next.buckets > buckets * 2) void refetch();
        return next;
      });
    }, 1000);
    return () => window.clearInterval(timer);
  }, [props.live, props.filter.until, buckets, refetch]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: "canvas" });
    chart.current = c;
    const ro = new ResizeObserver(() => {
      setWidth(el.clientWidth);
      c.resize();
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  // Dragging across the chart picks a time range: brushing is on from the start, one range at a time.
  const onRange = useRef(props.onRange);
  onRange.current = props.onRange;
  const shown = useRef<Traffic | null>(null);
  shown.current = traffic;
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const handler = (e: unknown) => {
      const areas = (e as { areas?: { coordRange?: [number, number] }[] }).areas ?? [];
      const r = areas[0]?.coordRange;
      const tr = shown.current;
      c.dispatchAction({ type: "brush", areas: [] });
      if (!r || !tr || tr.step === 0) return;
      const [a, b] = [Math.max(0, Math.min(r[0], r[1])), Math.min(tr.buckets - 1, Math.max(r[0], r[1]))];
      onRange.current(tr.start + a * tr.step, tr.start + (b + 1) * tr.step);
    };
    c.on("brushEnd", handler);
    return () => {
      c.off("brushEnd", handler);
    };
  }, []);

  const typeName = (ty: number | null) => eventTypeName(t, ty);
  useEffect(() => {
    const c = chart.current;
    if (!c || !traffic) return;
    const text = cssVar("--td-text-color-secondary", "#666");
    const stroke = cssVar("--td-component-stroke", "#ddd");
    const error = cssVar("--td-error-color", "#d54941");
    const warning = cssVar("--td-warning-color", "#e37318");
    const labels = Array.from({ length: traffic.buckets }, (_, i) => traffic.start + i * traffic.step);
    const totals = labels.map((_, i) => traffic.series.reduce((n, s) => n + (s.counts[i] ?? 0), 0));
    const seconds = traffic.step < 60_000;
    c.setOption(
      {
        animation: false,
        grid: { left: 36, right: 8, top: 20, bottom: 20 },
        tooltip: {
          trigger: "axis",
          axisPointer: { type: "shadow" },
          confine: true,
          formatter: (items: { dataIndex: number }[]) => {
            const i = items[0]?.dataIndex ?? 0;
            const lines = traffic.series
              .filter((s) => (s.counts[i] ?? 0) > 0)
              .map((s) => `<span style="color:${colour(s.eventType)}">●</span> ${typeName(s.eventType)}: ${s.counts[i]}`);
            if (traffic.unverified[i]) lines.push(`<span style="color:${error}">▲</span> ${t("inspector.chart.unverified", { n: traffic.unverified[i] })}`);
            if (traffic.failed[i]) lines.push(`<span style="color:${warning}">◆</span> ${t("inspector.chart.failed", { n: traffic.failed[i] })}`);
            return `${range(labels[i], labels[i] + traffic.step)}<br/>${lines.join("<br/>") || t("inspector.chart.none")}`;
          },
        },
        brush: {
          xAxisIndex: 0,
          brushType: "lineX",
          brushMode: "single",
          brushStyle: { color: "rgba(0, 82, 217, 0.15)", borderColor: "rgba(0, 82, 217, 0.6)" },
          throttleType: "debounce",
          throttleDelay: 200,
        },
        xAxis: {
          type: "category",
          data: labels.map((ms) => clock(ms, seconds)),
          axisLabel: { color: text, fontSize: 11, hideOverlap: true },
          axisLine: { lineStyle: { color: stroke } },
          axisTick: { show: false },
        },
        yAxis: {
          type: "value",
          minInterval: 1,
          splitNumber: 2,
          axisLabel: { color: text, fontSize: 11 },
          splitLine: { lineStyle: { color: stroke } },
        },
        series: [
          ...traffic.series.map((s) => ({
            type: "bar",
            name: typeName(s.eventType),
            stack: "all",
            large: true,
            barCategoryGap: "10%",
            itemStyle: { color: colour(s.eventType) },
            data: s.counts,
          })),
          {
            type: "scatter",
            name: t("inspector.chart.unverifiedName"),
            symbol: "triangle",
            symbolSize: 7,
            // Above the bar it marks, not on it.
            symbolOffset: [0, -6],
            itemStyle: { color: error },
            data: traffic.unverified.map((n, i) => (n > 0 ? totals[i] : null)),
            z: 5,
          },
          {
            type: "scatter",
            name: t("inspector.chart.failedName"),
            symbol: "diamond",
            symbolSize: 7,
            symbolOffset: [0, -15],
            itemStyle: { color: warning },
            data: traffic.failed.map((n, i) => (n > 0 ? totals[i] : null)),
            z: 5,
          },
        ],
      },
      { notMerge: true },
    );
    c.dispatchAction({ type: "takeGlobalCursor", key: "brush", brushOption: { brushType: "lineX", brushMode: "single" } });
  }, [traffic, i18n.language]); // eslint-disable-line react-hooks/exhaustive-deps

  // The chart's text alternative, and the line above it: how many of each type, and what went wrong.
  const summary = useMemo(() => {
    if (!traffic || traffic.total === 0) return null;
    const unverified = traffic.unverified.reduce((a, b) => a + b, 0);
    const failed = traffic.failed.reduce((a, b) => a + b, 0);
    const byType = traffic.series
      .map((s) => ({ ty: s.eventType, n: s.counts.reduce((a, b) => a + b, 0) }))
      .filter((x) => x.n > 0)
      .sort((a, b) => b.n - a.n);
    return { unverified, failed, byType, from: traffic.start, to: traffic.start + traffic.buckets * traffic.step };
  }, [traffic]);
  const alt = summary
    ? t("inspector.chart.alt", {
        n: traffic!.total,
        range: range(summary.from, summary.to),
        types: summary.byType.map((x) => `${typeName(x.ty)} ${x.n}`).join(", "),
        unverified: summary.unverified,
        failed: summary.failed,
      })
    : t("inspector.chart.empty");

  return (
    <div className="traffic" data-testid="traffic">
      <div className="traffic-head">
        <span className="traffic-title">{t("inspector.chart.title")}</span>
        {summary ? (
          <span className="traffic-sum" data-testid="traffic-summary">
            <span>{t("inspector.chart.total", { n: traffic!.total })}</span>
            {summary.unverified > 0 && <span className="fail">▲ {t("inspector.chart.unverified", { n: summary.unverified })}</span>}
            {summary.failed > 0 && <span className="warn">◆ {t("inspector.chart.failed", { n: summary.failed })}</span>}
            <span className="muted">{t("inspector.chart.step", { step: stepName(traffic!.step, t) })}</span>
          </span>
        ) : (
          <span className="muted">{query.isFetching ? t("common.loading") : t("inspector.chart.empty")}</span>
        )}
        <span className="muted traffic-hint">{t("inspector.chart.hint")}</span>
      </div>
      <div className="traffic-canvas" ref={box} role="img" aria-label={alt} data-testid="traffic-chart" />
      <p className="sr-only" data-testid="traffic-alt">
        {alt}
      </p>
    </div>
  );
}

function stepName(ms: number, t: TFunction): string {
  if (ms < 60_000) return t("inspector.chart.seconds", { n: ms / 1000 });
  if (ms < 3_600_000) return t("inspector.chart.minutes", { n: ms / 60_000 });
  if (ms < 86_400_000) return t("inspector.chart.hours", { n: ms / 3_600_000 });
  return t("inspector.chart.days", { n: ms / 86_400_000 });
}
