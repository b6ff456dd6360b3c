import { makeBackend } from "./api";
import { bridgeCall } from "./bridge";
import { inTauri, tauriCall } from "./tauri";

export * from "./api";

/** The Rust backend: through Tauri in the desktop app, through the loopback bridge in a browser. */
export const backend = makeBackend(inTauri() ? tauriCall : bridgeCall);
