import type { TFunction } from "i18next";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Tag, Tooltip } from "tdesign-react";
import type { BindingState } from "../bindings";
import { dateTime } from "./time";

/** The state of the binding of `domain` (and `appName`) among `states`. */
export function stateOf(states: BindingState[] | undefined, domain: string, appName: string): BindingState | undefined {
  return states?.find((s) => s.domain === domain && s.appName === appName);
}

/** Minutes (or hours) since `ms`, as "3 min" / "2 h". */
function since(t: TFunction, ms: number, now: number): string {
  const min = Math.max(0, Math.floor((now - ms) / 60000));
  return min < 120 ? t("liveness.minutes", { n: min }) : t("liveness.hours", { n: Math.floor(min / 60) });
}

/**
 * A binding's state as a small tag: *Live* (with the first callback's time on hover, or in the demo
 * that bindings apply at once), or *Pending · N min* since it was bound (what to do on hover).
 */
export function LivenessTag({ state, demo }: { state: BindingState | undefined; demo: boolean }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (state?.state !== "pending") return;
    const timer = window.setInterval(() => setNow(Date.now()), 15000);
    return () => window.clearInterval(timer);
  }, [state?.state]);
  if (!state) return null;
  if (state.state === "live") {
    const hint =
      state.firstCallbackAt !== null
        ? t("liveness.liveHint", { time: dateTime(state.firstCallbackAt), id: state.firstCallbackId })
        : state.deliveredAt !== null
          ? t("liveness.liveLogHint", { time: dateTime(state.deliveredAt) })
          : demo
            ? t("liveness.liveDemoHint")
            : t("liveness.liveHint", { time: "—", id: "—" });
    return (
      <Tooltip content={hint}>
        <Tag size="small" theme="success" variant="light" data-testid="liveness-live" tabIndex={0} aria-label={`${t("liveness.live")}: ${hint}`}>
          {t("liveness.live")}
        </Tag>
      </Tooltip>
    );
  }
  const hint = t("liveness.pendingHint", { time: state.boundAt !== null ? dateTime(state.boundAt) : "—" });
  return (
    <Tooltip content={hint}>
      <Tag size="small" theme="warning" variant="light" data-testid="liveness-pending" tabIndex={0} aria-label={`${t("liveness.pending")}: ${hint}`}>
        {state.boundAt !== null ? t("liveness.pendingFor", { time: since(t, state.boundAt, now) }) : t("liveness.pending")}
      </Tag>
    </Tooltip>
  );
}
