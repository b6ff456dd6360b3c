// Accessibility on the real backend: axe-core (WCAG 2.1 A and AA rules) on every page, in both
// languages and both themes, and on the open drawers and dialogs. A critical or serious violation
// fails; every finding is printed with the elements it names.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { sendCallbacks, shot, test, text } from "./harness.mjs";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const PAGES = ["templates", "domains", "inspector", "deliveries", "accounts"];

/** axe on the page as it is now; returns the violations as "rule (impact): targets" lines. */
export async function audit(page, where) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] }),
  );
  return result.violations.map((v) => ({
    where,
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => {
      const d = n.any?.[0]?.data;
      return n.target.join(" ") + (d?.contrastRatio ? ` (${d.fgColor} on ${d.bgColor}: ${d.contrastRatio}:1)` : "");
    }),
  }));
}

function report(found) {
  for (const v of found) console.log(`  ${v.where}: ${v.rule} (${v.impact}) ${v.help}: ${v.nodes.length} ×\n      ${v.nodes.join("\n      ")}`);
  return found.filter((v) => v.impact === "critical" || v.impact === "serious");
}

export async function a11ySuite() {
  for (const [locale, theme] of [["en-US", "light"], ["zh-CN", "dark"], ["en-US", "dark"], ["zh-CN", "light"]]) {
    await test(`accessibility: every page, ${locale}, ${theme}`, locale, async (page) => {
      if (theme === "dark") {
        await page.click("[data-testid=toggle-theme]");
        await page.waitForFunction(() => document.documentElement.getAttribute("theme-mode") === "dark");
        await page.waitForTimeout(600);
      }
      const found = [];
      for (const p of PAGES) {
        await page.click(`[data-testid=nav-${p}]`);
        await page.waitForTimeout(500);
        found.push(...(await audit(page, `${p} ${locale} ${theme}`)));
      }
      await page.click("[data-testid=nav-templates]");
      await page.click("[data-testid=create-template]");
      await page.waitForSelector("[data-testid=template-form]");
      await page.waitForTimeout(400);
      found.push(...(await audit(page, `create drawer ${locale} ${theme}`)));
      const bad = report(found);
      assert.deepEqual(bad.map((v) => `${v.where}: ${v.rule}`), [], "no critical or serious violation");
    });
  }

  for (const [locale, theme] of [["en-US", "light"], ["zh-CN", "dark"]]) {
    await test(`accessibility: the dialogs and drawers, ${locale}, ${theme}`, locale, async (page, bridge) => {
      await bridge.call("create_template", { fields: { TemplateName: "a11y", StreamBeginNotifyUrl: "https://hooks.example.com/a" } });
      await page.reload();
      await page.waitForSelector("[data-testid=edit-a11y]");
      if (theme === "dark") {
        await page.click("[data-testid=toggle-theme]");
        await page.waitForFunction(() => document.documentElement.getAttribute("theme-mode") === "dark");
      }
      const found = [];
      const look = async (where, open, close) => {
        await open();
        await page.waitForTimeout(500);
        found.push(...(await audit(page, `${where} ${locale} ${theme}`)));
        await close();
        await page.waitForTimeout(300);
      };
      const escape = () => page.keyboard.press("Escape");
      await look("edit drawer", () => page.click("[data-testid=edit-a11y]"), () => page.click(".t-drawer__close-btn"));
      await look("bind dialog", () => page.click("[data-testid=bind-a11y]"), escape);
      await look("delete dialog", () => page.click("[data-testid=delete-a11y]"), escape);
      await look("about dialog", () => page.click("[data-testid=open-about]"), escape);
      await page.click("[data-testid=nav-accounts]");
      await look("account drawer", () => page.click("[data-testid=add-profile]"), () => page.click(".t-drawer__close-btn"));
      await page.click("[data-testid=nav-inspector]");
      await page.fill("[data-testid=inspector-port] input", "0");
      await page.click("[data-testid=inspector-start]");
      await page.waitForSelector("[data-testid=inspector-address]");
      const { address } = await bridge.call("inspector_status");
      await sendCallbacks(address.startsWith("http") ? address : `http://${address}`, 3, 1);
      const row = page.locator("[data-testid=event-list] [role=option]").first();
      await row.waitFor();
      await look("event detail", () => row.click(), async () => {});
      const bad = report(found);
      assert.deepEqual(bad.map((v) => `${v.where}: ${v.rule}`), [], "no critical or serious violation");
    });
  }

  await test("keyboard: drawers and dialogs take focus, keep it, close with Escape and give it back", "en-US", async (page) => {
    const focused = () => page.evaluate(() => {
      const a = document.activeElement;
      return { testid: a?.closest("[data-testid]")?.getAttribute("data-testid") ?? null, inDialog: !!a?.closest("[role=dialog]"), tag: a?.tagName };
    });
    const surface = async () => page.evaluate(() => {
      const d = document.querySelector("[role=dialog][aria-modal=true]");
      return d ? { title: document.getElementById(d.getAttribute("aria-labelledby") ?? "")?.textContent?.trim() ?? "" } : null;
    });
    const walk = async (stops) => {
      for (let i = 0; i < stops; i++) {
        await page.keyboard.press(i % 3 === 2 ? "Shift+Tab" : "Tab");
        assert.ok((await focused()).inDialog, `Tab ${i + 1} stays inside the dialog`);
      }
    };
    for (const [opener, title, firstField, done, nav] of [
      ["create-template", "Create callback template", "field-TemplateName", "template-form", "templates"],
      ["open-about", "About LiveHook", null, "about-dialog", "templates"],
      ["open-shortcuts", "Keyboard shortcuts", null, "shortcuts", "templates"],
      ["add-profile", "Add account", "profile-name", "profile-form", "accounts"],
      ["inspector-settings-open", "Keys, answers & tests", null, "inspector-settings", "inspector"],
    ]) {
      await page.click(`[data-testid=nav-${nav}]`);
      await page.waitForSelector(`[data-testid=${opener}]:not([disabled])`);
      await page.focus(`[data-testid=${opener}]`);
      await page.keyboard.press("Enter");
      await page.waitForSelector(`[data-testid=${done}]`);
      await page.waitForTimeout(400);
      assert.deepEqual(await surface(), { title }, `${opener}: a modal dialog named by its title`);
      const f = await focused();
      assert.ok(f.inDialog, `${opener}: focus moved into the dialog`);
      if (firstField) assert.equal(f.testid, firstField, "focus is on the first field");
      await walk(30);
      await page.keyboard.press("Escape");
      await page.waitForSelector(`[data-testid=${done}]`, { state: "detached" });
      assert.equal((await focused()).testid, opener, `${opener}: focus is back on the opener`);
    }
    // The close × is a named button reached by Tab and pressed with Enter.
    await page.click("[data-testid=nav-templates]");
    await page.focus("[data-testid=create-template]");
    await page.keyboard.press("Enter");
    await page.waitForSelector("[data-testid=template-form]");
    await page.waitForTimeout(400);
    const close = page.locator("[role=dialog] .t-drawer__close-btn");
    assert.equal(await close.getAttribute("role"), "button");
    assert.equal(await close.getAttribute("aria-label"), "Close");
    await close.focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("[data-testid=template-form]", { state: "detached" });
  });

  await test("keyboard: Tab reaches the pages, the row actions and the banner; shortcuts open pages, search and a new template", "en-US", async (page, bridge) => {
    const made = await bridge.call("create_template", { fields: { TemplateName: "keys_only", StreamBeginNotifyUrl: "https://hooks.example.com/k" } });
    await bridge.call("bind_domains", { templateId: made.template.TemplateId, targets: [{ domain: "push.example.com", appName: "" }] });
    await page.reload();
    await page.waitForSelector("[data-testid=edit-keys_only]");
    const focusedId = () => page.evaluate(() => document.activeElement?.closest("[data-testid]")?.getAttribute("data-testid") ?? document.activeElement?.tagName);
    /** Tab (at most 60 times) until the focus is on `testid`; fails if it never gets there. */
    const tabTo = async (testid) => {
      const seen = [];
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press("Tab");
        const id = await focusedId();
        seen.push(id);
        if (id === testid) return;
      }
      assert.fail(`Tab never reached ${testid}: ${seen.join(", ")}`);
    };
    // The focus ring is drawn (not only a colour change).
    await page.evaluate(() => document.activeElement?.blur());
    await tabTo("nav-domains");
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.equal(ring, "solid", "a visible focus ring");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector("header h1")?.textContent === "Domains");
    assert.equal(await page.getAttribute("[data-testid=nav-domains]", "aria-current"), "page");
    // Shortcuts: g t, then the row actions by Tab.
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press("g");
    await page.keyboard.press("t");
    await page.waitForFunction(() => document.querySelector("header h1")?.textContent === "Callback templates");
    await tabTo("demo-add-account");
    await tabTo("edit-keys_only");
    await page.keyboard.press("Enter");
    await page.waitForSelector("[data-testid=template-form]");
    assert.equal(await page.inputValue("[data-testid=field-TemplateName] input"), "keys_only", "Edit by keyboard opens the stored template");
    await page.keyboard.press("Escape");
    await page.waitForSelector("[data-testid=template-form]", { state: "detached" });
    assert.equal(await focusedId(), "edit-keys_only", "focus is back on Edit");
    for (const action of ["bind-keys_only", "delete-keys_only"]) {
      await tabTo(action);
      await page.keyboard.press("Enter");
      await page.waitForSelector("[role=dialog][aria-modal=true]");
      await page.keyboard.press("Escape");
      await page.waitForSelector("[role=dialog][aria-modal=true]", { state: "detached" });
      assert.equal(await focusedId(), action);
    }
    // A binding's × is a named button: Enter asks before unbinding.
    await page.evaluate(() => document.activeElement?.blur());
    await tabTo("binding-push.example.com");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "Unbind push.example.com");
    await page.keyboard.press("Enter");
    await page.waitForSelector("[role=dialog][aria-modal=true]");
    await page.keyboard.press("Escape");
    await page.waitForSelector("[role=dialog][aria-modal=true]", { state: "detached" });
    // The Domains page's Unbind is reached and pressed the same way (it asks in a pop-up first).
    await page.keyboard.press("g");
    await page.keyboard.press("d");
    await page.waitForFunction(() => document.querySelector("header h1")?.textContent === "Domains");
    await page.evaluate(() => document.activeElement?.blur());
    await tabTo("unbind-push.example.com");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".t-popconfirm", { state: "visible" });
    await page.keyboard.press("Escape");
    await page.keyboard.press("g");
    await page.keyboard.press("t");
    await page.waitForFunction(() => document.querySelector("header h1")?.textContent === "Callback templates");
    // ? lists the shortcuts; / finds the page's search; n opens a new template on its first field.
    await page.keyboard.press("?");
    await page.waitForSelector("[data-testid=shortcuts]");
    assert.match(await text(page, "[data-testid=shortcuts]"), /g\s*t\s*Go to Callback templates[\s\S]*n\s*New callback template/);
    await page.waitForTimeout(300);
    await shot(page, "79-shortcuts-en");
    // The list fits at 1280×820: no tab stop of its own. In a window too short for it, it scrolls and
    // is one.
    const scrollStop = () => page.$eval("[data-testid=shortcuts-scroll]", (el) => [el.getAttribute("tabindex"), el.getAttribute("aria-label")]);
    assert.deepEqual(await scrollStop(), [null, null]);
    await page.setViewportSize({ width: 960, height: 480 });
    await page.waitForFunction(() => document.querySelector("[data-testid=shortcuts-scroll]")?.getAttribute("tabindex") === "0");
    assert.deepEqual(await scrollStop(), ["0", "Shortcut list, scrolls with the arrow keys"]);
    await page.setViewportSize({ width: 1280, height: 820 });
    await page.keyboard.press("Escape");
    await page.waitForSelector("[data-testid=shortcuts]", { state: "detached" });
    await page.keyboard.press("/");
    assert.equal(await focusedId(), "template-search");
    await page.keyboard.type("n");
    assert.equal(await page.locator("[data-testid=template-form]").count(), 0, "typing in a field is not a shortcut");
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press("g");
    await page.keyboard.press("a");
    await page.waitForFunction(() => document.querySelector("header h1")?.textContent === "Accounts");
    await page.keyboard.press("n");
    await page.waitForSelector("[data-testid=template-form]");
    await page.waitForTimeout(400);
    assert.equal(await focusedId(), "field-TemplateName", "n: a new template, on its first field");
  });

  await test("keyboard: nothing on any page or in any drawer is for the mouse only", "en-US", async (page, bridge) => {
    const made = await bridge.call("create_template", { fields: { TemplateName: "mouse_free", StreamBeginNotifyUrl: "https://hooks.example.com/m" } });
    await bridge.call("bind_domains", { templateId: made.template.TemplateId, targets: [{ domain: "push.example.com", appName: "" }] });
    await bridge.call("inspector_start", { port: 0, external: false });
    const { address } = await bridge.call("inspector_status");
    await sendCallbacks(address, 2, 1);
    await page.reload();
    await page.waitForSelector("[data-testid=edit-mouse_free]");
    /** What shows a pointer (what a mouse user would click) but Tab can never reach. */
    const mouseOnly = () =>
      page.evaluate(() => {
        const FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select, [tabindex]:not([tabindex='-1'])";
        const out = [];
        for (const e of document.querySelectorAll("body *")) {
          if (!e.getClientRects().length || getComputedStyle(e).cursor !== "pointer") continue;
          if (e.closest("[aria-hidden=true], .t-is-disabled, [disabled]")) continue;
          if (e.parentElement && getComputedStyle(e.parentElement).cursor === "pointer") continue;
          if (e.matches(FOCUSABLE) || e.closest(FOCUSABLE) || e.querySelector(FOCUSABLE)) continue;
          const id = e.closest("[data-testid]")?.getAttribute("data-testid") ?? "";
          out.push(`${e.tagName.toLowerCase()}.${[...e.classList].join(".")} in ${id}: "${(e.textContent ?? "").trim().slice(0, 30)}"`);
        }
        return out;
      });
    // The check itself sees a control made for the mouse alone.
    await page.evaluate(() => {
      const probe = document.createElement("span");
      probe.id = "mouse-only-probe";
      probe.style.cursor = "pointer";
      probe.textContent = "probe";
      document.querySelector("header")?.append(probe);
    });
    assert.match((await mouseOnly()).join("\n"), /probe/, "the check finds a pointer-only element");
    await page.evaluate(() => document.getElementById("mouse-only-probe")?.remove());
    const found = [];
    const check = async (where) => found.push(...(await mouseOnly()).map((x) => `${where}: ${x}`));
    for (const p of PAGES) {
      await page.click(`[data-testid=nav-${p}]`);
      await page.waitForTimeout(500);
      if (p === "inspector") {
        await page.locator("[data-testid=event-list] [role=option]").first().click();
        await page.waitForSelector("[data-testid=event-detail]");
      }
      await check(p);
    }
    for (const [where, nav, open] of [
      ["create drawer", "templates", "create-template"],
      ["bind dialog", "templates", "bind-mouse_free"],
      ["account drawer", "accounts", "add-profile"],
      ["inspector settings", "inspector", "inspector-settings-open"],
      ["shortcuts", "templates", "open-shortcuts"],
    ]) {
      await page.click(`[data-testid=nav-${nav}]`);
      await page.click(`[data-testid=${open}]`);
      await page.waitForSelector("[role=dialog][aria-modal=true]");
      await page.waitForTimeout(400);
      await check(where);
      await page.keyboard.press("Escape");
      await page.waitForSelector("[role=dialog][aria-modal=true]", { state: "detached" });
    }
    assert.deepEqual(found, [], "every control the mouse can use, Tab reaches");
  });
}
