// In a plain browser (UI tests, development) the same command table reaches the real Rust backend
// through the loopback bridge (`livehook-ui-bridge`), which serves this UI at its own address. The
// page is opened as `URL/#token=TOKEN`; the token is kept for the tab and sent with every call.
import type { AppError } from "../bindings";
import type { Transport } from "./api";

function token(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) {
    sessionStorage.setItem("livehook-bridge-token", fromHash);
    history.replaceState(null, "", location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem("livehook-bridge-token") ?? "";
}

const bearer = typeof window === "undefined" ? "" : token();

function unreachable(message: string): AppError {
  return {
    kind: "network",
    message: `The LiveHook backend is not reachable from this browser tab (${message}). Open the app, or start livehook-ui-bridge and open the address it prints.`,
    code: null,
    requestId: null,
    fields: [],
  };
}

/** What a bridge that answered, but not with a result, means. */
function refusedBy(status: number, text: string): AppError {
  if (status === 401)
    return {
      kind: "auth",
      message:
        "The LiveHook bridge refused this tab: it was not opened with the bridge's token. Open the full address livehook-ui-bridge printed (it ends in #token=…).",
      code: null,
      requestId: null,
      fields: [],
    };
  return { kind: "internal", message: `The LiveHook bridge answered HTTP ${status}: ${text.slice(0, 300) || "no reason given"}.`, code: null, requestId: null, fields: [] };
}

/** One NDJSON line per message: `{progress}` any number of times, one `{ok}` or `{error}`. */
export const bridgeCall: Transport = (name, args, onProgress) =>
  new Promise((resolve, reject) => {
    void (async () => {
      let response: Response;
      try {
        response = await fetch(`/invoke/${name}`, {
          method: "POST",
          headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" },
          body: JSON.stringify(args),
        });
      } catch (e) {
        reject(unreachable(String(e)));
        return;
      }
      if (!response.ok || !response.body) {
        reject(refusedBy(response.status, await response.text().catch(() => "")));
        return;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      let settled = false;
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) break;
        buffer += value;
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          let line: { progress?: unknown; ok?: unknown; error?: AppError };
          try {
            line = JSON.parse(buffer.slice(0, nl)) as typeof line;
          } catch {
            // Settle now: a line that is not JSON would otherwise leave the call waiting for ever.
            reject(refusedBy(response.status, `an answer line that is not JSON: ${buffer.slice(0, nl)}`));
            void reader.cancel();
            return;
          }
          buffer = buffer.slice(nl + 1);
          if ("progress" in line) onProgress?.(line.progress as never);
          else if ("error" in line) {
            settled = true;
            reject(line.error);
          } else {
            settled = true;
            resolve(line.ok as never);
          }
        }
      }
      if (!settled) reject(unreachable("the answer ended early"));
    })();
  });
