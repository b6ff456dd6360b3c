import { useEffect, useId, useRef, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { Dialog as TDialog, Drawer as TDrawer, type DialogProps, type DrawerProps } from "tdesign-react";

const FIELD = "input:not([type=hidden]):not([disabled]), textarea:not([disabled]), select:not([disabled])";
const FOCUSABLE = `a[href], button:not([disabled]), ${FIELD}, [tabindex]:not([tabindex="-1"])`;

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((e) => e.getClientRects().length > 0 && !e.closest("[aria-hidden=true]"));
}

/**
 * TDesign's Select throws on Escape, ↑ or ↓ when its list is closed (it scrolls a list that may not
 * exist yet), so a keyboard user broke the page with one key. Such a key is taken here, before it
 * reaches the Select: Escape inside a drawer or dialog closes that (what Escape means there), elsewhere
 * it does nothing; an arrow opens the list. Installed once, by the app.
 */
export function guardSelectEscape() {
  document.addEventListener(
    "keydown",
    (e) => {
      if (!["Escape", "ArrowDown", "ArrowUp"].includes(e.key) || !(e.target instanceof HTMLElement)) return;
      const select = e.target.closest(".t-select__wrap, .t-select");
      if (!select || select.querySelector(".t-select-input--popup-visible") || select.classList.contains("t-select-input--popup-visible")) return;
      e.stopPropagation();
      e.preventDefault();
      if (e.key === "Escape") e.target.closest("[role=dialog]")?.querySelector<HTMLElement>(".t-drawer__close-btn, .t-dialog__close")?.click();
      // An arrow opens the list (as Enter does), instead of throwing.
      else e.target.click();
    },
    true,
  );
}

/**
 * What a modal drawer or dialog owes a keyboard and a screen reader, which TDesign's leave out when they
 * open already visible: it is announced as a modal dialog named by its title; focus moves in (to the
 * first field, else the surface itself), Tab and Shift+Tab stay inside, Escape reaches TDesign's close
 * handler (which listens inside), the close × is a focusable, named button, and focus returns to the
 * control that opened it.
 */
function useModalFocus(marker: RefObject<HTMLElement | null>, surfaceSelector: string, headerSelector: string, closeSelector: string) {
  const { t } = useTranslation();
  const titleId = useId();
  const closeLabel = t("common.close");
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    let surface: HTMLElement | null = null;
    let frame = 0;
    let tries = 0;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Tab" || !surface) return;
      const items = focusables(surface);
      if (!items.length) return;
      const first = items[0];
      const last = items[items.length - 1];
      const inside = surface.contains(document.activeElement);
      if (e.shiftKey && (!inside || document.activeElement === first || document.activeElement === surface)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (!inside || document.activeElement === last)) {
        e.preventDefault();
        first.focus();
      }
    };
    const onCloseKey = (e: KeyboardEvent) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        (e.currentTarget as HTMLElement).click();
      }
    };
    let close: HTMLElement | null = null;
    const settle = () => {
      surface = marker.current?.closest<HTMLElement>(surfaceSelector) ?? null;
      if (!surface) {
        if (tries++ < 60) frame = requestAnimationFrame(settle);
        return;
      }
      surface.setAttribute("role", "dialog");
      surface.setAttribute("aria-modal", "true");
      const header = surface.querySelector<HTMLElement>(headerSelector);
      if (header) {
        header.id ||= titleId;
        surface.setAttribute("aria-labelledby", header.id);
      }
      close = surface.querySelector<HTMLElement>(closeSelector);
      if (close && close.tagName !== "BUTTON") {
        close.setAttribute("role", "button");
        close.tabIndex = 0;
        close.addEventListener("keydown", onCloseKey);
      }
      close?.setAttribute("aria-label", closeLabel);
      // Someone (a click, a test's typing) already went in while it opened: leave focus there.
      if (surface.contains(document.activeElement)) return;
      const target = surface.querySelector<HTMLElement>(FIELD) ?? surface;
      if (target === surface && !surface.hasAttribute("tabindex")) surface.tabIndex = -1;
      target.focus();
      // Still animating in (not yet focusable): try again on the next frames.
      if (!surface.contains(document.activeElement) && tries++ < 60) frame = requestAnimationFrame(settle);
    };
    settle();
    document.addEventListener("keydown", onKey, true);
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener("keydown", onKey, true);
      close?.removeEventListener("keydown", onCloseKey);
      if (opener?.isConnected) opener.focus();
    };
    // Once per opening: the component mounts visible and unmounts when it closes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}

/** TDesign's Drawer with useModalFocus: focus on its first field. */
export function Drawer(props: DrawerProps) {
  const marker = useRef<HTMLSpanElement>(null);
  useModalFocus(marker, ".t-drawer__content-wrapper", ".t-drawer__header", ".t-drawer__close-btn");
  return (
    <TDrawer {...props} body={undefined}>
      <span ref={marker} hidden />
      {props.body ?? props.children}
    </TDrawer>
  );
}

/** TDesign's Dialog with useModalFocus: focus on its first field, else on the dialog itself (never on a
 * button, which may be one that deletes). */
export function Dialog(props: DialogProps) {
  const marker = useRef<HTMLSpanElement>(null);
  useModalFocus(marker, ".t-dialog", ".t-dialog__header", ".t-dialog__close");
  return (
    <TDialog {...props} body={undefined}>
      <span ref={marker} hidden />
      {props.body ?? props.children}
    </TDialog>
  );
}
