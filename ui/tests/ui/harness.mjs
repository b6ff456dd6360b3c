// The UI in Debian's Chromium (playwright-core, no downloaded browser) on the *real* backend: each test
// starts its own `livehook-ui-bridge` (the app's command table over loopback, with the console, the
// offline demo's emulator and the inspector, state in a temporary folder, secrets in memory), opens
// the UI it serves, and checks what the screen shows and what the UI sent.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const dist = join(here, "../../dist");
export const root = join(here, "../../..");
const bridgeBin = process.env.LIVEHOOK_UI_BRIDGE ?? join(root, "target/debug/livehook-ui-bridge");
export const shots = join(root, "target/ui-screenshots");

let browser;
let passed = 0;
let failed = 0;
const only = process.env.UI_TEST ? new RegExp(process.env.UI_TEST) : null;

export async function setup() {
  // A run of some tests (UI_TEST) keeps the other tests' pictures.
  if (!only) rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export async function finish() {
  await browser.close();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

/** One bridge: its address, token, state folder, and calls into the same backend the page uses. */
async function startBridge() {
  const dir = mkdtempSync(join(tmpdir(), "livehook-ui-"));
  const child = spawn(bridgeBin, ["--dir", dir, "--ui", dist], { stdio: ["ignore", "pipe", "pipe"] });
  const stderr = [];
  child.stderr.on("data", (d) => stderr.push(String(d)));
  const first = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bridge did not start: ${stderr.join("")}`)), 20000);
    child.on("exit", (code) => reject(new Error(`the bridge exited (${code}): ${stderr.join("")}`)));
    createInterface({ input: child.stdout }).once("line", (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
  });
  const headers = { Authorization: `Bearer ${first.token}`, "Content-Type": "application/json" };
  /** Run a command as the UI would; resolves with its result, rejects with its AppError. */
  const call = async (name, args = {}) => {
    const r = await fetch(`${first.url}/invoke/${name}`, { method: "POST", headers, body: JSON.stringify(args) });
    const text = await r.text();
    for (const line of text.split("\n").filter(Boolean)) {
      const m = JSON.parse(line);
      if ("ok" in m) return m.ok;
      if ("error" in m) throw Object.assign(new Error(m.error.message), m.error);
    }
    throw new Error(`no answer from ${name}: ${text}`);
  };
  /** Every command the page (or the test) called, in order, secrets blanked. */
  const calls = async () => (await fetch(`${first.url}/calls`, { headers })).json();
  const stop = () => {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  return { ...first, dir, call, calls, stop, stderr };
}

/**
 * A test: a fresh bridge and browser context, the page opened on the templates page. `body` gets
 * (page, bridge). Options: viewport, `before(bridge, page)` to set things up before the page loads.
 */
export async function test(name, locale, body, options = {}) {
  if (only && !only.test(name)) return;
  const bridge = await startBridge();
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 820 }, locale });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const started = Date.now();
  try {
    if (options.before) await options.before(bridge, page);
    await page.goto(`${bridge.url}/#token=${bridge.token}`);
    await page.waitForSelector("[data-testid=create-template]");
    await body(page, bridge);
    assert.deepEqual(errors, [], "no errors in the page");
    passed++;
    console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n${e.stack ?? e}\n${bridge.stderr.join("").slice(-2000)}`);
    await page.screenshot({ path: join(shots, `FAILED-${name.replace(/\W+/g, "-")}.png`) }).catch(() => {});
  } finally {
    await context.close();
    bridge.stop();
  }
}

export const shot = (page, name) => page.screenshot({ path: join(shots, `${name}.png`) });
export const text = (page, sel) => page.locator(sel).innerText();

/** The commands called since `from` (an index into the call log) with the given name. */
export async function callsOf(bridge, name, from = 0) {
  return (await bridge.calls()).slice(from).filter((c) => c.command === name);
}

/** A loopback HTTP server answering every request with `status`; resolves with its base URL. */
export function handler(status = 200) {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end('{"code":0}');
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}

export async function createTemplate(page, name, urls = { StreamBeginNotifyUrl: "https://hooks.example.com/live" }) {
  await page.click("[data-testid=create-template]");
  await page.fill("[data-testid=field-TemplateName] input", name);
  for (const [field, value] of Object.entries(urls)) await page.fill(`[data-testid=field-${field}] input`, value);
  await page.click("[data-testid=form-save]");
}

export async function pickDomain(page, row, name) {
  await page.click(`[data-testid=bind-domain-${row}]`);
  await page.locator(`.bind-domain-popup-${row} li`, { hasText: name }).first().click();
}

/** Wait until `check()` resolves truthy (polling), or fail after `ms`. */
export async function until(check, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${check}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const loadBody = (i) => ({ event_type: 1, stream_id: `load_${i % 500}`, app: "push.example.com", appname: "live", sequence: String(i), t: 4102444800, sign: "0".repeat(32) });

/**
 * POST `n` small push callbacks (`bodyOf(i)`, by default one of 500 streams) to a receiver at `base`
 * (loopback), `concurrency` at a time over kept-alive connections; resolves when every one was answered.
 */
export async function sendCallbacks(base, n, concurrency = 32, bodyOf = loadBody) {
  const { Agent, request } = await import("node:http");
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(base);
  let next = 0;
  const one = (i) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(bodyOf(i));
      const req = request({ host: url.hostname, port: url.port, path: "/push", method: "POST", agent, headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await one(next++);
    }),
  );
  agent.destroy();
}

/** Open a tab of the event detail: a click on the tab, which is always in view (its row wraps). */
export async function openTab(page, name) {
  await page.locator("[role=tab]", { hasText: name }).first().click();
}
