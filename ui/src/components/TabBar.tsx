import { useRef, type KeyboardEvent } from "react";

export type Tab<T extends string> = { value: T; label: string; disabled?: boolean; title?: string };

/**
 * Tabs that wrap onto a second line instead of hiding behind scroll arrows, so every tab is in view at
 * any width. A WAI-ARIA tab list: ←/→, Home and End move between the tabs that can be chosen; the
 * panel is `tabPanelProps(prefix, value)`.
 */
export function TabBar<T extends string>(props: { tabs: Tab<T>[]; value: T; onChange: (v: T) => void; prefix: string; label: string }) {
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const open = props.tabs.filter((x) => !x.disabled);
  const key = (e: KeyboardEvent) => {
    const i = open.findIndex((x) => x.value === props.value);
    const to =
      e.key === "ArrowRight" ? open[(i + 1) % open.length] : e.key === "ArrowLeft" ? open[(i - 1 + open.length) % open.length] : e.key === "Home" ? open[0] : e.key === "End" ? open[open.length - 1] : null;
    if (!to) return;
    e.preventDefault();
    props.onChange(to.value);
    refs.current.get(to.value)?.focus();
  };
  return (
    <div role="tablist" aria-label={props.label} className="tabbar" onKeyDown={key}>
      {props.tabs.map((x) => {
        const on = x.value === props.value;
        return (
          <button
            key={x.value}
            ref={(el) => {
              if (el) refs.current.set(x.value, el);
            }}
            type="button"
            role="tab"
            id={`${props.prefix}-tab-${x.value}`}
            aria-selected={on}
            aria-controls={`${props.prefix}-panel-${x.value}`}
            tabIndex={on ? 0 : -1}
            disabled={x.disabled}
            title={x.title}
            className={`tabbar-item${on ? " on" : ""}`}
            onClick={() => props.onChange(x.value)}
          >
            {x.label}
          </button>
        );
      })}
    </div>
  );
}

/** The attributes of the panel of tab `value`. */
export function tabPanelProps(prefix: string, value: string) {
  return { role: "tabpanel", id: `${prefix}-panel-${value}`, "aria-labelledby": `${prefix}-tab-${value}`, className: "tabbar-panel" } as const;
}
