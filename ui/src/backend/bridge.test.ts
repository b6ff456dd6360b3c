import { afterEach, describe, expect, it, vi } from "vitest";
import { bridgeCall } from "./bridge";

function answer(status: number, body: string) {
  vi.stubGlobal("fetch", vi.fn(async () => new Response(body, { status })));
}

afterEach(() => vi.unstubAllGlobals());

describe("the bridge transport", () => {
  it("reads progress and the result from NDJSON lines", async () => {
    answer(200, '{"progress":1}\n{"progress":2}\n{"ok":"done"}\n');
    const seen: unknown[] = [];
    await expect(bridgeCall("app_status" as never, {} as never, (p) => seen.push(p))).resolves.toBe("done");
    expect(seen).toEqual([1, 2]);
  });

  it("says a missing token is a refusal, not an unreachable backend", async () => {
    answer(401, "missing or wrong bearer token");
    await expect(bridgeCall("app_status" as never, {} as never)).rejects.toMatchObject({ kind: "auth", message: expect.stringMatching(/#token=/) });
  });

  it("settles on an answer line that is not JSON instead of waiting for ever", async () => {
    answer(200, "<html>proxy error</html>\n");
    await expect(bridgeCall("app_status" as never, {} as never)).rejects.toMatchObject({ kind: "internal", message: expect.stringMatching(/not JSON/) });
  });

  it("reports an answer that ends without a result", async () => {
    answer(200, '{"progress":1}\n');
    await expect(bridgeCall("app_status" as never, {} as never)).rejects.toMatchObject({ kind: "network", message: expect.stringMatching(/ended early/) });
  });

  it("reports a backend that cannot be reached", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("fetch failed"))));
    await expect(bridgeCall("app_status" as never, {} as never)).rejects.toMatchObject({ kind: "network", message: expect.stringMatching(/not reachable/) });
  });
});
