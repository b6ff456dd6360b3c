import { makeBackend } from "./api";
import { bridgeCall } from "./bridge";
import { inTauri, tauriCall, tauriOpenUrl } from "./tauri";

export * from "./api";

/** The Rust backend: through Tauri in the desktop app, through the loopback bridge in a browser. */
export const backend = makeBackend(inTauri() ? tauriCall : bridgeCall);

/** Whether `url` is an http or https address: nothing else becomes a link or an image source. */
export function isWebUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
}

/** Open an http(s) link in the system browser (in a browser tab when the UI runs on the bridge). */
export async function openExternal(url: string): Promise<void> {
  if (!isWebUrl(url)) throw new Error(`not an http or https address: ${url}`);
  if (inTauri()) await tauriOpenUrl(url);
  else window.open(url, "_blank", "noopener,noreferrer");
}
