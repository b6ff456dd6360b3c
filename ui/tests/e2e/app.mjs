// The desktop app's real window in its offline demo, driven through tauri-driver and WebKitWebDriver:
// create a template with the form, bind it to two domains, unbind them, delete it. A screenshot of each
// step goes to $E2E_SHOTS. Usage: node app.mjs /path/to/livehook-desktop (see .ci/e2e-test).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { Builder, By, Key, until } from "selenium-webdriver";
import { REMOTE_TOKEN, pushBody, startRemote } from "../remote-inspector.mjs";
import { keyboardWalk } from "./keyboard.mjs";
import { roundTrips, tour } from "./screens.mjs";

const app = process.argv[2];
const shots = process.env.E2E_SHOTS ?? "e2e-screenshots";
rmSync(shots, { recursive: true, force: true });
mkdirSync(shots, { recursive: true });

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const port = await freePort();
const nativePort = await freePort();
const driverProcess = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort), "--native-driver", "/usr/bin/WebKitWebDriver"], {
  stdio: ["ignore", "inherit", "inherit"],
});
await new Promise((r) => setTimeout(r, 1500));

const driver = await new Builder()
  .usingServer(`http://127.0.0.1:${port}/`)
  .withCapabilities({ browserName: "wry", "tauri:options": { application: app } })
  .build();

let step = 0;
const shot = async (name) => {
  step++;
  writeFileSync(join(shots, `${String(step).padStart(2, "0")}-${name}.png`), await driver.takeScreenshot(), "base64");
};
/** A screenshot under a fixed name (folders allowed), for the tour of every screen. */
const shotAs = async (name) => {
  mkdirSync(dirname(join(shots, name)), { recursive: true });
  writeFileSync(join(shots, `${name}.png`), await driver.takeScreenshot(), "base64");
};
const $ = (testid) => driver.wait(until.elementLocated(By.css(`[data-testid="${testid}"]`)), 15000);
// Dialogs and drawers animate in; a click during the animation can land on the overlay. Wait until
// the element is shown and enabled and has stopped moving, and retry only a click that was intercepted.
const click = async (testid) => {
  const el = await $(testid);
  // Lists and panes scroll inside themselves: bring the element into view as a person would.
  await driver.executeScript((e) => e.scrollIntoView({ block: "nearest" }), el);
  await driver.wait(until.elementIsVisible(el), 10000);
  await driver.wait(until.elementIsEnabled(el), 10000);
  let last = null;
  for (let i = 0; i < 20; i++) {
    const rect = await el.getRect();
    await driver.sleep(100);
    const again = await el.getRect();
    if (rect.x !== again.x || rect.y !== again.y) continue;
    try {
      await el.click();
      return;
    } catch (e) {
      if (e.name !== "ElementClickInterceptedError") throw e;
      last = e;
    }
  }
  throw last ?? new Error(`${testid} kept moving`);
};
/** Waits until nothing matches `css`. A WebDriver call that fails while the page is busy counts as "not
 * yet"; on timeout the error says what the page showed (a form's error notice, say). */
const gone = async (css, what, ms = 15000) => {
  const left = () => driver.executeScript((c) => document.querySelectorAll(c).length, css).catch(() => -1);
  try {
    await driver.wait(async () => (await left()) === 0, ms);
  } catch {
    const shown = await driver.executeScript((c) => document.querySelector(c)?.textContent ?? "", css).catch((e) => `(${e.message})`);
    throw new Error(`${what}: still there after ${ms} ms, showing: ${shown.slice(0, 600)}`);
  }
};
const type = async (testid, text) => {
  const input = await driver.wait(until.elementLocated(By.css(`[data-testid="${testid}"] input`)), 10000);
  // Keystrokes, not clear(): React keeps its own copy of a controlled input's value.
  await input.sendKeys(Key.chord(Key.CONTROL, "a"), Key.BACK_SPACE);
  await input.sendKeys(text);
};
// textContent, not WebDriver's getText: WebKitWebDriver leaves out text it judges not displayed.
const textOf = async (testid) => {
  await $(testid);
  return driver.executeScript((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? "", testid);
};
const waitText = (testid, re) =>
  driver.wait(async () => re.test(await textOf(testid).catch(() => "")), 15000, `${testid} shows ${re}`);
const pick = async (row, name) => {
  await click(`bind-domain-${row}`);
  const option = await driver.wait(
    until.elementLocated(By.xpath(`//*[contains(@class,"bind-domain-popup-${row}")]//li[contains(., "${name}")]`)),
    10000,
  );
  await driver.wait(until.elementIsVisible(option), 5000);
  await option.click();
  // The list closes with an animation; clicks meant for the dialog must wait for it.
  await driver.wait(async () => {
    const open = await driver.findElements(By.css(`.bind-domain-popup-${row}`));
    for (const el of open) if (await el.isDisplayed().catch(() => false)) return false;
    return true;
  }, 5000, "the domain list closes");
};

// A TDesign Select: open it, click the option, wait for the list to close.
const pickFrom = async (testid, popup, name) => {
  const select = await driver.wait(until.elementLocated(By.css(`[data-testid="${testid}"] .t-select`)), 10000);
  await select.click();
  const option = await driver.wait(until.elementLocated(By.xpath(`//*[contains(@class,"${popup}")]//li[contains(., "${name}")]`)), 10000);
  await driver.wait(until.elementIsVisible(option), 5000);
  await option.click();
  await driver.wait(async () => {
    for (const el of await driver.findElements(By.css(`.${popup}`))) if (await el.isDisplayed().catch(() => false)) return false;
    return true;
  }, 5000, `the ${popup} list closes`);
};

let ok = false;
try {
  // E2E_ONLY=keyboard: only the keyboard walkthrough (while working on it).
  if (process.env.E2E_ONLY === "keyboard") {
    await waitText("demo-badge", /Offline demo|离线演示/);
    await keyboardWalk({ driver, $, click, gone, type, textOf, waitText, shot, shotAs, shots });
    ok = true;
  } else {
  // The demo starts on its own: no account, the emulator inside the app.
  await waitText("demo-badge", /Offline demo|离线演示/);
  await $("templates-empty");
  await shot("demo-empty");

  await click("create-template");
  await type("field-TemplateName", "e2e_hooks");
  await type("field-StreamBeginNotifyUrl", "ftp://wrong");
  await waitText("template-form", /http:\/\/ or https:\/\/|http:\/\/ 或 https:\/\//);
  await shot("form-invalid-url");
  await type("field-StreamBeginNotifyUrl", "https://hooks.example.com/live");
  await type("field-RecordNotifyUrl", "https://hooks.example.com/record");
  await click("generate-key");
  await shot("form-filled");
  await click("form-save");

  await click("offer-bind");
  await pick(0, "push.example.com");
  await click("bind-add-row");
  await pick(1, "push2.example.com");
  await type("bind-app-1", "live");
  await shot("bind-two-domains");
  await click("bind-submit");
  await waitText("bind-results", /2 of 2 bound|已绑定 2 \/ 2/);
  await shot("bound");
  await click("bind-close");
  await waitText("templates-table", /push2\.example\.com\/live/);
  await shot("templates-with-bindings");

  await click("nav-domains");
  await waitText("domains-table", /e2e_hooks/);
  await shot("domains-with-rules");
  for (const target of ["push.example.com", "push2.example.com/live"]) {
    await click(`unbind-${target}`);
    const confirm = await driver.wait(until.elementLocated(By.css(".t-popconfirm__confirm")), 10000);
    await driver.wait(until.elementIsVisible(confirm), 5000);
    await confirm.click();
    await gone(`[data-testid="rule-${target}"]`, `${target} unbound`);
  }
  await shot("unbound");

  await click("nav-templates");
  await waitText("templates-table", /e2e_hooks/);
  await click("delete-e2e_hooks");
  await click("delete-confirm");
  await $("templates-empty");
  await shot("deleted");

  // The inspector: a demo stream's callbacks arrive live, verified with the template's key.
  await click("create-template");
  await type("field-TemplateName", "inspected");
  await type("field-StreamBeginNotifyUrl", "https://hooks.example.com/live");
  await click("generate-key");
  await click("form-save");
  await click("offer-bind");
  await pick(0, "push.example.com");
  await click("bind-submit");
  await waitText("bind-results", /1 of 1 bound|已绑定 1 \/ 1/);
  await click("bind-close");
  await click("nav-inspector");
  await $("inspector-empty");
  await type("inspector-port", "0");
  await click("inspector-start");
  await waitText("inspector-address", /http:\/\/127\.0\.0\.1:\d+/);
  // The template still sends to hooks.example.com: pushing says so and points it here first.
  await click("demo-stream-open");
  await $("push-dialog");
  await driver.sleep(500); // the dialog's opening animation
  await pickFrom("demo-stream-domain", "demo-domain-popup", "push.example.com");
  await waitText("push-elsewhere", /sends its callbacks to https:\/\/hooks\.example\.com\/live|把回调发到 https:\/\/hooks\.example\.com\/live/);
  await click("demo-stream-start");
  await driver.wait(
    async () => (await driver.findElements(By.css('[data-testid="event-list"] [role="option"]'))).length >= 6,
    30000,
    "the demo stream's callbacks arrive",
  );
  await waitText("event-list", /Interruption|断流/);
  const listed = await textOf("event-list");
  if (!/Verified|校验通过/.test(listed) || /Bad sign|签名错误/.test(listed)) throw new Error(`not verified: ${listed}`);
  const rows = await driver.findElements(By.css('[data-testid="event-list"] [role="option"]'));
  // The oldest row may be below the list's fold (the list scrolls inside its pane): bring it into view.
  await driver.executeScript((el) => el.scrollIntoView({ block: "nearest" }), rows[rows.length - 1]);
  await rows[rows.length - 1].click();
  await waitText("event-detail", /Signed with template \d+ \(inspected\)|由 template \d+ \(inspected\) 签名/);
  await shot("inspector-live");

  // The callback's push session in the timeline; then two rows picked and exported as HAR through the
  // real backend, into the temporary HOME.
  // Every tab is in view (the tab row wraps): clicked as a person would.
  await (await driver.wait(until.elementLocated(By.xpath('//*[@role="tab"][contains(., "Timeline") or contains(., "时间线")]')), 15000)).click();
  await waitText("timeline", /Push session \d+|推流会话 \d+/);
  const ids = await driver.executeScript(() =>
    [...document.querySelectorAll('[data-testid="event-list"] [role="option"]')].map((r) => r.dataset.testid.slice(6)),
  );
  await click(`pick-${ids[0]}`);
  await click(`pick-${ids[1]}`);
  await waitText("picked-count", /2 picked|已选 2 条/);
  await click("export-open");
  await waitText("export-what", /Picked \(2\)|已选（2）/);
  const har = join(process.env.HOME, "picked.har");
  await type("inspector-export-path", har);
  await shot("inspector-export-picked");
  await click("export-save");
  await driver.wait(() => existsSync(har), 15000, "the export is written");
  const entries = JSON.parse(readFileSync(har, "utf8")).log.entries;
  assert.equal(entries.length, 2, "only the picked callbacks are exported");
  await driver.executeScript(() => document.querySelector(".t-dialog__close")?.click());
  await driver.sleep(400);

  // Links from a callback's body open in the system browser through the opener plugin: the script's
  // `xdg-open` stand-in (first on PATH, see .ci/e2e-test) writes down what it was asked to open. A
  // `javascript:` URL from a body is text, never a link.
  const opened = process.env.E2E_OPENED;
  assert.ok(opened, "E2E_OPENED names the stand-in's log");
  const address = (await textOf("inspector-address")).match(/http:\/\/127\.0\.0\.1:\d+/)[0];
  const file = "https://records.example.com/e2e/file.mp4";
  for (const [stream, url] of [["e2e_link_bad", "javascript:alert(1)"], ["e2e_link", file]]) {
    const r = await fetch(`${address}/record`, { method: "POST", body: JSON.stringify({ event_type: 100, stream_id: stream, video_url: url, file_size: 1024 }) });
    assert.equal(r.status, 200);
  }
  const openRow = async (stream) => {
    const row = await driver.wait(
      until.elementLocated(By.xpath(`//*[@data-testid="event-list"]//*[@role="option"][contains(., "${stream}")][not(contains(., "${stream}_"))]`)),
      15000,
    );
    await driver.executeScript((el) => el.scrollIntoView({ block: "center" }), row);
    await row.click();
    // The detail keeps the tab last chosen (the timeline, above): back to the summary.
    // (The new callback's detail loads first: wait for its tabs.)
    const summary = await driver.wait(until.elementLocated(By.xpath('//*[@role="tab"][contains(., "Summary") or contains(., "概要")]')), 15000);
    await summary.click();
    await waitText("event-detail", new RegExp(stream));
  };
  // A push for the demo stream straight to the receiver, not sent by Tencent: the delivery log lists it
  // as received without a record (pictured in the tour).
  const direct = await fetch(`${address}/live`, { method: "POST", body: JSON.stringify({ event_type: 1, stream_id: "demo_stream", app: "push.example.com", appname: "live", t: 1, sign: "direct" }) });
  assert.equal(direct.status, 200);
  await openRow("e2e_link_bad");
  await waitText("detail-summary", /javascript:alert\(1\)/);
  assert.equal((await driver.findElements(By.css('[data-testid="fact-link"]'))).length, 0, "a javascript: URL is not a link");
  await openRow("e2e_link");
  await waitText("detail-summary", /records\.example\.com/);
  await click("fact-link");
  await driver.wait(() => existsSync(opened) && readFileSync(opened, "utf8").includes(file), 15000, "the link went to the system browser");
  assert.equal(readFileSync(opened, "utf8").trim(), file, "only the link, and exactly it");
  await shot("inspector-link-opened");

  // A remote inspector (`livehook inspector serve --api-listen`, HTTPS with a self-signed certificate)
  // attached through the form: its certificate trusted by fingerprint, a callback sent to it arrives
  // in the window live; one click back to this computer's receiver.
  const remote = await startRemote();
  try {
    await click("remote-open");
    await $("remote-dialog");
    await driver.sleep(500); // the dialog's opening animation
    await click("remote-add");
    await type("remote-name", "e2e remote");
    await type("remote-url", remote.api);
    await type("remote-token", REMOTE_TOKEN);
    await click("remote-check");
    await waitText("remote-check-failed", /not trusted|不受信任/);
    assert.equal(await textOf("remote-fingerprint"), remote.fingerprint);
    await click("remote-trust");
    await click("remote-save-connect");
    await gone('[data-testid="remote-dialog"]', "the remote dialog closes once connected");
    await waitText("inspector-remote", /e2e remote/);
    await waitText("remote-link", /^(Live|实时)$/);
    await waitText("events-empty", /has no callbacks yet|还没有回调/);
    await remote.post(pushBody("e2e_remote_live"));
    await waitText("event-list", /e2e_remote_live/);
    await waitText("inspector-stored", /^1 stored|已存 1 条/);
    await shot("inspector-remote-live");
    await click("inspector-local");
    await waitText("inspector-address", /http:\/\/127\.0\.0\.1:\d+/);
    await waitText("event-list", /e2e_link/);
  } finally {
    remote.stop();
  }

  const ctx = { driver, $, click, gone, type, textOf, waitText, shot, shotAs, shots };
  await roundTrips(ctx);
  await tour(ctx);
  await keyboardWalk(ctx);
  ok = true;
  }
} catch (e) {
  console.error(e);
  await shot("FAILED").catch(() => {});
} finally {
  await driver.quit().catch(() => {});
  driverProcess.kill();
}
console.log(ok ? "1 passed, 0 failed" : "0 passed, 1 failed");
assert.ok(ok, "the end-to-end flow completed");
