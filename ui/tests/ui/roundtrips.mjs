// More forms that round-trip on the real backend: the bind dialog opens on the template's current
// bindings; the inspector's settings open on the stored keys, answer rules, forwarding and retention,
// send nothing when unchanged and exactly one change when one field changes; the replay form opens on
// the callback's own address and body and sends exactly the edit.
import assert from "node:assert/strict";
import { EMPTY_FIELDS as EMPTY } from "../fixtures.mjs";
import { callsOf, handler, openTab, shot, test, text, until } from "./harness.mjs";


export async function roundTripsSuite() {
  await test("bind dialog: opens on the current bindings and sends only the new one", "en-US", async (page, bridge) => {
    await page.click("[data-testid=bind-bound_twice]");
    await page.waitForSelector("[data-testid=bind-current]");
    const current = await text(page, "[data-testid=bind-current]");
    assert.match(current, /push\.example\.com\/live/);
    assert.match(current, /push2\.example\.com/);
    assert.ok(await page.locator("[data-testid=bind-submit]").evaluate((b) => b.disabled || b.classList.contains("t-is-disabled")), "nothing to send until a domain is picked");
    await page.click("[data-testid=bind-domain-0]");
    const option = page.locator(".bind-domain-popup-0 li", { hasText: "push.example.com" }).first();
    // The note comes with the domains' rules, which may answer after the list opened.
    await until(async () => /bound to bound_twice\/live/.test(await option.innerText()), 5000).catch(() => {});
    assert.match(await option.innerText(), /bound to bound_twice\/live/, "the list says where a domain is bound already");
    await option.click();
    await page.fill("[data-testid=bind-app-0] input", "edu");
    await page.waitForTimeout(300);
    await shot(page, "36-bind-current-en");
    const before = (await bridge.calls()).length;
    await page.click("[data-testid=bind-submit]");
    await page.waitForSelector("[data-testid=bind-results]");
    const [sent] = await callsOf(bridge, "bind_domains", before);
    assert.deepEqual(sent.args.targets, [{ domain: "push.example.com", appName: "edu" }]);
  }, {
    before: async (bridge) => {
      const id = (await bridge.call("create_template", { fields: { ...EMPTY, TemplateName: "bound_twice", StreamBeginNotifyUrl: "https://hooks.example.com/a" } })).template.TemplateId;
      await bridge.call("bind_domains", { templateId: id, targets: [{ domain: "push.example.com", appName: "live" }, { domain: "push2.example.com", appName: "" }] });
    },
  });

  let yours;
  await test("inspector settings: every stored setting is shown; unchanged sends nothing; one change sends one", "en-US", async (page, bridge) => {
    await page.click("[data-testid=nav-inspector]");
    await page.click("[data-testid=inspector-settings-open]");
    const drawer = page.locator("[data-testid=inspector-settings]");
    await drawer.waitFor();
    assert.match(await drawer.innerText(), /staging\s+st\*\*\*\*(?!\w)/, "the key added by hand, masked");
    assert.doesNotMatch(await drawer.innerText(), /stagingKey1/);
    const rule = await page.$$eval("[data-testid=rule-row-0] input", (inputs) => inputs.map((i) => i.value));
    assert.deepEqual(rule, ["/live/record", "100", "503", "1500", "2"], "the stored rule, field by field");
    assert.equal(await page.inputValue("[data-testid=forward-url] input"), `${yours.url}/hook`);
    assert.match(await text(page, "[data-testid=forward-state]"), /Forwarding every callback to/);
    assert.equal(await page.inputValue("[data-testid=keep-events] input"), "1234");
    assert.equal(await page.inputValue("[data-testid=keep-days] input"), "9");
    assert.equal(await page.inputValue("[data-testid=keep-mb] input"), "640");
    await page.waitForTimeout(300);
    await shot(page, "37-inspector-settings-stored-en");
    for (const save of ["save-rules", "forward-save", "save-retention"]) {
      assert.ok(await page.locator(`[data-testid=${save}]`).evaluate((b) => b.disabled || b.classList.contains("t-is-disabled")), `${save}: nothing changed, nothing to send`);
    }
    const before = (await bridge.calls()).length;
    await page.locator("[data-testid=rule-row-0] input").nth(3).fill("2500");
    await page.click("[data-testid=save-rules]");
    await until(async () => (await bridge.call("inspector_status")).rules[0].delayMs === 2500);
    const sent = (await bridge.calls()).slice(before).filter((c) => c.command.startsWith("inspector_set"));
    assert.deepEqual(sent.map((c) => c.command), ["inspector_set_rules"], "only the rules were sent");
    assert.deepEqual(sent[0].args.rules, [{ path: "/live/record", eventType: 100, status: 503, delayMs: 2500, failFirst: 2 }]);
  }, {
    before: async (bridge) => {
      yours = await handler(200);
      await bridge.call("inspector_start", { port: 0, external: false });
      await bridge.call("inspector_add_key", { label: "staging", key: "stagingKey1" });
      await bridge.call("inspector_set_rules", { rules: [{ path: "/live/record", eventType: 100, status: 503, delayMs: 1500, failFirst: 2 }] });
      await bridge.call("inspector_set_forward", { url: `${yours.url}/hook` });
      await bridge.call("inspector_set_retention", { retention: { maxEvents: 1234, maxAgeDays: 9, maxMb: 640 } });
    },
  });
  yours?.close();

  await test("replay form: opens on the callback's address and body, and sends exactly the edit", "en-US", async (page, bridge) => {
    await page.click("[data-testid=nav-inspector]");
    await page.locator("[data-testid=event-list] [role=option]").first().click();
    await page.waitForSelector("[data-testid=event-detail]");
    await openTab(page, "Replay");
    const status = await bridge.call("inspector_status");
    assert.equal(await page.inputValue("[data-testid=replay-url] input"), `${status.address}/cb/push`, "the address it came to");
    await page.locator("[data-testid=replay-edit]").click();
    const body = JSON.parse(await page.inputValue("[data-testid=replay-body] textarea"));
    assert.deepEqual(body, { event_type: 1, stream_id: "replay_me", app: "push.example.com", appname: "live", sequence: "7", t: 4102444800, sign: "0".repeat(32) }, "the stored body, whole");
    await page.fill("[data-testid=replay-body] textarea", JSON.stringify({ ...body, stream_id: "replayed_edit" }));
    await page.click("[data-testid=replay]");
    await page.waitForSelector("[data-testid=replay-result]");
    const filter = { eventType: null, streamId: "replayed_edit", domain: null, appName: null, verify: null, since: null, until: null, text: null, ids: null, beforeId: null, limit: null };
    await until(async () => (await bridge.call("inspector_events", { filter })).items.length === 1);
    const [replayed] = (await bridge.call("inspector_events", { filter })).items;
    const detail = await bridge.call("inspector_detail", { id: replayed.id });
    assert.deepEqual(detail.json, { ...body, stream_id: "replayed_edit" }, "exactly the edit was sent");
    assert.notEqual(replayed.replayOf, null);
  }, {
    before: async (bridge) => {
      const status = await bridge.call("inspector_start", { port: 0, external: false });
      const r = await fetch(`${status.address}/cb/push`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ event_type: 1, stream_id: "replay_me", app: "push.example.com", appname: "live", sequence: "7", t: 4102444800, sign: "0".repeat(32) }),
      });
      assert.equal(r.status, 200);
    },
  });
}
