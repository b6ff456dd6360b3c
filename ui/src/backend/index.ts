import type { Backend } from "./api";
import { createMockBackend } from "./mock";
import { inTauri, tauriBackend } from "./tauri";

export * from "./api";

/** The real backend inside the desktop app; the in-memory one in a plain browser. */
export const backend: Backend = inTauri() ? tauriBackend : createMockBackend();

if (!inTauri()) {
  // The UI tests read the in-memory backend's state through this, to check what was (not) sent.
  (window as unknown as { __livehookBackend: Backend }).__livehookBackend = backend;
}
