import { useState } from "react";

/** A collapsible view of a JSON value; objects and arrays open one level at a time. */
export function JsonTree({ value, name, depth = 0 }: { value: unknown; name?: string; depth?: number }) {
  const [open, setOpen] = useState(depth < 2);
  const label = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (value === null || typeof value !== "object") {
    const cls = value === null ? "json-null" : `json-${typeof value}`;
    return (
      <div className="json-row" style={{ paddingLeft: depth * 14 }}>
        {label}
        <span className={cls}>{JSON.stringify(value)}</span>
      </div>
    );
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  const [l, r] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  return (
    <div data-testid={depth === 0 ? "json-tree" : undefined}>
      <div className="json-row json-toggle" style={{ paddingLeft: depth * 14 }} onClick={() => setOpen(!open)}>
        <span className="json-caret">{open ? "▾" : "▸"}</span>
        {label}
        {l}
        {!open && <span className="muted"> {entries.length} … </span>}
        {!open && r}
      </div>
      {open && entries.map(([k, v]) => <JsonTree key={k} name={k} value={v} depth={depth + 1} />)}
      {open && (
        <div className="json-row" style={{ paddingLeft: depth * 14 }}>
          {r}
        </div>
      )}
    </div>
  );
}
