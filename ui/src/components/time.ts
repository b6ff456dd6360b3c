// One time format everywhere: local time, 24-hour, `YYYY-MM-DD HH:mm:ss`. A value the cloud gives
// (a binding's CreateTime) is Beijing time without a zone, so it is shown as given with the zone named.

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** `HH:mm:ss.SSS`, local: a callback's arrival in the list. */
export function clockMs(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `YYYY-MM-DD HH:mm:ss`, local. */
export function dateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `HH:mm` or `HH:mm:ss` (when `seconds`), local: chart axes and ranges. */
export function clock(ms: number, seconds = false): string {
  const d = new Date(ms);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return seconds ? `${hm}:${pad(d.getSeconds())}` : hm;
}

/** A range, with the date once when both ends fall on the same day. */
export function range(from: number, to: number): string {
  const a = dateTime(from);
  const b = dateTime(to);
  return a.slice(0, 10) === b.slice(0, 10) ? `${a} – ${b.slice(11)}` : `${a} – ${b}`;
}

/**
 * A time the Tencent Cloud API gave, in Beijing time (`2026-12-05T14:02:00+08:00` or
 * `2026-12-05 14:02:00`): shown as `YYYY-MM-DD HH:mm:ss` with `zone` (its name) after it.
 */
export function cloudTime(value: string, zone: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})/.exec(value);
  return m ? `${m[1]} ${m[2]} ${zone}` : value;
}
