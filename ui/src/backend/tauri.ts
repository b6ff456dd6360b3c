// The only module that imports @tauri-apps/api: the desktop app's transport for the command table.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { Transport } from "./api";

export function inTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

/** Each command is a Tauri command of the same name; a streaming command gets a `progress` channel. */
export const tauriCall: Transport = (name, args, onProgress) => {
  if (!onProgress) return invoke(name, args);
  const progress = new Channel<Parameters<typeof onProgress>[0]>();
  progress.onmessage = onProgress;
  return invoke(name, { ...args, progress });
};

/** `url` in the system browser, through the opener plugin (its capability allows http and https only). */
export function tauriOpenUrl(url: string): Promise<void> {
  return invoke("plugin:opener|open_url", { url });
}
