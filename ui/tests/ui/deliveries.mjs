// The delivery log on the real backend: a demo stream whose pushes are answered 500 twice before 200,
// Tencent's log read back through the emulator and matched with the inspector (received, never
// received, and received without a record), in both languages and at both window sizes.
import assert from "node:assert/strict";
import { createTemplate, handler, pickDomain, sendCallbacks, shot, test, text, until } from "./harness.mjs";
import { cutText } from "./layout.mjs";

/** A template with a key and a push and interruption URL, bound to push.example.com, pointed at a running
 *  inspector whose rule answers the first two attempts of every push 500; then a pushed stream `name`. */
async function loggedStream(page, bridge, name) {
  await createTemplate(page, "logged", { StreamBeginNotifyUrl: "https://hooks.example.com/a", StreamEndNotifyUrl: "https://hooks.example.com/b", CallbackKey: "logKey2024" });
  await page.click("[data-testid=offer-bind]");
  await pickDomain(page, 0, "push.example.com");
  await page.click("[data-testid=bind-submit]");
  await page.click("[data-testid=bind-close]");
  const status = await bridge.call("inspector_start", { port: 0, external: false });
  await bridge.call("inspector_set_rules", { rules: [{ path: null, eventType: 1, status: null, delayMs: 0, failFirst: 2 }] });
  const template = (await bridge.call("list_templates", {})).find((r) => r.template.TemplateName === "logged").template;
  await bridge.call("inspector_use_for_template", { templateId: template.TemplateId, base: status.address });
  await bridge.call("demo_push_stream", { domain: "push.example.com", appName: "live", streamId: name });
  // Three push attempts (500, 500, 200) and the interruption reach the inspector.
  const count = async (eventType) =>
    (await bridge.call("inspector_events", { filter: { eventType, streamId: name, domain: null, appName: null, verify: null, since: null, until: null, text: null, ids: null, beforeId: null, limit: 100 } })).items.length;
  await until(async () => (await count(1)) >= 3 && (await count(0)) >= 1, 60000);
  return status.address;
}

async function readLog(page, stream) {
  await page.fill(".deliveries-form .t-auto-complete input", stream);
  await page.keyboard.press("Escape");
  await page.click("[data-testid=delivery-read]");
  await page.waitForSelector("[data-testid=delivery-summary]");
}

export async function deliveriesSuite() {
  await test("the delivery log: a stream whose pushes partly failed, matched with the inspector", "en-US", async (page, bridge) => {
    const address = await loggedStream(page, bridge, "logged_stream");
    await page.click("[data-testid=nav-deliveries]");
    assert.match(await text(page, "[data-testid=delivery-intro]"), /Tencent's own record of every callback it sent for one stream/);
    // TDesign draws a disabled button as a div with the class.
    assert.ok(await page.locator("[data-testid=delivery-read].t-is-disabled").count(), "nothing to read without a stream name");
    // The streams the inspector has seen are offered.
    await page.click(".deliveries-form .t-auto-complete input");
    await page.waitForSelector(".t-auto-complete__panel >> text=logged_stream");
    await page.keyboard.press("Escape");
    await readLog(page, "logged_stream");

    // Every attempt of every callback the template sent (pointed here, it sends all of them), each
    // received by the inspector; the two pushes answered 500 stand out.
    const summary = await text(page, "[data-testid=delivery-summary]");
    const total = Number(/(\d+) deliveries of logged_stream/.exec(summary)?.[1]);
    assert.ok(total >= 4, summary);
    assert.match(summary, /\b2 failed/);
    assert.doesNotMatch(summary, /never reached/, "every attempt reached the inspector");
    const rows = await page.locator("[data-testid=delivery-table] tbody tr").allInnerTexts();
    assert.equal(rows.length, total, rows.join("\n"));
    assert.equal(rows.filter((r) => /Push/.test(r)).length, 3, rows.join("\n"));
    assert.equal(rows.filter((r) => /Push/.test(r) && /\b500\b/.test(r)).length, 2, rows.join("\n"));
    assert.equal(rows.filter((r) => /Interruption/.test(r)).length, 1, rows.join("\n"));
    // Newest first: the interruption comes before every push.
    assert.ok(rows.findIndex((r) => /Interruption/.test(r)) < rows.findIndex((r) => /Push/.test(r)), rows.join("\n"));
    assert.equal(await page.locator("[data-testid=delivery-table] [data-testid=matched]").count(), total);
    // A failed record opens to the body Tencent sent (as a tree) and the whole answer.
    await page.locator("[data-testid=delivery-table] tr.row-problem").first().click();
    await page.waitForSelector("[data-testid=delivery-detail]");
    const detail = await text(page, "[data-testid=delivery-detail]");
    assert.match(detail, /Request Tencent sent/);
    assert.match(detail, /stream_id[\s\S]*logged_stream/);
    assert.match(detail, /Your server's answer \(result 500\)/);
    await shot(page, "60-delivery-log-en");

    // The receiver stops: the next push is sent by Tencent and never reaches the inspector. A callback
    // posted straight to the receiver before that reached it without being in Tencent's log.
    await sendCallbacks(address, 1, 1, () => ({ event_type: 200, stream_id: "logged_stream", t: 1, sign: "x" }));
    await bridge.call("inspector_stop", {});
    await bridge.call("demo_push_stream", { domain: "push.example.com", appName: "live", streamId: "logged_stream" });
    await until(async () => {
      const now = Math.floor(Date.now() / 1000) + 1;
      const r = await bridge.call("deliveries_read", { query: { stream: "logged_stream", since: now - 3600, until: now, eventType: 0, failedOnly: false } });
      return r.rows.length >= 2;
    }, 60000);
    await page.click("[data-testid=delivery-read]");
    await page.waitForFunction(() => document.querySelector("[data-testid=delivery-summary]")?.textContent.includes("never reached"));
    const after = await text(page, "[data-testid=delivery-summary]");
    assert.match(after, /sent by Tencent, never reached the inspector/);
    assert.match(after, /1 received by the inspector, not in Tencent's log/);
    assert.ok(await page.locator("[data-testid=never-arrived]").count() >= 2, "the push and the interruption never arrived");
    assert.match(await text(page, "[data-testid=delivery-only-here]"), /Screenshot\s+200/);
    await shot(page, "61-delivery-log-never-received-en");

    // Failed only: what did not succeed, and nothing else.
    await page.click("[data-testid=delivery-failed]");
    await page.click("[data-testid=delivery-read]");
    await page.waitForFunction(() => !document.querySelector("[data-testid=delivery-progress]"));
    const failedRows = await page.locator("[data-testid=delivery-table] tbody tr:not(.t-table__expanded-row)").allInnerTexts();
    assert.ok(failedRows.length >= 3, failedRows.join("\n"));
    assert.ok(failedRows.every((r) => !/\bOK\b/.test(r)), failedRows.join("\n"));

    // An unknown stream: the log says what to check.
    await page.click("[data-testid=delivery-failed]");
    await readLog(page, "nobody_pushes_this");
    assert.match(await text(page, "[data-testid=delivery-table]"), /No deliveries of nobody_pushes_this in this range.*check the stream name/s);
  });

  for (const [locale, size, name] of [
    ["zh-CN", { width: 1280, height: 820 }, "62-delivery-log-zh"],
    ["en-US", { width: 960, height: 600 }, "63-delivery-log-960-en"],
    ["zh-CN", { width: 960, height: 600 }, "64-delivery-log-960-zh"],
  ]) {
    await test(`the delivery log at ${size.width}×${size.height} in ${locale}`, locale, async (page, bridge) => {
      await loggedStream(page, bridge, "logged_stream");
      await page.click("[data-testid=nav-deliveries]");
      await page.waitForSelector("[data-testid=delivery-intro]");
      await page.waitForTimeout(300);
      assert.deepEqual(await cutText(page, "[data-testid=deliveries-page]"), [], "the form and the introduction");
      await shot(page, `${name}-intro`);
      await readLog(page, "logged_stream");
      await page.locator("[data-testid=delivery-table] tr.row-problem").first().click();
      await page.waitForSelector("[data-testid=delivery-detail]");
      await page.waitForTimeout(300);
      assert.deepEqual(await cutText(page, "[data-testid=deliveries-page]"), [], "the log, a record open");
      await shot(page, name);
      const summary = await text(page, "[data-testid=delivery-summary]");
      assert.match(summary, locale === "zh-CN" ? /logged_stream 的 \d+ 次投递/ : /\d+ deliveries of logged_stream/);
    }, { viewport: size });
  }
}

/** Bindings from pending to live: an account on the emulator (not the demo, where bindings are live at
 *  once) binds a template; the domain and template views say pending until the first callback reaches
 *  the inspector, then live. */
export async function livenessSuite() {
  await test("bindings: pending until the first callback reaches the inspector, then live", "en-US", async (page, bridge) => {
    // In the demo a binding takes effect at once: live straight away.
    const demoRow = await bridge.call("create_template", { fields: { TemplateName: "at_once", StreamBeginNotifyUrl: "https://hooks.example.com/a" } });
    await bridge.call("bind_domains", { templateId: demoRow.template.TemplateId, targets: [{ domain: "push2.example.com", appName: "" }] });
    await page.reload();
    await page.click("[data-testid=nav-domains]");
    await page.waitForSelector("[data-testid=rule-push2\\.example\\.com] [data-testid=liveness-live]");

    // The same emulator through an account: a real session, where a binding is pending at first.
    const { endpoint } = await bridge.call("app_status");
    await bridge.call("add_profile", {
      profile: { name: "emulated", secretId: "AKIDLiveHookDemo0000000000000000", secretKey: "livehookdemokey", sessionToken: null, endpoint, language: null },
      switch: true,
    });
    const row = await bridge.call("create_template", { fields: { TemplateName: "waits", StreamBeginNotifyUrl: "https://hooks.example.com/a", CallbackKey: "waitKey2024" } });
    await bridge.call("bind_domains", { templateId: row.template.TemplateId, targets: [{ domain: "push.example.com", appName: "" }] });
    await page.reload();
    await page.waitForSelector("[data-testid=binding-push\\.example\\.com][data-state=pending]");
    assert.match(await text(page, "[data-testid=binding-push\\.example\\.com]"), /push\.example\.com · Pending/);
    await shot(page, "65-binding-pending-templates-en");
    await page.click("[data-testid=nav-domains]");
    await page.waitForSelector("[data-testid=rule-push\\.example\\.com] [data-testid=liveness-pending]");
    assert.match(await text(page, "[data-testid=rule-push\\.example\\.com]"), /Pending · 0 min/);
    await page.hover("[data-testid=rule-push\\.example\\.com] [data-testid=liveness-pending]");
    await page.waitForSelector("text=no callback for it has reached the event inspector yet");
    await shot(page, "66-binding-pending-domains-en");

    // The inspector receives the domain's first callback: the views turn live without a reload.
    const status = await bridge.call("inspector_start", { port: 0, external: false });
    await bridge.call("inspector_use_for_template", { templateId: row.template.TemplateId, base: status.address });
    // Test streams are the demo's: push one there (the same emulated account), then back to the account.
    await bridge.call("use_demo", {});
    await bridge.call("demo_push_stream", { domain: "push.example.com", appName: "live", streamId: "first_one" });
    await bridge.call("activate_profile", { name: "emulated" });
    await page.waitForSelector("[data-testid=rule-push\\.example\\.com] [data-testid=liveness-live]", { timeout: 30000 });
    await page.hover("[data-testid=rule-push\\.example\\.com] [data-testid=liveness-live]");
    await page.waitForSelector("text=/reached the event inspector: the first at/");
    await shot(page, "67-binding-live-domains-en");
    await page.click("[data-testid=nav-templates]");
    await page.waitForSelector("[data-testid=binding-push\\.example\\.com][data-state=live]");

    // A binding whose callbacks go to your own server (not the inspector) turns live when Tencent's
    // delivery log shows one sent for it.
    const yours = await handler(200);
    await bridge.call("update_template", { id: demoRow.template.TemplateId, changes: { StreamBeginNotifyUrl: `${yours.url}/cb` } });
    await bridge.call("use_demo", {});
    await bridge.call("demo_push_stream", { domain: "push2.example.com", appName: "live", streamId: "to_yours" });
    await bridge.call("activate_profile", { name: "emulated" });
    await page.reload();
    await page.waitForSelector("[data-testid=binding-push2\\.example\\.com][data-state=pending]");
    await page.click("[data-testid=nav-deliveries]");
    await page.fill(".deliveries-form .t-auto-complete input", "to_yours");
    await page.keyboard.press("Escape");
    await until(async () => {
      await page.click("[data-testid=delivery-read]");
      await page.waitForSelector("[data-testid=delivery-summary]");
      return /[1-9]\d* deliver/.test(await text(page, "[data-testid=delivery-summary]"));
    }, 30000);
    await page.click("[data-testid=nav-domains]");
    await page.waitForSelector("[data-testid=rule-push2\\.example\\.com] [data-testid=liveness-live]");
    await page.hover("[data-testid=rule-push2\\.example\\.com] [data-testid=liveness-live]");
    await page.waitForSelector("text=/delivery log shows a callback sent for this binding/");
    yours.close();
  });
}
