// The stream timeline as a picture: one lane per push session, the session as a bar from its push to
// its interruption, every other callback as a mark on it (recordings square, screenshots round, audits
// diamonds), and what looks wrong in red. Hovering a mark names it and what is wrong; clicking opens
// the callback. The list under it says the same in words.
import { useTranslation } from "react-i18next";
import type { TimelineEntry } from "../../bindings";
import { eventTypeName } from "../../components/labels";
import { clock } from "../../components/time";
import { typeColour } from "./colours";

const LANE = 30;
const TOP = 18;

type Lane = { session: string | null; items: TimelineEntry[] };

function shape(ty: number | null): "bar-end" | "square" | "circle" | "diamond" | "triangle" {
  if (ty === 0 || ty === 1) return "bar-end";
  if (ty === 100 || ty === 332 || ty === 341) return "square";
  if (ty === 200) return "circle";
  if (ty === 315 || ty === 317) return "diamond";
  return "triangle";
}

export function StreamLanes({ entries, current, onOpen }: { entries: TimelineEntry[]; current: number; onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  if (entries.length === 0) return null;
  const lanes: Lane[] = [];
  for (const e of entries) {
    const lane = lanes.find((l) => l.session === e.session);
    if (lane) lane.items.push(e);
    else lanes.push({ session: e.session, items: [e] });
  }
  // (A loop, not Math.min(...): a timeline holds up to 50 000 entries.)
  let first = entries[0].at;
  let last = entries[0].at;
  for (const e of entries) {
    if (e.at < first) first = e.at;
    if (e.at > last) last = e.at;
  }
  const span = Math.max(1, last - first);
  // Across the width in percent (1% to 99%), so the marks keep their shape at any width.
  const x = (at: number) => 1 + ((at - first) / span) * 98;
  const pct = (v: number) => `${v}%`;
  const height = TOP + lanes.length * LANE + 4;
  const anomalies = entries.filter((e) => e.anomalies.length > 0).length;
  const describe = (e: TimelineEntry) =>
    [`${clock(e.at * 1000, true)} ${eventTypeName(t, e.event.eventType)} #${e.event.id}`, ...e.anomalies.map((a) => t(`inspector.anomaly.${a.kind}`, a as Record<string, unknown>))].join(" — ");
  return (
    <figure className="lanes" data-testid="stream-lanes">
      <svg
        width="100%"
        height={height}
        role="img"
        aria-label={t("inspector.lanes.alt", { sessions: lanes.length, n: entries.length, anomalies })}
      >
        <text x="1%" y={12} className="lanes-axis">{clock(first * 1000, true)}</text>
        <text x="99%" y={12} className="lanes-axis" textAnchor="end">{clock(last * 1000, true)}</text>
        {lanes.map((lane, i) => {
          const y = TOP + i * LANE + LANE / 2;
          const push = lane.items.find((e) => e.event.eventType === 1);
          const end = [...lane.items].reverse().find((e) => e.event.eventType === 0);
          const from = x((push ?? lane.items[0]).at);
          const to = x((end ?? lane.items[lane.items.length - 1]).at);
          // A session with no push or no interruption: its bar is dashed and red at that end.
          const broken = !push || !end;
          return (
            <g key={i} data-testid="lane">
              <title>{lane.session ? t("inspector.session", { sequence: lane.session }) : t("inspector.noSession")}</title>
              <line x1="1%" x2="99%" y1={y} y2={y} className="lane-track" />
              <rect x={pct(from)} y={y - 5} width={pct(Math.max(0.3, to - from))} height={10} rx={3} className={`lane-bar${broken ? " broken" : ""}`} data-testid="lane-bar" />
              {lane.items.map((e) => {
                const cx = x(e.at);
                const bad = e.anomalies.length > 0;
                const fill = bad ? "var(--td-error-color)" : typeColour(e.event.eventType);
                const common = {
                  className: `lane-mark${bad ? " anomaly" : ""}${e.event.id === current ? " current" : ""}`,
                  fill,
                  onClick: () => onOpen(e.event.id),
                  "data-testid": `lane-mark-${e.event.id}`,
                  // What looks wrong is reachable by keyboard (Tab, then Enter); the list below has the rest.
                  ...(bad
                    ? {
                        tabIndex: 0,
                        role: "button",
                        "aria-label": describe(e),
                        onKeyDown: (k: React.KeyboardEvent) => {
                          if (k.key === "Enter" || k.key === " ") {
                            k.preventDefault();
                            onOpen(e.event.id);
                          }
                        },
                      }
                    : {}),
                };
                const s = shape(e.event.eventType);
                // Drawn around (0, 0) in a box placed at the mark's time.
                const body =
                  s === "bar-end" ? (
                    <rect x={-2} y={-9} width={4} height={18} {...common} />
                  ) : s === "square" ? (
                    <rect x={-4} y={-4} width={8} height={8} {...common} />
                  ) : s === "circle" ? (
                    <circle cx={0} cy={0} r={4.5} {...common} />
                  ) : s === "diamond" ? (
                    <polygon points="0,-6 6,0 0,6 -6,0" {...common} />
                  ) : (
                    <polygon points="0,-6 6,5 -6,5" {...common} />
                  );
                return (
                  <svg key={e.event.id} x={pct(cx)} y={y} overflow="visible">
                    <title>{describe(e)}</title>
                    {body}
                  </svg>
                );
              })}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted lanes-caption">
        {t("inspector.lanes.caption", { sessions: lanes.length, anomalies })}
      </figcaption>
    </figure>
  );
}
