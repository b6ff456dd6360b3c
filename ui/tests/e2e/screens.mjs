// The real window, part two: the template and account edit forms round-trip through the real backend
// (every stored field on screen, an unchanged save changes nothing, one change changes one field), then
// a picture of every screen in English and Chinese, light and dark, at the default window (1280×820)
// and the minimum (960×600). `ctx` holds the driver and the helpers of app.mjs.
import assert from "node:assert/strict";
import { By, Key, until } from "selenium-webdriver";
import { URLS } from "../fixtures.mjs";

const FULL = { TemplateName: "e2e_全部", Description: "真实窗口-round_trip", CallbackKey: "E2eRoundTrip2024", ...URLS, RecordExceptionLevels: ["error", "warning"] };
const PROFILE = "生产账号";

/** A command through the app's own IPC, as the UI calls it. */
export function invoker(driver) {
  return async (cmd, args = {}) => {
    const r = await driver.executeAsyncScript(
      (cmd, args, done) => window.__TAURI_INTERNALS__.invoke(cmd, args).then((ok) => done({ ok }), (err) => done({ err })),
      cmd,
      args,
    );
    if ("err" in r) throw new Error(`${cmd}: ${JSON.stringify(r.err)}`);
    return r.ok;
  };
}

/** Every value the template form shows. */
const templateForm = (driver) =>
  driver.executeScript((urls) => {
    const v = (sel) => document.querySelector(sel)?.value ?? null;
    const out = { TemplateName: v("[data-testid=form-TemplateName] input"), Description: v("[data-testid=form-Description] textarea"), CallbackKey: v("[data-testid=form-CallbackKey] input") };
    for (const f of urls) out[f] = v(`[data-testid=form-${f}] input`);
    out.levels = [...document.querySelectorAll("[data-testid=form-levels] .t-checkbox.t-is-checked")].map((b) => b.textContent.trim());
    return out;
  }, Object.keys(URLS));

/** Items made through IPC behind the UI's back: load the window again, as a person opening the app would. */
async function reload(ctx) {
  await ctx.driver.navigate().refresh();
  await ctx.$("create-template");
}

async function closeOverlay(ctx) {
  await ctx.driver.executeScript(() => {
    const buttons = [...document.querySelectorAll(".t-drawer__close-btn, .t-dialog__close")].filter((b) => b.offsetParent !== null);
    buttons.at(-1)?.click();
  });
  await ctx.driver.sleep(400);
}

export async function roundTrips(ctx) {
  const { driver, click, waitText, shot, type } = ctx;
  const invoke = invoker(driver);
  const id = (await invoke("create_template", { fields: FULL })).template.TemplateId;
  await invoke("bind_domains", { templateId: id, targets: [{ domain: "push2.example.com", appName: "" }] });
  await reload(ctx);
  await waitText("templates-table", /e2e_全部/);
  await click(`edit-${FULL.TemplateName}`);
  await ctx.$("template-form");
  const shown = await templateForm(driver);
  const stored = { ...FULL, RecordExceptionLevels: undefined, levels: undefined };
  assert.deepEqual({ ...shown, RecordExceptionLevels: undefined, levels: undefined }, stored, "the edit form shows every stored value");
  assert.deepEqual(shown.levels, ["Error", "Alarm"]);
  await driver.sleep(400);
  await shot("template-edit-filled");
  const before = JSON.stringify((await invoke("list_templates")).find((r) => r.template.TemplateId === id).template);
  await click("form-save");
  await ctx.gone("[data-testid=template-form]", "the form closes");
  assert.equal(JSON.stringify((await invoke("list_templates")).find((r) => r.template.TemplateId === id).template), before, "an unchanged save changes nothing");
  await click(`edit-${FULL.TemplateName}`);
  const description = await driver.wait(until.elementLocated(By.css("[data-testid=form-Description] textarea")), 10000);
  await description.sendKeys("_改");
  await click("form-save");
  await ctx.gone("[data-testid=template-form]", "the form closes");
  const after = (await invoke("list_templates")).find((r) => r.template.TemplateId === id).template;
  assert.deepEqual({ ...after, Description: FULL.Description }, JSON.parse(before), "only the description changed");
  assert.equal(after.Description, `${FULL.Description}_改`);

  // An account: every stored field on screen (secrets never), unchanged saves nothing.
  const { endpoint } = await invoke("app_status");
  await invoke("add_profile", { profile: { name: PROFILE, secretId: "AKIDe2eRoundTrip000001", secretKey: "e2e-secret", sessionToken: "e2e-token", endpoint, language: "zh-CN" } });
  await invoke("use_demo");
  await reload(ctx);
  await click("nav-accounts");
  await click(`edit-profile-${PROFILE}`);
  await ctx.$("profile-form");
  // TDesign's Select fills in its label a moment after the drawer opens.
  await driver.wait(() => driver.executeScript(() => document.querySelector("[data-testid=profile-field-language] input")?.value), 5000, "the language is shown");
  const form = await driver.executeScript(() => ({
    name: document.querySelector("[data-testid=profile-name] input")?.value,
    endpoint: document.querySelector("[data-testid=profile-endpoint] input")?.value,
    language: document.querySelector("[data-testid=profile-field-language] input")?.value,
    secretIdHint: document.querySelector("[data-testid=profile-secret-id] input")?.placeholder,
    text: document.querySelector("[data-testid=profile-form]")?.textContent,
  }));
  assert.deepEqual({ ...form, text: undefined }, { name: PROFILE, endpoint, language: "简体中文", secretIdHint: "AKID****0001", text: undefined });
  assert.doesNotMatch(form.text, /e2e-secret|e2e-token/);
  await driver.sleep(400);
  await shot("account-edit-filled");
  await click("profile-save");
  await ctx.gone("[data-testid=profile-form]", "the drawer closes");
  await click(`edit-profile-${PROFILE}`);
  await type("profile-endpoint", "https://live.tencentcloudapi.com");
  await click("profile-save");
  await ctx.gone("[data-testid=profile-form]", "the drawer closes");
  const view = (await invoke("app_status")).profiles.find((p) => p.name === PROFILE);
  assert.deepEqual(
    { endpoint: view.endpoint, language: view.language, hasSecret: view.hasSecret, hasToken: view.hasToken },
    { endpoint: "https://live.tencentcloudapi.com", language: "zh-CN", hasSecret: true, hasToken: true },
    "only the endpoint changed",
  );
}

/** Each screen: how to open it, and how to leave it for the next. */
const SCREENS = [
  ["templates", async (c) => { await c.click("nav-templates"); await c.waitText("templates-table", /e2e_全部/); await cellsHold(c, "templates-table"); }],
  ["template-edit", async (c) => { await c.click(`edit-${FULL.TemplateName}`); await c.$("template-form"); }, closeOverlay],
  ["bind", async (c) => { await c.click(`bind-${FULL.TemplateName}`); await c.$("bind-submit"); }, closeOverlay],
  ["delete", async (c) => { await c.click(`delete-${FULL.TemplateName}`); await c.$("delete-bindings"); }, closeOverlay],
  ["export", async (c) => { await c.click("export-templates"); await c.$("export-text"); await sixRows(c, "export-text"); }, closeOverlay],
  ["import", async (c) => { await c.click("import-templates"); await c.$("import-text"); await sixRows(c, "import-text"); }, closeOverlay],
  ["domains", async (c) => { await c.click("nav-domains"); await c.waitText("domains-table", /e2e_全部/); await cellsHold(c, "domains-table"); }],
  ["inspector", async (c) => {
    await c.click("nav-inspector");
    const row = await c.driver.wait(until.elementLocated(By.css('[data-testid="event-list"] [role="option"]')), 15000);
    // The list fills the window below the chart at every size: the row is clicked as a person would.
    await row.click();
    await c.$("event-detail");
  }],
  ["inspector-settings", async (c) => { await c.click("inspector-settings-open"); await c.$("inspector-settings"); }, closeOverlay],
  ["inspector-point", async (c) => { await c.click("inspector-point-open"); await c.$("point-dialog"); }, closeOverlay],
  ["inspector-push", async (c) => { await c.click("demo-stream-open"); await c.$("push-dialog"); }, closeOverlay],
  ["deliveries", async (c) => {
    // Tencent's log of the demo stream (pushed in app.mjs, partly to this receiver and once straight
    // to it), matched with the inspector: both tables pictured, and nothing in their cells cut.
    await c.click("nav-deliveries");
    const input = await c.driver.wait(until.elementLocated(By.css(".deliveries-form .t-auto-complete input")), 15000);
    if ((await input.getAttribute("value")) !== "demo_stream") {
      // As `type` in app.mjs: keystrokes (React keeps its own copy of the value), the chord on its own.
      await input.sendKeys(Key.chord(Key.CONTROL, "a"), Key.BACK_SPACE);
      await input.sendKeys("demo_stream");
      // The suggestions close (in a narrow window they cover the button, on the next line).
      await input.sendKeys(Key.ESCAPE);
    }
    await c.click("delivery-read");
    await c.waitText("delivery-summary", /demo_stream/);
    await c.$("delivery-only-here");
    await cellsHold(c, "delivery-table");
    await cellsHold(c, "delivery-only-here");
  }],
  ["accounts", async (c) => { await c.click("nav-accounts"); await c.waitText("profiles-table", new RegExp(PROFILE)); await cellsHold(c, "profiles-table"); }],
  ["account-edit", async (c) => { await c.click(`edit-profile-${PROFILE}`); await c.$("profile-form"); }, closeOverlay],
  ["shortcuts", async (c) => { await c.click("open-shortcuts"); await c.$("shortcuts"); }, closeOverlay],
  ["about", async (c) => {
    await c.click("open-about");
    // The version and commit come from the backend: pictured once they are there.
    await c.waitText("about-commit", /[0-9a-f]{12}|unknown/);
  }, closeOverlay],
];

/** Nothing in a cell of the table in `testid` reaches past its cell (WebKitGTK once gave the templates'
 * "Bound to" column 127 px, and its tags ran under the actions column), no header is cut, and the
 * table is no wider than its place. What an ellipsis clips inside the cell is not counted. */
async function cellsHold(ctx, testid) {
  await ctx.driver.sleep(300); // the table settles its column widths
  const out = await ctx.driver.executeScript((id) => {
    const bad = [];
    for (const td of document.querySelectorAll(`[data-testid="${id}"] tbody td`)) {
      const cell = td.getBoundingClientRect();
      for (const el of td.querySelectorAll("*")) {
        let clipped = false;
        for (let p = el.parentElement; p && p !== td; p = p.parentElement) {
          if (getComputedStyle(p).overflowX !== "visible") clipped = true;
        }
        const r = el.getBoundingClientRect();
        if (clipped || r.width === 0) continue;
        if (r.right > cell.right + 1 || r.left < cell.left - 1) {
          bad.push(`${el.tagName.toLowerCase()} "${(el.textContent || "").trim().slice(0, 40)}" spans ${Math.round(r.left)}-${Math.round(r.right)}, its cell ${Math.round(cell.left)}-${Math.round(cell.right)}`);
        }
      }
    }
    // ... no header is cut short (an ellipsis in a header hides what the column is) ...
    for (const th of document.querySelectorAll(`[data-testid="${id}"] thead th`)) {
      for (const el of [th, ...th.querySelectorAll("*")]) {
        if (getComputedStyle(el).overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1) {
          bad.push(`the header "${th.textContent.trim()}" is cut: ${el.scrollWidth} px of text in ${el.clientWidth}`);
        }
      }
    }
    // ... and the table fits its pane: no column is left out of sight behind a sideways scroll (the
    // delivery log's inspector column once was, in the minimum window).
    const root = document.querySelector(`[data-testid="${id}"]`);
    const table = root?.querySelector("table");
    if (table) {
      const [w, room] = [table.getBoundingClientRect().width, root.getBoundingClientRect().width];
      if (w > room + 1) bad.push(`the table is ${Math.round(w)} px wide in ${Math.round(room)} px`);
    }
    return bad.slice(0, 5).join("; ");
  }, testid);
  if (out) throw new Error(`${testid}: ${out}`);
}

/** The JSON box in `testid` shows at least six rows (WebKitGTK once kept it at two lines in a short
 * window). */
async function sixRows(ctx, testid) {
  const height = () => ctx.driver.executeScript(
    (id) => document.querySelector(`[data-testid="${id}"] textarea`)?.getBoundingClientRect().height ?? 0,
    testid,
  );
  await ctx.driver.wait(async () => (await height()) >= 120, 3000).catch(() => {});
  const h = await height();
  if (h < 120) throw new Error(`${testid}: the JSON box is ${Math.round(h)} px high, under six rows`);
}

/** An open drawer's or dialog's buttons are inside the window: a person can reach Save or Close
 * without scrolling a page that does not look scrollable. */
async function footerInView(ctx, what) {
  const out = await ctx.driver.executeScript(() => {
    const footers = [...document.querySelectorAll(".t-drawer__footer, .t-dialog__footer")].filter((f) => f.offsetParent !== null);
    const footer = footers.at(-1);
    // A drawer without a footer (inspector settings) keeps its buttons in its own scrolling body.
    if (!footer) return "";
    const r = footer.getBoundingClientRect();
    return r.bottom <= window.innerHeight + 1 && r.top >= 0 ? "" : `footer at ${Math.round(r.top)}-${Math.round(r.bottom)} in a window ${window.innerHeight} high`;
  });
  if (out) throw new Error(`${what}: ${out}`);
}

/** Switch the header's language and theme toggles until the window shows `lang` and `theme`. */
async function look(ctx, lang, theme) {
  const { driver, click } = ctx;
  const state = () => driver.executeScript(() => [document.documentElement.lang, document.documentElement.getAttribute("theme-mode")]);
  if ((await state())[0] !== lang) await click("toggle-language");
  await driver.wait(async () => (await state())[0] === lang, 10000, `language ${lang}`);
  if ((await state())[1] !== theme) await click("toggle-theme");
  await driver.wait(async () => (await state())[1] === theme, 10000, `theme ${theme}`);
  await driver.sleep(600); // colour transitions
}

export async function tour(ctx) {
  const { driver, shotAs } = ctx;
  const sizes = [
    [1280, 820],
    [960, 600],
  ];
  let taken = 0;
  for (const [width, height] of sizes) {
    await driver.manage().window().setRect({ width, height });
    await driver.sleep(500);
    for (const [lang, theme] of [["en-US", "light"], ["en-US", "dark"], ["zh-CN", "dark"], ["zh-CN", "light"]]) {
      await look(ctx, lang, theme);
      for (const [name, open, leave] of SCREENS) {
        await open(ctx);
        await driver.sleep(450); // drawers and dialogs slide in
        if (leave) await footerInView(ctx, `${name} at ${width}x${height}`);
        await shotAs(`screens/${name}-${lang === "zh-CN" ? "zh" : "en"}-${theme}-${width}x${height}`);
        taken++;
        if (leave) await leave(ctx);
      }
    }
  }
  console.log(`  ${taken} screens pictured in ${ctx.shots}/screens`);
}
