import { EVENT_TYPES } from "../../bindings/vocabulary";

/** One colour per event type, in EVENT_TYPES order (the chart's bars and the stream lanes' marks). */
const COLOURS = ["#0052d9", "#8c8c8c", "#2ba471", "#56c08d", "#e37318", "#a25eb5", "#029cd4", "#d54941", "#b5484f", "#7a5af8", "#3d9b9b"];

/** An event type's colour; grey for a request that is no Tencent callback. */
export function typeColour(ty: number | null): string {
  const i = EVENT_TYPES.findIndex((e) => e.code === ty);
  return i < 0 ? "#bbbbbb" : COLOURS[i % COLOURS.length];
}
