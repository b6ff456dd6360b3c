// The event list: a virtualised list of callbacks, the helpers its rows share with the detail, and
// the mark of a forwarded callback's answer.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { EventSummary, ForwardRecord, Verify } from "../../bindings";

export const ROW = 44;

export { clockMs as time } from "../../components/time";

export function verifyTheme(v: Verify): "success" | "danger" | "warning" | "default" {
  if (v === "valid") return "success";
  if (v === "bad_sign" || v === "malformed" || v === "too_large") return "danger";
  if (v === "unsigned") return "default";
  return "warning";
}

/** `rows` (newest first) with `e` in its place: arrivals committed together may be announced out of
 *  id order, and one may already be in a page that was read while it arrived. */
export function withArrival(rows: EventSummary[], e: EventSummary): EventSummary[] {
  let i = 0;
  while (i < rows.length && rows[i].id > e.id) i++;
  if (rows[i]?.id === e.id) return rows;
  return [...rows.slice(0, i), e, ...rows.slice(i)];
}

/** A list that renders only the rows in view, so 100 000 callbacks scroll as smoothly as 100. */
export function VirtualList(props: {
  rows: EventSummary[];
  selected: number | null;
  onSelect: (id: number) => void;
  /** Hand-picked rows (for export): Ctrl/⌘-click or Space toggles one, Shift-click picks a range. */
  picked: Set<number>;
  onPick: (ids: number[], on: boolean) => void;
  onEnd: () => void;
  /** What the list is, for screen readers. */
  label: string;
  render: (e: EventSummary) => React.ReactNode;
}) {
  const { t } = useTranslation();
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
      aria-label={props.label}
      aria-multiselectable={false}
      aria-activedescendant={index >= 0 ? `event-option-${props.selected}` : undefined}
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
            id={`event-option-${r.id}`}
            role="option"
            aria-selected={r.id === props.selected}
            aria-checked={props.picked.has(r.id)}
            className={`vrow${r.id === props.selected ? " selected" : ""}${props.picked.has(r.id) ? " picked" : ""}`}
            style={{ top: (first + i) * ROW, height: ROW }}
            onClick={(e) => click(e, r.id)}
            data-testid={`event-${r.id}`}
          >
            {/* The pick box is a picture of a checkbox, not a control inside the option (a control in a
                control is announced badly): the option says whether it is picked (aria-checked) and
                Space picks the current row; the mouse clicks the box. */}
            <span
              className={`vpick${props.picked.has(r.id) ? " on" : ""}`}
              aria-hidden="true"
              onClick={(e) => {
                e.stopPropagation();
                anchor.current = r.id;
                props.onPick([r.id], !props.picked.has(r.id));
              }}
              title={t("inspector.pickRow", { id: r.id })}
              data-testid={`pick-${r.id}`}
            />
            {props.render(r)}
          </div>
        ))}
      </div>
    </div>
  );
}

export function ForwardMark({ record }: { record: ForwardRecord }) {
  const { t } = useTranslation();
  const ok = record.status !== null && record.status >= 200 && record.status < 300;
  return (
    <span className={`fwd ${ok ? "ok" : "fail"}`} title={record.error ?? record.answer} data-testid="forward-mark">
      {t("inspector.forwardMark", { status: record.status ?? t("inspector.noAnswer") })}
    </span>
  );
}
