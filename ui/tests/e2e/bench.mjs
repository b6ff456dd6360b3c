// The inspector's speed in the desktop app's real window (tauri-driver + WebKitWebDriver, see
// .ci/e2e-bench). Prints figures; asserts nothing about time.
//
// 1. Live: RATE callbacks a second for SECONDS seconds to the app's receiver (loopback); for each, the
//    time from the receiver's answer to its row being in the page (a MutationObserver in the page
//    notes when each stream's row appears; the sender notes each answer; one clock, one machine).
//    Half-way, a filter change: from the keystroke to the list showing only what it keeps.
// 2. Stored: STORED callbacks in the database (sent before the window opens again, receiver stopped);
//    from the click on *Event inspector* to the first row and to the chart's figures.
// Usage: node bench.mjs /path/to/livehook-desktop
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { Agent, request } from "node:http";
import { Builder, By, Key, until } from "selenium-webdriver";

const app = process.argv[2];
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const STORED = Number(process.env.BENCH_STORED ?? 1_000_000);

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const quantile = (xs, q) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (x) => `${x.toFixed(1)} ms`;

/** One window of the app: its driver, a way to call its commands, and the end of it. */
async function openApp() {
  const port = await freePort();
  const nativePort = await freePort();
  const driverProcess = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort), "--native-driver", "/usr/bin/WebKitWebDriver"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  await new Promise((r) => setTimeout(r, 1500));
  const driver = await new Builder()
    .usingServer(`http://127.0.0.1:${port}/`)
    .withCapabilities({ browserName: "wry", "tauri:options": { application: app } })
    .build();
  await driver.manage().window().setRect({ width: 1280, height: 820 });
  await driver.wait(until.elementLocated(By.css('[data-testid="nav-inspector"]')), 30000);
  const invoke = async (cmd, args = {}) => {
    const r = await driver.executeAsyncScript(
      (cmd, args, done) => window.__TAURI_INTERNALS__.invoke(cmd, args).then((ok) => done({ ok }), (err) => done({ err })),
      cmd,
      args,
    );
    if ("err" in r) throw new Error(`${cmd}: ${JSON.stringify(r.err)}`);
    return r.ok;
  };
  const close = async () => {
    await driver.quit().catch(() => {});
    driverProcess.kill();
    await new Promise((r) => setTimeout(r, 1000));
  };
  return { driver, invoke, close };
}

/** POST `bodyOf(i)` for i in [from, to) to `base` at `rate` a second (0: as fast as it answers);
 *  resolves with each answer's time (Date.now()) by i. */
async function send(base, from, to, rate, bodyOf, concurrency = 32) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(base);
  const answered = new Map();
  const one = (i) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(bodyOf(i));
      const req = request(
        { host: url.hostname, port: url.port, path: "/push", method: "POST", agent, headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on("end", () => {
            answered.set(i, Date.now());
            resolve();
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  const start = Date.now();
  let next = from;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < to) {
        const i = next++;
        if (rate > 0) {
          const due = start + ((i - from) * 1000) / rate;
          const wait = due - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        await one(i);
      }
    }),
  );
  agent.destroy();
  return answered;
}

const live = (i) => ({ event_type: 1, stream_id: `bench_${i}`, app: "push.example.com", appname: "live", sequence: String(i) });

// 1. Live arrivals.
{
  const { driver, invoke, close } = await openApp();
  try {
    await invoke("inspector_set_retention", { retention: { maxEvents: 0, maxAgeDays: 0, maxMb: 0 } });
    const { address } = await invoke("inspector_start", { port: 0, external: false });
    await driver.findElement(By.css('[data-testid="nav-inspector"]')).click();
    await driver.wait(until.elementLocated(By.css('[data-testid="events-empty"]')), 15000);
    // The page notes when each stream's row first appears, and when a filter's first keeping list shows.
    await driver.executeScript(() => {
      window.__seen = {};
      window.__filter = null;
      const note = () => {
        const now = Date.now();
        const rows = document.querySelectorAll('[data-testid="event-list"] [role="option"] .vstream');
        for (const r of rows) if (!(r.title in window.__seen)) window.__seen[r.title] = now;
        const f = window.__filter;
        if (f && f.done === undefined && rows.length > 0 && [...rows].every((r) => r.title.startsWith(f.value))) f.done = now;
      };
      new MutationObserver(note).observe(document.querySelector(".pane-list"), { childList: true, subtree: true });
      document.addEventListener(
        "input",
        (e) => {
          if (e.target.closest?.('[data-testid="filter-stream"]')) window.__filter = { value: e.target.value, at: Date.now() };
        },
        true,
      );
    });
    const total = RATE * SECONDS;
    console.log(`live: ${RATE} callbacks a second for ${SECONDS} s (${total}) to ${address}`);
    const sending = send(address, 0, total, RATE, live);
    // Half-way, filter the list by one stream prefix and clear it again.
    await new Promise((r) => setTimeout(r, (SECONDS * 1000) / 2));
    const input = await driver.findElement(By.css('[data-testid="filter-stream"] input'));
    await input.sendKeys("bench_1");
    await driver.wait(() => driver.executeScript(() => window.__filter?.done !== undefined), 10000, "the filtered list");
    const filter = await driver.executeScript(() => window.__filter);
    await input.sendKeys(Key.chord(Key.CONTROL, "a"), Key.BACK_SPACE);
    const answered = await sending;
    await new Promise((r) => setTimeout(r, 2000));
    const seen = await driver.executeScript(() => window.__seen);
    const lat = [];
    let missing = 0;
    for (const [i, at] of answered) {
      const t = seen[`bench_${i}`];
      if (t === undefined) missing++;
      else lat.push(Math.max(0, t - at));
    }
    console.log(`  answer → row in the page: p50 ${ms(quantile(lat, 0.5))}, p95 ${ms(quantile(lat, 0.95))}, max ${ms(Math.max(...lat))} (${lat.length} rows timed)`);
    console.log(`  rows not timed: ${missing} (arrived while the list showed only the filter's stream, or scrolled out in one frame)`);
    console.log(`  filter change (stream "${filter.value}") → list shows only it: ${ms(filter.done - filter.at)}`);
    await invoke("inspector_stop");
  } finally {
    await close();
  }
}

// 2. Opening the inspector with STORED callbacks stored.
{
  let { invoke, close } = await openApp();
  let started;
  try {
    const stored = (await invoke("inspector_status")).stored;
    const { address } = await invoke("inspector_start", { port: 0, external: false });
    started = Date.now();
    await send(address, stored, STORED, 0, (i) => ({ event_type: [1, 0, 200, 100][i % 4], stream_id: `load_${i % 500}`, sequence: String(i) }), 64);
    console.log(`stored: ${STORED} callbacks in the database (the last ${STORED - stored} sent in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    await invoke("inspector_stop");
  } finally {
    await close();
  }
  // A new window: the receiver stopped, the database full.
  const again = await openApp();
  try {
    const { driver } = again;
    const times = await driver.executeAsyncScript((done) => {
      const t0 = performance.now();
      const out = {};
      const check = () => {
        const now = performance.now() - t0;
        if (out.list === undefined && document.querySelector('[data-testid="event-list"] [role="option"]')) out.list = now;
        if (out.chart === undefined && document.querySelector('[data-testid="traffic-summary"]')) out.chart = now;
        if (out.list !== undefined && out.chart !== undefined) done(out);
        else if (now > 30000) done(out);
        else requestAnimationFrame(check);
      };
      document.querySelector('[data-testid="nav-inspector"]').click();
      requestAnimationFrame(check);
    });
    const summary = await driver.executeScript(() => document.querySelector('[data-testid="traffic-summary"]')?.innerText.replace(/\s+/g, " ") ?? "");
    console.log(`  click on Event inspector → first row: ${ms(times.list ?? NaN)}, → chart's figures: ${ms(times.chart ?? NaN)} (${summary})`);
  } finally {
    await again.close();
  }
}
