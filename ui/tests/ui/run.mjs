// UI tests in Debian's Chromium (playwright-core, no downloaded browser) against the built UI with the
// in-memory backend: the template form and its validation, binding, deleting a bound template, the
// domains view, accounts, and both languages. Screenshots go to target/ui-screenshots/.
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "../../dist");
const shots = join(here, "../../../target/ui-screenshots");
rmSync(shots, { recursive: true, force: true });
mkdirSync(shots, { recursive: true });

const server = await serve(dist);
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

let passed = 0;
let failed = 0;
async function test(name, locale, body) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  try {
    await page.goto(url);
    await page.waitForSelector("[data-testid=create-template]");
    await body(page);
    assert.deepEqual(errors, [], "no errors in the page");
    passed++;
    console.log(`PASS ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n${e.stack ?? e}`);
    await page.screenshot({ path: join(shots, `FAILED-${name.replace(/\W+/g, "-")}.png`) }).catch(() => {});
  } finally {
    await context.close();
  }
}

const shot = (page, name) => page.screenshot({ path: join(shots, `${name}.png`) });
const text = (page, sel) => page.locator(sel).innerText();
const backendTemplates = (page) => page.evaluate(() => window.__livehookBackend.listTemplates());

async function createTemplate(page, name, urls = { StreamBeginNotifyUrl: "https://hooks.example.com/live" }) {
  await page.click("[data-testid=create-template]");
  await page.fill("[data-testid=field-TemplateName] input", name);
  for (const [field, value] of Object.entries(urls)) await page.fill(`[data-testid=field-${field}] input`, value);
  await page.click("[data-testid=form-save]");
}

async function pickDomain(page, row, name) {
  await page.click(`[data-testid=bind-domain-${row}]`);
  await page.locator(`.bind-domain-popup-${row} li`, { hasText: name }).first().click();
}

await test("the empty state says what to do, in the demo", "en-US", async (page) => {
  assert.match(await text(page, "[data-testid=templates-empty]"), /No callback templates yet/);
  assert.match(await text(page, "[data-testid=demo-badge]"), /Offline demo/);
  await shot(page, "01-templates-empty-en");
});

await test("the form validates as you type and sends nothing invalid", "en-US", async (page) => {
  await page.click("[data-testid=create-template]");
  await page.fill("[data-testid=field-TemplateName] input", "bad name!");
  await page.fill("[data-testid=field-StreamBeginNotifyUrl] input", "ftp://x");
  await page.fill("[data-testid=field-CallbackKey] input", "a_b");
  const form = page.locator("[data-testid=template-form]");
  await page.waitForTimeout(100);
  const body = await form.innerText();
  assert.match(body, /remove: " " !/);
  assert.match(body, /full http:\/\/ or https:\/\/ address/);
  assert.match(body, /Only letters and digits/);
  await shot(page, "02-form-validation-en");
  await page.click("[data-testid=form-save]");
  assert.match(await text(page, "[data-testid=form-invalid]"), /nothing was sent/);
  await page.fill("[data-testid=field-TemplateName] input", "直播回调");
  await page.fill("[data-testid=field-StreamBeginNotifyUrl] input", "");
  await page.fill("[data-testid=field-CallbackKey] input", "");
  await page.click("[data-testid=form-save]");
  assert.match(await text(page, "[data-testid=form-invalid]"), /at least one callback URL/);
  await page.click("[data-testid=generate-key]");
  const key = await page.inputValue("[data-testid=field-CallbackKey] input");
  assert.match(key, /^[A-Za-z0-9]{24}$/);
  await page.fill("[data-testid=field-StreamBeginNotifyUrl] input", "https://hooks.example.com/live");
  await page.click("[data-testid=form-save]");
  await page.waitForSelector("text=Bind domains now?");
});

await test("create, bind to two domains, see the bindings, delete with unbinding", "en-US", async (page) => {
  await createTemplate(page, "main_hooks", { StreamBeginNotifyUrl: "https://hooks.example.com/b", RecordNotifyUrl: "https://hooks.example.com/r" });
  await page.click("[data-testid=offer-bind]");
  await pickDomain(page, 0, "push.example.com");
  await page.click("[data-testid=bind-add-row]");
  await pickDomain(page, 1, "push2.example.com");
  await page.fill("[data-testid=bind-app-1] input", "live");
  await shot(page, "03-bind-dialog-en");
  await page.click("[data-testid=bind-submit]");
  await page.waitForSelector("[data-testid=bind-results]");
  assert.match(await text(page, "[data-testid=bind-results]"), /2 of 2 bound/);
  assert.match(await text(page, "[data-testid=bind-effect]"), /5–10 minutes/);
  await page.click("[data-testid=bind-close]");
  const table = page.locator("[data-testid=templates-table]");
  await page.waitForFunction(() => document.querySelector("[data-testid=templates-table]")?.textContent?.includes("push2.example.com/live"));
  assert.match(await table.innerText(), /Push\s+Recording/);
  await shot(page, "04-templates-bound-en");

  await page.click("[data-testid=nav-domains]");
  await page.waitForSelector("[data-testid='rule-push2.example.com/live']");
  assert.match(await text(page, "[data-testid=domains-table]"), /AppName live/);
  assert.match(await text(page, "[data-testid=domains-table]"), /All AppNames/);
  await shot(page, "05-domains-en");

  // Unbind one from the template's view.
  await page.click("[data-testid=nav-templates]");
  await page.click("[data-testid='binding-push.example.com'] .t-tag__icon-close");
  await page.locator(".t-dialog__footer .t-button--theme-primary").click();
  await page.waitForFunction(() => !document.querySelector("[data-testid='binding-push.example.com']"));
  await page.click("[data-testid=delete-main_hooks]");
  assert.match(await text(page, "[data-testid=delete-bindings]"), /push2.example.com\/live/);
  await page.click("[data-testid=delete-confirm]");
  await page.waitForSelector("[data-testid=templates-empty]");
});

await test("a bind that partly fails says what was done", "en-US", async (page) => {
  await createTemplate(page, "first");
  await page.click("[data-testid=offer-bind]");
  await pickDomain(page, 0, "push.example.com");
  await page.click("[data-testid=bind-submit]");
  await page.click("[data-testid=bind-close]");
  await createTemplate(page, "second");
  await page.click("[data-testid=offer-bind]");
  await pickDomain(page, 0, "push.example.com");
  await page.click("[data-testid=bind-add-row]");
  await pickDomain(page, 1, "push2.example.com");
  await page.click("[data-testid=bind-submit]");
  await page.waitForSelector("[data-testid=bind-results]");
  const results = await text(page, "[data-testid=bind-results]");
  assert.match(results, /1 of 2 bound/);
  assert.match(results, /Not bound\s+push.example.com/);
  await page.locator("[data-testid=bind-results] [data-testid=error-toggle]").first().click();
  assert.match(await text(page, "[data-testid=error-detail]"), /InternalError.RuleAlreadyExist/);
  await shot(page, "06-bind-partial-en");
});

await test("export without keys, then import a changed file: preview first, apply what is kept", "en-US", async (page) => {
  await createTemplate(page, "alpha", { StreamBeginNotifyUrl: "https://a.example.com/hook", CallbackKey: "alphaKey123" });
  await page.click("text=Later");
  await page.click("[data-testid=export-templates]");
  await page.waitForFunction(() => document.querySelector("[data-testid=export-text] textarea")?.value.includes("alpha"));
  const plain = await page.inputValue("[data-testid=export-text] textarea");
  assert.doesNotMatch(plain, /alphaKey123|CallbackKey/, "no keys unless asked");
  await page.click("[data-testid=export-with-keys]");
  await page.waitForFunction(() => document.querySelector("[data-testid=export-text] textarea")?.value.includes("alphaKey123"));
  assert.match(await page.locator(".t-dialog").innerText(), /forge callbacks/);
  await shot(page, "08-export-en");
  const path = await page.inputValue("[data-testid=export-path] input");
  assert.match(path, /^\/home\/demo\/Downloads\/livehook-templates-\d{4}-\d\d-\d\d\.json$/);
  await page.click("[data-testid=export-save]");
  await page.waitForSelector(`text=Saved ${path}`);
  // Saving again asks before replacing.
  await page.click("[data-testid=export-templates]");
  await page.waitForFunction(() => document.querySelector("[data-testid=export-text] textarea")?.value.includes("alpha"));
  await page.click("[data-testid=export-save]");
  await page.waitForSelector("text=Replace the file?");
  await page.click("[data-testid=export-replace]");
  await page.waitForSelector(`text=Saved ${path}`);

  const doc = JSON.parse(plain);
  doc.templates[0].StreamBeginNotifyUrl = "https://moved.example.com/hook";
  doc.templates.push({ TemplateName: "beta", StreamEndNotifyUrl: "https://b.example.com/end" });
  doc.templates.push({ TemplateName: "gamma", RecordNotifyUrl: "https://g.example.com/rec" });
  doc.templates.push({ TemplateName: "bad name!", SnapshotNotifyUrl: "ftp://nope" });
  await page.click("[data-testid=import-templates]");
  await page.fill("[data-testid=import-text] textarea", "{ not json");
  await page.click("[data-testid=import-preview]");
  await page.waitForSelector(".t-dialog [data-testid=error-notice]");
  await page.fill("[data-testid=import-text] textarea", JSON.stringify(doc));
  await page.click("[data-testid=import-preview]");
  await page.waitForSelector("[data-testid=import-plan]");
  const plan = await text(page, "[data-testid=import-plan]");
  assert.match(plan, /alpha\s+Update: Push/);
  assert.match(plan, /beta\s+Create/);
  assert.match(plan, /bad name!\s+Cannot import/);
  assert.match(plan, /full http:\/\/ or https:\/\/ address/);
  assert.match(await page.locator(".t-dialog").innerText(), /no callback keys/);
  assert.equal((await backendTemplates(page)).length, 1, "the preview sent nothing");
  // Leave gamma out.
  await page.click("[data-testid=import-item-2] .t-checkbox");
  await page.waitForFunction(() => document.querySelector("[data-testid=import-apply]")?.textContent?.includes("Apply 2 changes"));
  await shot(page, "09-import-preview-en");
  await page.click("[data-testid=import-apply]");
  await page.waitForSelector("[data-testid=import-summary]");
  assert.match(await text(page, "[data-testid=import-summary]"), /2 of 2 applied/);
  assert.match(await text(page, "[data-testid=import-item-0]"), /Done \(ID \d+\)/);
  await page.click(".t-dialog__footer >> text=Close");
  await page.waitForFunction(() => document.querySelector("[data-testid=templates-table]")?.textContent?.includes("beta"));
  const names = (await backendTemplates(page)).map((r) => r.template.TemplateName).sort();
  assert.deepEqual(names, ["alpha", "beta"]);
});

await test("the import preview in Simplified Chinese", "zh-CN", async (page) => {
  await page.click("[data-testid=import-templates]");
  const doc = { format: "livehook.callback-templates", version: 1, withKeys: false, templates: [{ TemplateName: "直播", StreamBeginNotifyUrl: "https://a.example.com/" }, { TemplateName: "模".repeat(31), StreamBeginNotifyUrl: "https://a.example.com/" }] };
  await page.fill("[data-testid=import-text] textarea", JSON.stringify(doc));
  await page.click("[data-testid=import-preview]");
  await page.waitForSelector("[data-testid=import-plan]");
  const plan = await text(page, "[data-testid=import-plan]");
  assert.match(plan, /直播\s+创建/);
  assert.match(plan, /无法导入\s+模板名称最多 30 个字符/);
  assert.match(await text(page, "[data-testid=import-apply]"), /应用 1 项变更/);
  await shot(page, "14-import-preview-zh");
});

/** Open the inspector's time range and take one of its presets (after the panel's opening animation). */
async function pickTimePreset(page, name) {
  await page.click("[data-testid=filter-time] .t-range-input");
  const preset = page.locator(".t-date-picker__presets button", { hasText: name }).first();
  await preset.waitFor({ state: "visible" });
  await page.waitForTimeout(300);
  await preset.click();
}

/** A template with a callback key, bound to push.example.com; then the inspector page. */
async function boundTemplateThenInspector(page, name, key) {
  await createTemplate(page, name, { StreamBeginNotifyUrl: "https://hooks.example.com/a", CallbackKey: key });
  await page.click("[data-testid=offer-bind]");
  await pickDomain(page, 0, "push.example.com");
  await page.click("[data-testid=bind-submit]");
  await page.click("[data-testid=bind-close]");
  await page.click("[data-testid=nav-inspector]");
}

await test("the inspector: callbacks of a demo stream arrive live, verified with the template's key", "en-US", async (page) => {
  await boundTemplateThenInspector(page, "inspected", "liveKey2024");
  assert.match(await text(page, "[data-testid=inspector-empty]"), /not receiving/);
  await page.fill("[data-testid=inspector-port] input", "8921");
  await page.click("[data-testid=inspector-start]");
  await page.waitForSelector("[data-testid=error-notice]");
  assert.match(await text(page, "[data-testid=error-notice]"), /port is in use/i);
  await page.fill("[data-testid=inspector-port] input", "0");
  await page.click("[data-testid=inspector-start]");
  await page.waitForSelector("[data-testid=inspector-address]");
  assert.match(await text(page, "[data-testid=events-empty]"), /No callbacks yet/);
  await page.click("[data-testid=inspector-template] .t-select");
  await page.locator(".inspector-template-popup li", { hasText: "inspected" }).first().click();
  await page.click("[data-testid=inspector-use]");
  await page.waitForSelector("text=now point at the inspector");
  await page.click("[data-testid=demo-stream-domain] .t-select");
  await page.locator(".demo-domain-popup li", { hasText: "push.example.com" }).first().click();
  await page.click("[data-testid=demo-stream-start]");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=event-list] [role=option]").length >= 5);
  const list = await text(page, "[data-testid=event-list]");
  assert.match(list, /Push\s+demo_stream\s+Verified/);
  assert.match(list, /Interruption/);
  await page.locator("[data-testid=event-list] [role=option]").last().click();
  await page.waitForSelector("[data-testid=detail-summary]");
  assert.match(await text(page, "[data-testid=event-detail]"), /Signed with template \d+ \(inspected\)/);
  await shot(page, "15-inspector-en");
  await page.locator(".t-tabs__nav-item", { hasText: "Verification" }).click();
  assert.match(await text(page, "[data-testid=detail-steps]"), /Expected sign:/);
  // Keyboard: the list moves the selection.
  await page.focus("[data-testid=event-list]");
  await page.keyboard.press("ArrowUp");
  await page.waitForFunction(() => document.querySelector("[role=option][aria-selected=true]")?.textContent?.includes("Recording status"));
  // Pause: new callbacks are counted, not shown, until resumed.
  await page.click("[data-testid=pause]");
  await page.fill("[data-testid=demo-stream-name] input", "second");
  await page.click("[data-testid=demo-stream-start]");
  await page.waitForSelector("[data-testid=fresh-count]");
  assert.doesNotMatch(await text(page, "[data-testid=event-list]"), /second/);
  await page.click("[data-testid=pause]");
  await page.waitForFunction(() => document.querySelector("[data-testid=event-list]")?.textContent?.includes("second"));

  // Settings: a key by hand, an answer rule, a test event with Tencent's retries.
  await page.click("[data-testid=inspector-settings-open]");
  const drawer = page.locator("[data-testid=inspector-settings]");
  await drawer.locator("input[placeholder=Name]").fill("staging");
  await drawer.locator("input[placeholder='Callback key']").first().fill("stagingKey1");
  await page.click("[data-testid=add-key]");
  await page.waitForFunction(() => document.querySelector("[data-testid=inspector-settings]")?.textContent?.includes("stag****Key1"));
  assert.doesNotMatch(await drawer.innerText(), /stagingKey1/, "a key is never shown");
  // Removing a key is asked first; saying no keeps it.
  await page.click("[data-testid=remove-key-staging]");
  await page.waitForSelector("text=Callbacks signed with it will no longer verify");
  await page.locator(".t-popconfirm button", { hasText: "Cancel" }).click();
  assert.equal((await page.evaluate(() => window.__livehookBackend.inspectorStatus())).keys.filter((k) => k.manual).length, 1);
  await page.click("[data-testid=remove-key-staging]");
  await page.click("[data-testid=remove-key-confirm]");
  await page.waitForFunction(async () => (await window.__livehookBackend.inspectorStatus()).keys.every((k) => !k.manual));
  await drawer.locator("input[placeholder=Name]").fill("staging");
  await drawer.locator("input[placeholder='Callback key']").first().fill("stagingKey1");
  await page.click("[data-testid=add-key]");
  await page.waitForFunction(() => document.querySelector("[data-testid=inspector-settings]")?.textContent?.includes("stag****Key1"));
  await page.click("[data-testid=add-rule]");
  await page.locator("[data-testid=rule-row-0] input").nth(2).fill("5x3");
  await page.waitForFunction(() => document.querySelector("[data-testid=save-rules]")?.classList.contains("t-is-disabled"));
  assert.match(await text(page, "[data-testid=inspector-settings]"), /whole numbers/, "a bad number is explained and cannot be saved");
  await page.locator("[data-testid=rule-row-0] input").nth(2).fill("503");
  await page.click("[data-testid=save-rules]");
  await page.fill("[data-testid=keep-events] input", "1000");
  await page.fill("[data-testid=keep-days] input", "7");
  await page.click("[data-testid=save-retention]");
  await page.waitForFunction(async () => (await window.__livehookBackend.inspectorStatus()).retention.maxAgeDays === 7);
  await drawer.locator("input[placeholder='Callback key']").last().fill("testKey");
  await drawer.locator(".t-checkbox", { hasText: "Retry like Tencent" }).click();
  await page.click("[data-testid=send-test]");
  await page.waitForFunction(() => document.querySelector("[data-testid=test-results]")?.textContent?.includes("Attempt 3: 200"));
  assert.match(await text(page, "[data-testid=test-results]"), /Attempt 1: 500[\s\S]*Attempt 2: 500/);
  await shot(page, "17-inspector-settings-en");
});

await test("the inspector: forwarding to your handler, picked rows exported, one push session's timeline", "en-US", async (page) => {
  await boundTemplateThenInspector(page, "forwarded", "fwdKey2024");
  await page.fill("[data-testid=inspector-port] input", "0");
  await page.click("[data-testid=inspector-start]");
  await page.waitForSelector("[data-testid=inspector-address]");
  await page.click("[data-testid=inspector-template] .t-select");
  await page.locator(".inspector-template-popup li", { hasText: "forwarded" }).first().click();
  await page.click("[data-testid=inspector-use]");
  await page.waitForSelector("text=now point at the inspector");

  // Forwarding: a bad address is refused with a reason, a good one is saved and shown.
  await page.click("[data-testid=inspector-settings-open]");
  assert.match(await text(page, "[data-testid=forward-state]"), /Not forwarding/);
  await page.fill("[data-testid=forward-url] input", "localhost:3000/hook");
  assert.match(await text(page, "[data-testid=forward-invalid]"), /starts with http:\/\/ or https:\/\//);
  assert.ok(await page.locator("[data-testid=forward-save]").evaluate((b) => b.classList.contains("t-is-disabled")), "an invalid address cannot be saved");
  // The backend refuses it too (e.g. from another client), with the reason behind Details.
  const refused = await page.evaluate(() => window.__livehookBackend.inspectorSetForward("localhost:3000/hook").then(() => null, (e) => e.message));
  assert.match(refused, /not an http/);
  assert.equal((await page.evaluate(() => window.__livehookBackend.inspectorStatus())).forwardTo, null, "nothing saved");
  await page.fill("[data-testid=forward-url] input", "http://127.0.0.1:3000/live/callback");
  await page.click("[data-testid=forward-save]");
  await page.waitForFunction(() => document.querySelector("[data-testid=forward-state]")?.textContent?.includes("Forwarding every callback to http://127.0.0.1:3000/live/callback"));
  await page.click(".t-drawer__close-btn");

  // Two pushes of one stream: two push sessions. Every callback is forwarded and its answer shows.
  await page.click("[data-testid=demo-stream-domain] .t-select");
  await page.locator(".demo-domain-popup li", { hasText: "push.example.com" }).first().click();
  await page.click("[data-testid=demo-stream-start]");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=event-list] [role=option]").length >= 5);
  await page.click("[data-testid=demo-stream-start]");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=event-list] [data-testid=forward-mark]").length >= 10);
  assert.match(await text(page, "[data-testid=event-list]"), /→200/);
  await page.locator("[data-testid=event-list] [role=option]").first().click();
  await page.waitForSelector("[data-testid=detail-forwards]");
  assert.match(await text(page, "[data-testid=detail-forwards]"), /http:\/\/127\.0\.0\.1:3000\/live\/callback → 200/);

  // The timeline: this push session by default, the whole stream on request, one group per session.
  await page.locator(".t-tabs__nav-item", { hasText: "Timeline" }).click();
  await page.waitForSelector("[data-testid=timeline-session]");
  assert.equal(await page.locator("[data-testid=timeline-session]").count(), 1);
  assert.match(await text(page, "[data-testid=timeline]"), /Push session \d+02[\s\S]*5 events/);
  await page.locator("[data-testid=timeline-scope] button", { hasText: "The whole stream" }).click();
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=timeline-session]").length === 2);
  assert.match(await text(page, "[data-testid=timeline]"), /Push session \d+01[\s\S]*Push session \d+02/);
  await page.waitForTimeout(300); // let the buttons' transition end before the picture
  await shot(page, "19-inspector-timeline-sessions-en");

  // Picking rows: a click on a box, Shift-click for a range, Ctrl-click and Space to take one out.
  const ids = await page.$$eval("[data-testid=event-list] [role=option]", (rows) => rows.map((r) => Number(r.dataset.testid.slice(6))));
  await page.click(`[data-testid=pick-${ids[1]}]`);
  await page.click(`[data-testid=event-${ids[4]}]`, { modifiers: ["Shift"] });
  assert.match(await text(page, "[data-testid=picked-count]"), /4 picked/);
  await page.click(`[data-testid=event-${ids[2]}]`, { modifiers: ["Control"] });
  assert.match(await text(page, "[data-testid=picked-count]"), /3 picked/);
  await page.click(`[data-testid=event-${ids[6]}]`);
  await page.keyboard.press("Space");
  assert.match(await text(page, "[data-testid=picked-count]"), /4 picked/);
  const picked = await page.$$eval("[data-testid=event-list] .vrow.picked", (rows) => rows.map((r) => Number(r.dataset.testid.slice(6))));
  assert.deepEqual(picked.sort(), [ids[1], ids[3], ids[4], ids[6]].sort());
  await shot(page, "20-inspector-picked-en");
  // Export: the picked rows are offered first; the filter is the other choice.
  await page.click("[data-testid=export-open]");
  assert.match(await text(page, "[data-testid=export-what]"), /Picked \(4\)/);
  await page.waitForTimeout(300); // the dialog's opening animation
  await shot(page, "21-inspector-export-picked-en");
  await page.click("[data-testid=export-save]");
  await page.waitForSelector("text=Exported 4 callbacks");
  // The same file again: replacing it is asked first.
  await page.click("[data-testid=export-open]");
  await page.locator("[data-testid=export-what] label", { hasText: "Everything the filter shows" }).click();
  await page.click("[data-testid=export-save]");
  await page.waitForSelector("[data-testid=export-replace]");
  await page.click("[data-testid=export-replace]");
  await page.waitForSelector("text=Exported 10 callbacks");
  // A path that does not fit the format is explained, and nothing is written.
  await page.click("[data-testid=export-open]");
  await page.fill("[data-testid=inspector-export-path] input", "/home/demo/Downloads/calls.txt");
  await page.click("[data-testid=export-save]");
  await page.locator("[data-testid=error-notice] [data-testid=error-toggle]").click();
  assert.match(await text(page, "[data-testid=error-notice]"), /ending in \.har/);
  await page.keyboard.press("Escape");
  await page.click("[data-testid=picked-clear]");
  assert.equal(await page.locator("[data-testid=picked-count]").count(), 0);

  // Domain, AppName and time filters narrow the list.
  const rowCount = () => page.locator("[data-testid=event-list] [role=option]").count();
  await page.fill("[data-testid=filter-domain] input", "other.example.com");
  await page.waitForSelector("[data-testid=events-empty]");
  await page.fill("[data-testid=filter-domain] input", "push.example.com");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=event-list] [role=option]").length === 10);
  await page.fill("[data-testid=filter-app] input", "edu");
  await page.waitForSelector("[data-testid=events-empty]");
  await page.fill("[data-testid=filter-app] input", "live");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=event-list] [role=option]").length === 10);
  await pickTimePreset(page, "Last 15 minutes");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=event-list] [role=option]").length === 10);
  const since = await page.evaluate(() => document.querySelector("[data-testid=filter-time] input")?.value);
  assert.match(since ?? "", /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/, "the range shows as date and time");
  assert.equal(await rowCount(), 10);
  await shot(page, "22-inspector-filters-en");
  // A range that ended before these callbacks: none of them, and none of the next ones either.
  await page.evaluate(() => window.__livehookBackend.seedEvents(0));
  await pickTimePreset(page, "Last 7 days");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=event-list] [role=option]").length === 10);
  await page.locator("[data-testid=filter-time] .t-range-input input").last().fill("2020-01-01 00:00:00");
  await page.keyboard.press("Enter");
  await page.waitForSelector("[data-testid=events-empty]");
});

await test("the inspector list stays light with 100 000 callbacks", "en-US", async (page) => {
  await page.click("[data-testid=nav-inspector]");
  await page.click("[data-testid=inspector-start]");
  await page.waitForSelector("[data-testid=events-empty]");
  await page.evaluate(() => window.__livehookBackend.seedEvents(100000));
  // Page through the store as a person scrolling would: the list keeps loading as its end nears.
  await page.click("[data-testid=pause]");
  await page.click("[data-testid=pause]");
  await page.waitForSelector("[data-testid=event-list]");
  const stats = await page.evaluate(async () => {
    const list = document.querySelector("[data-testid=event-list]");
    const frames = [];
    let last = performance.now();
    const until = performance.now() + 60000;
    while (list.scrollHeight < 44 * 100000 && performance.now() < until) {
      list.scrollTop += 3000;
      list.dispatchEvent(new Event("scroll"));
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      frames.push(now - last);
      last = now;
    }
    frames.sort((a, b) => a - b);
    return {
      rendered: list.querySelectorAll("[role=option]").length,
      height: list.scrollHeight,
      p50: frames[Math.floor(frames.length / 2)],
      p95: frames[Math.floor(frames.length * 0.95)],
    };
  });
  console.log(`  100 000 rows: ${stats.rendered} row elements in the page, list ${stats.height}px, frame p50 ${stats.p50.toFixed(1)} ms, p95 ${stats.p95.toFixed(1)} ms`);
  assert.ok(stats.rendered < 120, `only the rows in view are drawn (${stats.rendered})`);
  assert.equal(stats.height, 44 * 100000, "every callback can be reached by scrolling");
  await shot(page, "18-inspector-100k-en");
});

await test("the inspector in Simplified Chinese", "zh-CN", async (page) => {
  await page.click("[data-testid=nav-inspector]");
  assert.match(await text(page, "[data-testid=inspector-empty]"), /事件查看器未在接收/);
  await page.click("[data-testid=inspector-start]");
  await page.waitForSelector("[data-testid=inspector-address]");
  assert.match(await text(page, "[data-testid=inspector-address]"), /正在 http:\/\/127\.0\.0\.1:\d+ 接收/);
  await shot(page, "16-inspector-zh");
});

await test("accounts: add one, the header follows, and a refused key is explained", "en-US", async (page) => {
  await page.click("[data-testid=nav-accounts]");
  await page.click("[data-testid=add-profile]");
  await page.fill("[data-testid=profile-name] input", "staging");
  await page.fill("[data-testid=profile-secret-id] input", "AKIDbadexample0001");
  await page.fill("[data-testid=profile-secret-key] input", "secret");
  await page.click("[data-testid=profile-save]");
  await page.waitForSelector("[data-testid=profile-badge]");
  assert.match(await text(page, "[data-testid=profiles-table]"), /AKID\*\*\*\*0001/);
  assert.doesNotMatch(await page.content(), /secret<|value="secret"/);
  await page.click("[data-testid=test-staging]");
  await page.waitForSelector("[data-testid=connection-report] [data-testid=error-notice]");
  assert.match(await text(page, "[data-testid=connection-report]"), /key was refused/);
  await shot(page, "07-accounts-en");
});

await test("Simplified Chinese everywhere, following the system language", "zh-CN", async (page) => {
  assert.match(await text(page, "header"), /回调模板/);
  assert.match(await text(page, "[data-testid=demo-badge]"), /离线演示/);
  await shot(page, "11-templates-empty-zh");
  await page.click("[data-testid=create-template]");
  await page.fill("[data-testid=field-TemplateName] input", "模".repeat(31));
  await page.fill("[data-testid=field-SnapshotNotifyUrl] input", "not a url");
  await page.waitForTimeout(100);
  const body = await text(page, "[data-testid=template-form]");
  assert.match(body, /模板名称最多 30 个字符，当前 31 个。/);
  assert.match(body, /请输入以 http:\/\/ 或 https:\/\/ 开头/);
  await shot(page, "12-form-validation-zh");
  await page.keyboard.press("Escape");
});

await test("the language and theme switches", "en-US", async (page) => {
  await page.click("[data-testid=toggle-language]");
  await page.waitForFunction(() => document.querySelector("header")?.textContent?.includes("回调模板"));
  await page.click("[data-testid=toggle-theme]");
  await page.waitForFunction(() => document.documentElement.getAttribute("theme-mode") === "dark");
  // TDesign animates colour changes; let them finish before looking.
  await page.waitForTimeout(600);
  const aside = await page.evaluate(() => getComputedStyle(document.querySelector(".aside")).backgroundColor);
  assert.notEqual(aside, "rgb(255, 255, 255)", "the side bar is dark too");
  await shot(page, "13-templates-dark-zh");
});

await browser.close();
server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
