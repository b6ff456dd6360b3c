// The console on the real backend: templates, validation, binding, export and import, accounts, both
// languages and both themes.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { callsOf, createTemplate, pickDomain, root, shot, test, text } from "./harness.mjs";

export async function consoleSuite() {
  await test("the empty state says what to do, in the demo", "en-US", async (page) => {
    assert.match(await text(page, "[data-testid=templates-empty]"), /No callback templates yet/);
    assert.match(await text(page, "[data-testid=demo-badge]"), /Offline demo/);
    await shot(page, "01-templates-empty-en");
  });

  // The lists belong to an account; until the page knows which, it has no list to call empty.
  let answerStatus;
  const statusHeld = new Promise((resolve) => (answerStatus = resolve));
  await test("until the account is known the lists load, never say there is nothing", "en-US", async (page, bridge) => {
    await page.waitForTimeout(500);
    assert.equal(await page.locator("[data-testid=templates-empty]").count(), 0, "no empty state before the list");
    assert.ok(await page.locator("[data-testid=templates-table] .t-loading").first().isVisible(), "the table is loading");
    assert.deepEqual(await callsOf(bridge, "list_templates"), [], "no list before the account is known");
    await shot(page, "00-templates-loading-en");
    answerStatus();
    await page.waitForSelector("[data-testid=templates-empty]");
    assert.equal((await callsOf(bridge, "list_templates")).length, 1);
  }, { before: (_bridge, page) => page.route("**/invoke/app_status", async (route) => { await statusHeld; await route.continue(); }) });

  let answerInspector;
  const inspectorHeld = new Promise((resolve) => (answerInspector = resolve));
  await test("until the receiver's state is known the inspector says so, never 'stopped' with Start", "en-US", async (page) => {
    await page.click("[data-testid=nav-inspector]");
    await page.waitForSelector("[data-testid=inspector-checking]");
    assert.equal(await text(page, "[data-testid=inspector-checking]"), "Loading…");
    await page.waitForTimeout(300);
    assert.equal(await page.locator("[data-testid=inspector-start], [data-testid=inspector-stop], [data-testid=inspector-port]").count(), 0, "no Start, Stop or port yet");
    answerInspector();
    await page.waitForSelector("[data-testid=inspector-start], [data-testid=inspector-address]");
    assert.equal(await page.locator("[data-testid=inspector-checking]").count(), 0);
  }, { before: (_bridge, page) => page.route("**/invoke/inspector_status", async (route) => { await inspectorHeld; await route.continue(); }) });

  const unreadable = { kind: "internal", message: "The settings file could not be read: permission denied.", code: null, requestId: null, fields: [] };
  await test("an account that cannot be read is the error shown, on both lists", "en-US", async (page, bridge) => {
    const explained = async () => {
      await page.click("[data-testid=error-notice] [data-testid=error-toggle]");
      assert.match(await text(page, "[data-testid=error-detail]"), /The settings file could not be read: permission denied\./);
    };
    await page.waitForSelector("[data-testid=error-notice]");
    await explained();
    await shot(page, "00-templates-account-unreadable-en");
    assert.equal(await page.locator("[data-testid=templates-table]").count(), 0);
    await page.click("[data-testid=nav-domains]");
    await explained();
    assert.equal(await page.locator("[data-testid=domains-table]").count(), 0);
    assert.deepEqual([...(await callsOf(bridge, "list_templates")), ...(await callsOf(bridge, "list_domains"))], []);
    // Retry asks again; once it answers, the demo's lists are there.
    await page.unroute("**/invoke/app_status");
    await page.locator(".t-link", { hasText: "Try again" }).first().click();
    await page.waitForFunction(() => document.querySelector("[data-testid=domains-table]")?.textContent?.includes("push.example.com"));
    assert.equal((await callsOf(bridge, "list_domains")).length, 1);
  }, { before: (_bridge, page) => page.route("**/invoke/app_status", (route) => route.fulfill({ status: 200, contentType: "application/x-ndjson", body: `${JSON.stringify({ error: unreadable })}\n` })) });

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

  await test("create, bind to two domains, see the bindings, delete with unbinding", "en-US", async (page, bridge) => {
    await page.waitForSelector("[data-testid=templates-empty]");
    const from = (await bridge.calls()).length;
    await createTemplate(page, "main_hooks", { StreamBeginNotifyUrl: "https://hooks.example.com/b", RecordNotifyUrl: "https://hooks.example.com/r" });
    await page.waitForSelector("text=Bind domains now?");
    // The create's answer is the new row: it is on screen, with its events, and nothing listed again.
    await page.waitForFunction(() => document.querySelector("[data-testid=templates-table]")?.textContent?.includes("main_hooks"));
    assert.match(await text(page, "[data-testid=templates-table]"), /main_hooks[\s\S]*Push[\s\S]*Recording/);
    assert.deepEqual((await bridge.calls()).slice(from).map((c) => c.command).filter((c) => /template|domain/.test(c)), ["create_template"], "one create, no list after it");
    await page.click("[data-testid=offer-bind]");
    await pickDomain(page, 0, "push.example.com");
    assert.equal(await text(page, "[data-testid=bind-covers-0]"), "Covers every stream pushed to push.example.com.");
    await page.click("[data-testid=bind-add-row]");
    // The second row does not offer the domain the first one picked.
    await page.click("[data-testid=bind-domain-1]");
    await page.locator(".bind-domain-popup-1 li", { hasText: "push2.example.com" }).first().waitFor();
    const offered = await page.$$eval(".bind-domain-popup-1 li", (items) => items.map((li) => li.textContent.trim()));
    assert.ok(!offered.some((o) => o.startsWith("push.example.com")), `push.example.com is picked above: ${offered}`);
    await page.locator(".bind-domain-popup-1 li", { hasText: "push2.example.com" }).first().click();
    await page.fill("[data-testid=bind-app-1] input", "live");
    assert.equal(await text(page, "[data-testid=bind-covers-1]"), "Covers only streams pushed to rtmp://push2.example.com/live/<stream>.");
    await shot(page, "03-bind-dialog-en");
    await page.click("[data-testid=bind-submit]");
    await page.waitForSelector("[data-testid=bind-results]");
    assert.match(await text(page, "[data-testid=bind-results]"), /2 of 2 bound/);
    // The offline demo's emulator applies a binding at once; the 5–10 minutes are Tencent Cloud's.
    assert.equal(await text(page, "[data-testid=bind-effect]"), "In the offline demo a binding takes effect at once.");
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
    await page.click("[data-testid='binding-push.example.com'] .tag-close");
    await page.locator(".t-dialog__footer .t-button--theme-primary").click();
    await page.waitForFunction(() => !document.querySelector("[data-testid='binding-push.example.com']"));
    await page.click("[data-testid=delete-main_hooks]");
    assert.match(await text(page, "[data-testid=delete-bindings]"), /push2.example.com\/live/);
    await page.click("[data-testid=delete-confirm]");
    // Done: every step stays in view, then Close shows the emptied table.
    await page.waitForSelector("[data-testid=delete-done]");
    assert.match(await text(page, "[data-testid=delete-done]"), /Template main_hooks is deleted\. What was done:/);
    assert.match(await text(page, "[data-testid=delete-steps]"), /Unbinding push2\.example\.com\/live \(1\/1\)\s+Unbound push2\.example\.com\/live\s+Deleting the template\s+Deleted/);
    await page.waitForTimeout(300);
    await shot(page, "07-delete-steps-en");
    await page.click("[data-testid=delete-close]");
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

  await test("export without keys, then import a changed file: preview first, apply what is kept", "en-US", async (page, bridge) => {
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
    assert.equal(path.slice(0, path.lastIndexOf("/")), `${bridge.dir}/home/Downloads`);
    assert.match(path, /\/livehook-templates-\d{4}-\d\d-\d\d\.json$/);
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
    assert.equal((await bridge.call("list_templates")).length, 1, "the preview sent nothing");
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
    const names = (await bridge.call("list_templates")).map((r) => r.template.TemplateName).sort();
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

  await test("accounts: a new account is tested before it is used; a refused key is explained and used only on request", "en-US", async (page, bridge) => {
    const demo = await bridge.call("app_status");
    await page.click("[data-testid=nav-accounts]");
    await page.click("[data-testid=add-profile]");
    assert.equal(await page.inputValue("[data-testid=profile-endpoint] input"), "https://live.tencentcloudapi.com", "the default endpoint is shown");
    assert.equal(await text(page, "[data-testid=profile-save]"), "Save and test");
    await page.fill("[data-testid=profile-endpoint] input", demo.endpoint);
    await page.fill("[data-testid=profile-name] input", "staging");
    await page.fill("[data-testid=profile-secret-id] input", "AKIDbadexample0001");
    await page.fill("[data-testid=profile-secret-key] input", "secret");
    await page.click("[data-testid=profile-save]");
    // Saved, tested, refused: still on the demo, the reason shown, the choice offered.
    await page.waitForSelector("[data-testid=profile-test-failed]");
    assert.match(await text(page, "[data-testid=profile-test-failed]"), /Account staging is saved but not in use: the connection test failed/);
    assert.match(await text(page, "[data-testid=profile-test-failed]"), /key was refused/);
    assert.equal((await bridge.call("app_status")).demo, true, "not switched");
    assert.equal(await page.locator("[data-testid=demo-badge]").count(), 1);
    await page.waitForTimeout(300);
    await shot(page, "07-account-test-failed-en");
    // Kept: the account is listed, the demo stays in use.
    await page.click("[data-testid=profile-keep-current]");
    await page.waitForSelector("[data-testid=profile-form]", { state: "detached" });
    await page.waitForFunction(() => document.querySelector("[data-testid=profiles-table]")?.textContent?.includes("AKID****0001"));
    assert.doesNotMatch(await page.content(), /secret<|value="secret"/);
    assert.equal((await bridge.call("app_status")).demo, true);
    await page.click("[data-testid=test-staging]");
    await page.waitForSelector("[data-testid=connection-report] [data-testid=error-notice]");
    assert.match(await text(page, "[data-testid=connection-report]"), /key was refused/);
    await shot(page, "07-accounts-en");

    // A key that works: saved, tested (the drawer says so while it runs), then used.
    await page.click("[data-testid=add-profile]");
    await page.fill("[data-testid=profile-endpoint] input", demo.endpoint);
    await page.fill("[data-testid=profile-name] input", "working");
    await page.fill("[data-testid=profile-secret-id] input", "AKIDLiveHookDemo0000000000000000");
    await page.fill("[data-testid=profile-secret-key] input", "livehookdemokey");
    await page.click("[data-testid=profile-save]");
    await page.waitForSelector("text=Connected: working has 0 templates. LiveHook now uses it.");
    await page.waitForSelector("[data-testid=profile-badge]");
    assert.equal((await bridge.call("app_status")).activeProfile, "working");
    const order = (await bridge.calls()).map((c) => c.command).filter((c) => /profile|connection/.test(c));
    assert.deepEqual(order.slice(-3), ["add_profile", "test_connection", "activate_profile"], "tested before it is used");

    // Insisting: the refused account is used only when asked.
    await page.click("[data-testid=add-profile]");
    await page.fill("[data-testid=profile-endpoint] input", demo.endpoint);
    await page.fill("[data-testid=profile-name] input", "insisted");
    await page.fill("[data-testid=profile-secret-id] input", "AKIDbadexample0002");
    await page.fill("[data-testid=profile-secret-key] input", "secret");
    await page.click("[data-testid=profile-save]");
    await page.waitForSelector("[data-testid=profile-test-failed]");
    assert.equal((await bridge.call("app_status")).activeProfile, "working", "still the account in use");
    await page.click("[data-testid=profile-use-anyway]");
    await page.waitForSelector("[data-testid=profile-form]", { state: "detached" });
    assert.equal((await bridge.call("app_status")).activeProfile, "insisted");
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

    // About: the version and the commit this backend was built from, in the language and theme chosen.
    await page.click("[data-testid=open-about]");
    await page.waitForSelector("[data-testid=about-commit] code:not(:empty)");
    const workspace = readFileSync(join(root, "Cargo.toml"), "utf8").match(/\[workspace\.package\]\s*version = "([^"]+)"/)[1];
    assert.equal(await text(page, "[data-testid=about-version]"), workspace);
    const head = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    assert.equal(await text(page, "[data-testid=about-commit]"), head, "the bridge was built from this checkout's commit");
    assert.match(await text(page, "[data-testid=about-platform]"), /^\w+ \w+$/);
    assert.equal(await text(page, ".t-dialog__header"), "关于 LiveHook");
    assert.match(await text(page, "[data-testid=about-dialog]"), /版本[\s\S]*提交[\s\S]*构建平台[\s\S]*man livehook/);
    await page.waitForTimeout(400); // the dialog's fade-in
    await shot(page, "14-about-zh-dark");
    await page.keyboard.press("Escape");
    await page.waitForSelector("[data-testid=about-dialog]", { state: "detached" });
  });
}
