import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "./Button";
import { Dialog } from "./modal";

export type Page = "templates" | "domains" | "inspector" | "deliveries" | "accounts";

/** `g` then one of these letters opens a page. */
const GO: Record<string, Page> = { t: "templates", d: "domains", i: "inspector", l: "deliveries", a: "accounts" };

function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || !!target.closest("input, textarea, select, [role=textbox]"));
}

/**
 * The console's keyboard shortcuts: `g t` / `g d` / `g i` / `g l` / `g a` open a page, `n` a new
 * template, `/` the page's search, `?` the list of shortcuts. None acts while a field has the focus or
 * a dialog is open.
 */
export function useShortcuts(go: (page: Page) => void, help: () => void) {
  const pending = useRef(0);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (document.querySelector("[role=dialog][aria-modal=true]")) return;
      const now = Date.now();
      if (pending.current && now - pending.current < 1500 && GO[e.key]) {
        pending.current = 0;
        e.preventDefault();
        go(GO[e.key]);
        return;
      }
      pending.current = 0;
      if (e.key === "g") {
        pending.current = now;
      } else if (e.key === "?") {
        e.preventDefault();
        help();
      } else if (e.key === "n") {
        e.preventDefault();
        go("templates");
        // The page may be loading: press its Create button once it is there.
        let tries = 0;
        const press = () => {
          const create = document.querySelector<HTMLElement>("[data-testid=create-template]:not([disabled])");
          if (create) create.click();
          else if (tries++ < 50) setTimeout(press, 50);
        };
        press();
      } else if (e.key === "/") {
        const search = document.querySelector<HTMLInputElement>(".page-search input");
        if (search) {
          e.preventDefault();
          search.focus();
        }
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [go, help]);
}

/** The `?` dialog: every shortcut, the inspector's included. */
export function ShortcutsDialog(props: { onClose: () => void }) {
  const { t } = useTranslation();
  // The list is a tab stop (so the keyboard can scroll it) only while it does not fit.
  // The dialog mounts its body after this component: the element arrives through a callback ref.
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const el = scroller;
    if (!el) return;
    const measure = () => setScrolls(el.scrollHeight > el.clientHeight + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [scroller]);
  const goLabel: Record<Page, string> = {
    templates: t("shortcuts.goTemplates"),
    domains: t("shortcuts.goDomains"),
    inspector: t("shortcuts.goInspector"),
    deliveries: t("shortcuts.goDeliveries"),
    accounts: t("shortcuts.goAccounts"),
  };
  const rows: [string, string][] = [
    // From the table the keys are read by, so the list cannot say other keys than work.
    ...Object.entries(GO).map(([key, page]): [string, string] => [`g ${key}`, goLabel[page]]),
    ["n", t("shortcuts.newTemplate")],
    ["/", t("shortcuts.search")],
    ["?", t("shortcuts.help")],
    ["Esc", t("shortcuts.close")],
    ["↑ ↓ | j k", t("shortcuts.listMove")],
    ["Home End", t("shortcuts.listEnds")],
    ["Space", t("shortcuts.listPick")],
  ];
  return (
    <Dialog
      visible
      top="6vh"
      className="shortcuts-dialog"
      header={t("shortcuts.title")}
      onClose={props.onClose}
      footer={
        <Button theme="primary" onClick={props.onClose}>
          {t("common.close")}
        </Button>
      }
    >
      {/* Scrolls in a short window; focusable then, so the keyboard can scroll it too. */}
      <div
        ref={setScroller}
        className="shortcuts-scroll"
        data-testid="shortcuts-scroll"
        {...(scrolls ? { tabIndex: 0, role: "region", "aria-label": t("shortcuts.scrolls") } : {})}
      >
        <table className="shortcuts" data-testid="shortcuts">
          <tbody>
            {rows.map(([keys, what]) => (
              <tr key={keys}>
                <th scope="row">
                  {keys.split(" | ").map((group, g) => (
                    <span key={g}>
                      {g > 0 && <span className="shortcut-or">{t("shortcuts.or")}</span>}
                      {group.split(" ").map((k, i) => (
                        <kbd key={i}>{k}</kbd>
                      ))}
                    </span>
                  ))}
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Dialog>
  );
}
