// The event inspector on the real backend: live callbacks from the demo's emulator, verification,
// settings, forwarding to a real handler, picked rows, timeline, filters, 100 000 stored callbacks.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeSync, openSync, closeSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { callsOf, createTemplate, handler, openTab, pickDomain, sendCallbacks, shot, test, text, until } from "./harness.mjs";

/** Wait until `n` push sessions of the demo stream have ended (their interruption arrived). */
async function streamEnded(page, n) {
  await page.waitForFunction(
    (n) => [...document.querySelectorAll("[data-testid=event-list] [role=option]")].filter((r) => r.textContent.includes("Interruption")).length >= n,
    n,
    { timeout: 60000 },
  );
}

export async function inspectorSuite() {
  /** Open the inspector's time range and take one of its presets (after the panel's opening animation). */
  async function pickTimePreset(page, name) {
    await page.click("[data-testid=filter-time] .t-range-input");
    const preset = page.locator(".t-date-picker__presets button", { hasText: name }).first();
    await preset.waitFor({ state: "visible" });
    await page.waitForTimeout(300);
    await preset.click();
  }

  /** "Point a template here": the template's URLs now lead to the running receiver. */
  async function pointHere(page, name) {
    await page.click("[data-testid=inspector-point-open]");
    await page.click("[data-testid=inspector-template] .t-select");
    await page.locator(".inspector-template-popup li", { hasText: name }).first().click();
    assert.ok(await page.isDisabled("[data-testid=inspector-restore]"), "nothing to restore before the inspector changed the template");
    await page.click("[data-testid=inspector-use]");
    await page.waitForSelector("text=now point at the inspector");
    await page.waitForFunction(() => !document.querySelector("[data-testid=inspector-restore]")?.disabled);
    assert.match(await page.inputValue("[data-testid=inspector-template] input"), new RegExp(`${name} · points here`));
    await page.locator("[data-testid=point-dialog] button", { hasText: "Close" }).click();
    await page.waitForSelector("[data-testid=point-dialog]", { state: "detached" });
  }

  /** "Push a test stream…" on push.example.com; `stream` named unless the default is kept. */
  async function pushStream(page, stream) {
    await page.click("[data-testid=demo-stream-open]");
    await page.click("[data-testid=demo-stream-domain] .t-select");
    await page.locator(".demo-domain-popup li", { hasText: "push.example.com" }).first().click();
    if (stream) await page.fill("[data-testid=demo-stream-name] input", stream);
    await page.click("[data-testid=demo-stream-start]");
    await page.waitForSelector("[data-testid=push-dialog]", { state: "detached" });
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

  await test("the inspector: callbacks of a demo stream arrive live, verified with the template's key", "en-US", async (page, bridge) => {
    await boundTemplateThenInspector(page, "inspected", "liveKey2024");
    assert.match(await text(page, "[data-testid=inspector-empty]"), /not receiving/);
    // A port another program holds.
    const busy = createServer();
    await new Promise((r) => busy.listen(0, "127.0.0.1", r));
    await page.fill("[data-testid=inspector-port] input", String(busy.address().port));
    await page.click("[data-testid=inspector-start]");
    await page.waitForSelector("[data-testid=error-notice]");
    assert.match(await text(page, "[data-testid=error-notice]"), /port is in use/i);
    busy.close();
    await page.fill("[data-testid=inspector-port] input", "0");
    await page.click("[data-testid=inspector-start]");
    await page.waitForSelector("[data-testid=inspector-address]");
    assert.match(await text(page, "[data-testid=events-empty]"), /No callbacks yet/);
    await pointHere(page, "inspected");
    // The template sends here already: the push dialog says so and pushes without changing anything.
    await page.click("[data-testid=demo-stream-open]");
    await page.click("[data-testid=demo-stream-domain] .t-select");
    await page.locator(".demo-domain-popup li", { hasText: "push.example.com" }).first().click();
    assert.match(await text(page, "[data-testid=push-here]"), /Template “inspected” sends its callbacks here/);
    assert.equal(await text(page, "[data-testid=demo-stream-start]"), "Push");
    await page.click("[data-testid=demo-stream-start]");
    await page.waitForSelector("[data-testid=push-dialog]", { state: "detached" });
    await streamEnded(page, 1);
    const list = await text(page, "[data-testid=event-list]");
    assert.match(list, /Push\s+demo_stream\s+Verified/);
    assert.match(list, /Interruption/);
    await page.locator("[data-testid=event-list] [role=option]").last().click();
    await page.waitForSelector("[data-testid=detail-summary]");
    assert.match(await text(page, "[data-testid=event-detail]"), /Signed with template \d+ \(inspected\)/);
    await shot(page, "15-inspector-en");
    // Every tab of the detail is in view and opens (a picture of each).
    for (const [i, tab] of ["Summary", "JSON", "Raw", "Headers", "Verification", "Timeline", "Replay"].entries()) {
      await openTab(page, tab);
      assert.equal(await text(page, "[role=tab][aria-selected=true]"), tab);
      assert.ok(await page.locator("[role=tabpanel]").isVisible(), `${tab} shows its panel`);
      await page.waitForTimeout(200);
      await shot(page, `16-detail-tab-${i + 1}-${tab.toLowerCase()}-en`);
    }
    await openTab(page, "Summary");
    await openTab(page, "Verification");
    const steps = await text(page, "[data-testid=detail-steps]");
    assert.match(steps, /Expected sign: shown after .+, when t has passed/, "a sign that still verifies is not shown");
    assert.doesNotMatch(steps, /Expected sign:\s*[0-9a-f]{32}/);
    await shot(page, "39-verification-held-back-en");
    // Keyboard: the list moves the selection.
    const rowIds = await page.$$eval("[data-testid=event-list] [role=option]", (rows) => rows.map((r) => r.dataset.testid));
    await page.focus("[data-testid=event-list]");
    await page.keyboard.press("ArrowUp");
    await page.waitForFunction((id) => document.querySelector("[role=option][aria-selected=true]")?.dataset.testid === id, rowIds.at(-2));
    // Pause: new callbacks are counted, not shown, until resumed.
    await page.click("[data-testid=pause]");
    await pushStream(page, "second");
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
    await page.waitForFunction(() => document.querySelector("[data-testid=inspector-settings]")?.textContent?.includes("st****"));
    assert.doesNotMatch(await drawer.innerText(), /stagingKey1/, "a key is never shown");
    // Removing a key is asked first; saying no keeps it.
    await page.click("[data-testid=remove-key-staging]");
    await page.waitForSelector("text=Callbacks signed with it will no longer verify");
    await page.locator(".t-popconfirm button", { hasText: "Cancel" }).click();
    assert.equal((await bridge.call("inspector_status")).keys.filter((k) => k.manual).length, 1);
    await page.click("[data-testid=remove-key-staging]");
    await page.click("[data-testid=remove-key-confirm]");
    await until(async () => (await bridge.call("inspector_status")).keys.every((k) => !k.manual));
    await drawer.locator("input[placeholder=Name]").fill("staging");
    await drawer.locator("input[placeholder='Callback key']").first().fill("stagingKey1");
    await page.click("[data-testid=add-key]");
    await page.waitForFunction(() => document.querySelector("[data-testid=inspector-settings]")?.textContent?.includes("st****"));
    await page.click("[data-testid=add-rule]");
    await page.locator("[data-testid=rule-row-0] input").nth(2).fill("5x3");
    await page.waitForFunction(() => document.querySelector("[data-testid=save-rules]")?.classList.contains("t-is-disabled"));
    assert.match(await text(page, "[data-testid=inspector-settings]"), /whole numbers/, "a bad number is explained and cannot be saved");
    // The status field is left empty (200 after the failures); the first 2 attempts fail with 500.
    await page.locator("[data-testid=rule-row-0] input").nth(2).fill("");
    await page.locator("[data-testid=rule-row-0] input").nth(4).fill("2");
    await page.click("[data-testid=save-rules]");
    await until(async () => (await bridge.call("inspector_status")).rules.length === 1);
    await page.fill("[data-testid=keep-events] input", "1000");
    await page.fill("[data-testid=keep-days] input", "7");
    await page.click("[data-testid=save-retention]");
    await until(async () => (await bridge.call("inspector_status")).retention.maxAgeDays === 7);
    await drawer.locator("input[placeholder='Callback key']").last().fill("testKey");
    await drawer.locator(".t-checkbox", { hasText: "Retry like Tencent" }).click();
    await page.click("[data-testid=send-test]");
    await page.waitForFunction(() => document.querySelector("[data-testid=test-results]")?.textContent?.includes("Attempt 3: 200"));
    assert.match(await text(page, "[data-testid=test-results]"), /Attempt 1: 500[\s\S]*Attempt 2: 500/);
    await shot(page, "17-inspector-settings-en");
  });

  await test("the inspector: forwarding to your handler, picked rows exported, one push session's timeline", "en-US", async (page, bridge) => {
    const yours = await handler(200);
    const hook = `${yours.url}/live/callback`;
    await boundTemplateThenInspector(page, "forwarded", "fwdKey2024");
    await page.fill("[data-testid=inspector-port] input", "0");
    await page.click("[data-testid=inspector-start]");
    await page.waitForSelector("[data-testid=inspector-address]");

    // Forwarding: a bad address is refused with a reason, a good one is saved and shown.
    await page.click("[data-testid=inspector-settings-open]");
    assert.match(await text(page, "[data-testid=forward-state]"), /Not forwarding/);
    await page.fill("[data-testid=forward-url] input", "localhost:3000/hook");
    assert.match(await text(page, "[data-testid=forward-invalid]"), /starts with http:\/\/ or https:\/\//);
    assert.ok(await page.locator("[data-testid=forward-save]").evaluate((b) => b.classList.contains("t-is-disabled")), "an invalid address cannot be saved");
    // The backend refuses it too (e.g. from another client), with the reason behind Details.
    const refused = await bridge.call("inspector_set_forward", { url: "localhost:3000/hook" }).then(() => null, (e) => e.message);
    assert.match(refused, /not an http/);
    assert.equal((await bridge.call("inspector_status")).forwardTo, null, "nothing saved");
    await page.fill("[data-testid=forward-url] input", hook);
    await page.click("[data-testid=forward-save]");
    await page.waitForFunction((hook) => document.querySelector("[data-testid=forward-state]")?.textContent?.includes(`Forwarding every callback to ${hook}`), hook);
    await page.click(".t-drawer__close-btn");

    // The template still sends elsewhere: pushing says so, and points it here first.
    await page.click("[data-testid=demo-stream-open]");
    await page.click("[data-testid=demo-stream-domain] .t-select");
    await page.locator(".demo-domain-popup li", { hasText: "push.example.com" }).first().click();
    assert.match(
      await text(page, "[data-testid=push-elsewhere]"),
      /Template “forwarded” sends its callbacks to https:\/\/hooks\.example\.com\/a, not to this receiver\. Pushing points it here first/,
    );
    // The dialog's state settles with the inspector's status (polled): wait for the button to say it.
    await page.waitForFunction(() => document.querySelector("[data-testid=demo-stream-start]")?.textContent === "Point it here and push", null, { timeout: 10000 });
    await page.waitForTimeout(300); // the dialog's opening animation
    await shot(page, "23-inspector-push-points-first-en");
    await page.click("[data-testid=demo-stream-start]");
    await page.waitForSelector("[data-testid=push-dialog]", { state: "detached" });
    const address = (await bridge.call("inspector_status")).address;
    const pointed = (await bridge.call("list_templates")).find((r) => r.template.TemplateName === "forwarded").template;
    assert.ok(pointed.StreamBeginNotifyUrl.startsWith(address), `the template now sends here: ${pointed.StreamBeginNotifyUrl}`);
    // Two pushes of one stream: two push sessions. Every callback is forwarded and its answer shows.
    await streamEnded(page, 1);
    await pushStream(page);
    await streamEnded(page, 2);
    const total = await page.locator("[data-testid=event-list] [role=option]").count();
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=event-list] [data-testid=forward-mark]").length === n, total);
    assert.match(await text(page, "[data-testid=event-list]"), /→200/);
    await page.locator("[data-testid=event-list] [role=option]").first().click();
    await page.waitForSelector("[data-testid=detail-forwards]");
    assert.ok((await text(page, "[data-testid=detail-forwards]")).includes(`${hook} → 200`));

    // The timeline: this push session by default, the whole stream on request, one group per session.
    await openTab(page, "Timeline");
    await page.waitForSelector("[data-testid=timeline-session]");
    assert.equal(await page.locator("[data-testid=timeline-session]").count(), 1);
    assert.match(await text(page, "[data-testid=timeline]"), /Push session \S+[\s\S]*\d+ events/);
    await page.locator("[data-testid=timeline-scope] button", { hasText: "The whole stream" }).click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=timeline-session]").length === 2);
    assert.match(await text(page, "[data-testid=timeline]"), /Push session \S+[\s\S]*Push session \S+/);
    await page.waitForTimeout(300); // let the buttons' transition end before the picture
    await shot(page, "19-inspector-timeline-sessions-en");
    // The same as a picture: a lane per push session, a mark per callback, the stream's screenshots
    // in time order; a click on a mark opens that callback and the timeline stays in view.
    assert.equal(await page.locator("[data-testid=stream-lanes] [data-testid=lane]").count(), 2);
    assert.equal(
      await page.locator("[data-testid=stream-lanes] .lane-mark").count(),
      await page.locator("[data-testid=timeline] ol.timeline > li").count(),
      "one mark per callback",
    );
    assert.equal(await page.locator("[data-testid=stream-lanes] .lane-bar.broken").count(), 0, "both sessions pushed and ended");
    await page.waitForSelector("[data-testid=gallery] [data-testid=picture]");
    const shotIds = await page.$$eval("[data-testid=gallery] li", (items) => items.map((li) => Number(li.dataset.testid.slice(8))));
    assert.ok(shotIds.length >= 2, `screenshots in the gallery: ${shotIds}`);
    assert.deepEqual([...shotIds].sort((a, b) => a - b), shotIds, "oldest first");
    await page.locator(`[data-testid=stream-lanes] [data-testid=lane-mark-${shotIds[0]}]`).dispatchEvent("click");
    await page.waitForFunction((id) => document.querySelector("[data-testid=event-detail] h2")?.textContent?.includes(`#${id}`), shotIds[0]);
    await page.waitForSelector("[data-testid=stream-lanes]");
    assert.equal(await page.getAttribute("[role=tab][aria-selected=true]", "id").then((id) => id.endsWith("-tab-timeline")), true, "the timeline tab stays open");
    await page.waitForTimeout(300);
    await shot(page, "27-inspector-lanes-gallery-en");

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
    await page.waitForSelector(`text=Exported ${total} callbacks`);
    // A path that does not fit the format is explained, and nothing is written.
    await page.click("[data-testid=export-open]");
    await page.fill("[data-testid=inspector-export-path] input", `${bridge.dir}/home/Downloads/calls.txt`);
    await page.click("[data-testid=export-save]");
    await page.locator("[data-testid=error-notice] [data-testid=error-toggle]").click();
    assert.match(await text(page, "[data-testid=error-notice]"), /ending in \.har/);
    await page.keyboard.press("Escape");
    await page.click("[data-testid=picked-clear]");
    assert.equal(await page.locator("[data-testid=picked-count]").count(), 0);

    // Domain, AppName and time filters narrow the list.
    const rowCount = () => page.locator("[data-testid=event-list] [role=option]").count();
    // The live view is decided by the backend with the list's own rules: arrivals that the filter keeps
    // appear, the others only raise the stored count, which comes with them (no status call per arrival).
    const storedNow = async () => Number((await text(page, "[data-testid=inspector-stored]")).match(/(\d+) stored/)[1]);
    const storedBefore = await storedNow();
    const base = (await text(page, "[data-testid=inspector-address]")).match(/https?:\/\/\S+/)[0];
    const statusCalls = (await callsOf(bridge, "inspector_status")).length;
    const unsigned = (domain) => (i) => ({ event_type: 1, app: domain, appname: "live", stream_id: `${domain}-${i}`, sequence: `s${i}` });
    // Domain, AppName and time are behind "More filters", which counts those set while it is closed.
    await page.click("[data-testid=more-filters]");
    await page.fill("[data-testid=filter-domain] input", "third.example.com");
    await page.waitForSelector("[data-testid=events-empty]");
    await sendCallbacks(base, 5, 4, unsigned("third.example.com"));
    await sendCallbacks(base, 3, 4, unsigned("fourth.example.com"));
    await until(async () => (await storedNow()) === storedBefore + 8);
    assert.equal(await rowCount(), 5, "only the arrivals the filter keeps enter the list");
    assert.match(await text(page, "[data-testid=event-list]"), /third\.example\.com-4/);
    assert.doesNotMatch(await text(page, "[data-testid=event-list]"), /fourth/);
    assert.equal((await callsOf(bridge, "inspector_status")).length, statusCalls, "the count travels with the arrivals");
    const subs = (await callsOf(bridge, "inspector_subscribe")).length;
    assert.ok(subs >= 2 && (await callsOf(bridge, "inspector_unsubscribe")).length >= subs - 1, "a changed filter ends the old subscription");
    await page.fill("[data-testid=filter-domain] input", "other.example.com");
    await page.waitForSelector("[data-testid=events-empty]");
    await page.fill("[data-testid=filter-domain] input", "push.example.com");
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=event-list] [role=option]").length === n, total);
    await page.fill("[data-testid=filter-app] input", "edu");
    await page.waitForSelector("[data-testid=events-empty]");
    await page.fill("[data-testid=filter-app] input", "live");
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=event-list] [role=option]").length === n, total);
    await pickTimePreset(page, "Last 15 minutes");
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=event-list] [role=option]").length === n, total);
    const since = await page.evaluate(() => document.querySelector("[data-testid=filter-time] input")?.value);
    assert.match(since ?? "", /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/, "the range shows as date and time");
    assert.equal(await rowCount(), total);
    await shot(page, "22-inspector-filters-en");
    await page.click("[data-testid=more-filters]");
    assert.equal(await text(page, "[data-testid=more-filters]"), "More filters (3)");
    assert.match(await text(page, "[data-testid=time-chip]"), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} – /);
    await page.click("[data-testid=more-filters]");
    // A range that ended before these callbacks: none of them, and none of the next ones either.
    await pickTimePreset(page, "Last 7 days");
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=event-list] [role=option]").length === n, total);
    await page.locator("[data-testid=filter-time] .t-range-input input").last().fill("2020-01-01 00:00:00");
    await page.keyboard.press("Enter");
    await page.waitForSelector("[data-testid=events-empty]");
  });

  // 60 callbacks: a push, an interruption and a screenshot for each of 20 streams, none signed.
  let media = "";
  const mixed = (i) => ({
    event_type: [1, 0, 200][i % 3],
    stream_id: `chart-${Math.floor(i / 3)}`,
    sequence: `c${Math.floor(i / 3)}`,
    ...(i % 3 === 2 ? { pic_full_url: `${media}/chart/${i}.jpg` } : {}),
  });
  const sizes = [{ width: 1280, height: 820 }, { width: 960, height: 600 }];
  for (const [locale, size] of ["en-US", "zh-CN"].flatMap((l) => sizes.map((s) => [l, s]))) {
    const en = locale === "en-US";
    const tag = `${en ? "en" : "zh"}-${size.width}`;
    await test(`the inspector's traffic chart: the database's counts, a dragged range, browsing while stopped (${tag})`, locale, async (page, bridge) => {
      await page.click("[data-testid=nav-inspector]");
      await page.waitForSelector("[data-testid=traffic-summary]");
      // What the chart says is what the database counted.
      const counted = await bridge.call("inspector_traffic", { filter: {}, buckets: 100, utcOffsetMinutes: 0 });
      assert.equal(counted.total, 60);
      assert.deepEqual(counted.series.map((x) => [x.eventType, x.counts.reduce((a, b) => a + b, 0)]), [[0, 20], [1, 20], [200, 20]]);
      assert.equal(counted.unverified.reduce((a, b) => a + b, 0), 60, "unsigned callbacks are not verified");
      const summary = await text(page, "[data-testid=traffic-summary]");
      assert.match(summary, en ? /60 callbacks[\s\S]*60 not verified/ : /60 条回调[\s\S]*60 条未通过校验/);
      const alt = await page.getAttribute("[data-testid=traffic-chart]", "aria-label");
      assert.match(alt, en ? /^60 callbacks, .+: (Push|Interruption|Screenshot) 20, .+ 20, .+ 20\. 60 not verified, 0 not answered 200\.$/ : /共 60 条回调：.+ 20，?.*。60 条未通过校验，0 条未应答 200。$/);
      assert.equal(await text(page, "[data-testid=traffic-alt]"), alt, "the same words for screen readers");
      // Nothing is cut: the page fits the window, and the list and the chart are in view.
      const fits = await page.evaluate(() => {
        const c = document.querySelector(".content");
        return c.scrollHeight <= c.clientHeight + 1;
      });
      assert.ok(fits, "the inspector page does not scroll as a whole");
      await shot(page, `24-inspector-chart-${tag}`);
      // Dragging across the chart sets the time range: the list then asks for it.
      const box = await page.locator("[data-testid=traffic-chart]").boundingBox();
      const from = (await bridge.calls()).length;
      await page.mouse.move(box.x + 40, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
      await page.mouse.move(box.x + box.width - 4, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      await page.waitForSelector("[data-testid=time-chip]");
      const asked = await until(async () => (await callsOf(bridge, "inspector_events", from)).find((c) => c.args.filter.since != null));
      assert.ok(asked.args.filter.until > asked.args.filter.since, "a range with a start and an end");
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=event-list] [role=option]").length > 0);
      await shot(page, `25-inspector-chart-brushed-${tag}`);
      await page.click("[data-testid=time-chip] .t-tag__icon-close");
      await page.waitForSelector("[data-testid=time-chip]", { state: "detached" });

      // Stopped, what is stored can still be browsed and searched.
      await page.click("[data-testid=inspector-stop]");
      await page.waitForSelector("[data-testid=inspector-start]");
      assert.match(await text(page, "[data-testid=inspector-stored]"), en ? /60 stored/ : /已存 60 条/);
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=event-list] [role=option]").length > 10);
      await page.locator("[data-testid=filter-stream] input").fill("chart-7");
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=event-list] [role=option]").length === 3);
      await page.locator("[data-testid=event-list] [role=option]").first().click();
      await page.waitForSelector("[data-testid=detail-summary]");
      assert.match(await text(page, "[data-testid=traffic-summary]"), en ? /3 callbacks/ : /3 条回调/);
      await shot(page, `26-inspector-stopped-browsing-${tag}`);
      // Unsigned, every callback of the stream is marked in red on its lane.
      await openTab(page, en ? "Timeline" : "时间线");
      await page.waitForSelector("[data-testid=stream-lanes] [data-testid=lane]");
      assert.equal(await page.locator("[data-testid=stream-lanes] .lane-mark.anomaly").count(), 3);
      // What looks wrong is reachable by keyboard: Tab onto a red mark, Enter opens its callback.
      const marked = await page.$$eval("[data-testid=stream-lanes] .lane-mark.anomaly", (els) => els.map((el) => Number(el.dataset.testid.slice(10))));
      const currentId = Number((await text(page, "[data-testid=event-detail] h2")).match(/#(\d+)/)[1]);
      const other = marked.find((id) => id !== currentId);
      await page.focus(`[data-testid=lane-mark-${other}]`);
      await page.keyboard.press("Enter");
      await page.waitForFunction((id) => document.querySelector("[data-testid=event-detail] h2")?.textContent?.includes(`#${id}`), other);
      assert.match(await page.getAttribute("[data-testid=stream-lanes] svg", "aria-label"), en ? /Push sessions: 1; callbacks: 3; marked as wrong: 3/ : /1 个推流会话，3 条回调，3 条异常/);
      // The stream's screenshot is in the gallery; unsigned, its picture waits for a click.
      await page.waitForSelector("[data-testid=gallery] [data-testid=picture-ask]");
      await page.waitForTimeout(300);
      await shot(page, `28-inspector-lanes-anomalies-${tag}`);
      // Every tab of the detail, in this language and at this size.
      const tabs = en ? ["Summary", "JSON", "Raw", "Headers", "Verification", "Timeline", "Replay"] : ["概要", "JSON", "原文", "请求头", "签名校验", "时间线", "重放"];
      for (const [i, name] of tabs.entries()) {
        await openTab(page, name);
        assert.equal(await text(page, "[role=tab][aria-selected=true]"), name);
        await page.waitForTimeout(200);
        await shot(page, `29-detail-tab-${i + 1}-${tag}`);
      }
    }, {
      viewport: size,
      before: async (bridge) => {
        media = `${(await bridge.call("app_status")).endpoint}/__media`;
        const status = await bridge.call("inspector_start", { port: 0, external: false });
        await sendCallbacks(status.address, 60, 4, mixed);
      },
    });
  }

  let seeded = 0;
  await test("the inspector list stays light with 100 000 callbacks", "en-US", async (page) => {
    await page.click("[data-testid=nav-inspector]");
    await page.waitForSelector("[data-testid=event-list]");
    // Page through the store as a person scrolling would: the list keeps loading as its end nears.
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
    console.log(`  100 000 callbacks sent to the receiver in ${(seeded / 1000).toFixed(1)} s`);
    console.log(`  100 000 rows: ${stats.rendered} row elements in the page, list ${stats.height}px, frame p50 ${stats.p50.toFixed(1)} ms, p95 ${stats.p95.toFixed(1)} ms`);
    assert.ok(stats.rendered < 120, `only the rows in view are drawn (${stats.rendered})`);
    assert.equal(stats.height, 44 * 100000, "every callback can be reached by scrolling");
    await shot(page, "18-inspector-100k-en");
  }, {
    // 100 000 real callbacks, received, verified and stored by the inspector before the page opens.
    before: async (bridge) => {
      const status = await bridge.call("inspector_start", { port: 0, external: false });
      const started = Date.now();
      await sendCallbacks(status.address, 100000);
      seeded = Date.now() - started;
    },
  });

  await test("the inspector: a long stream's timeline loads its newest 5 000 and older ones on demand", "en-US", async (page) => {
    await page.click("[data-testid=nav-inspector]");
    await page.locator("[data-testid=event-list] [role=option]").first().click();
    await openTab(page, "Timeline");
    const entries = () => page.locator("[data-testid=timeline] ol.timeline > li").count();
    await page.waitForSelector("[data-testid=timeline-older]");
    assert.equal(await entries(), 5000, "the newest 5 000 of the push session");
    assert.match(await text(page, "[data-testid=timeline-older]"), /Showing the newest 5000 callbacks; older ones are not loaded\.\s*Load up to 5000 older/);
    await shot(page, "20-inspector-timeline-older-en");
    await page.click("[data-testid=timeline-load-older]");
    await page.waitForSelector("[data-testid=timeline-older]", { state: "detached" });
    assert.equal(await entries(), 5100, "all of it once asked");
    // The whole stream starts again from the newest 5 000.
    await page.locator("[data-testid=timeline-scope] button", { hasText: "The whole stream" }).click();
    await page.waitForSelector("[data-testid=timeline-older]");
    assert.equal(await entries(), 5000);
  }, {
    before: async (bridge) => {
      const status = await bridge.call("inspector_start", { port: 0, external: false });
      await sendCallbacks(status.address, 5100, 32, (i) => ({ event_type: 1, stream_id: "long_stream", sequence: "one-session", event_time: 1700000000 + i, t: 0, sign: "x" }));
    },
  });

  // A full disk: the inspector's folder on a 4 MiB tmpfs (mounting needs root: CI has it; elsewhere
  // the test says it cannot run). Callbacks are answered 503 while the disk is full, the page says
  // so, and storing resumes by itself once there is room.
  const mounted = [];
  const mountSmallDisk = (dir) => {
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", dir], { stdio: "ignore" });
    } catch {
      return false;
    }
    mounted.push(dir);
    return true;
  };
  process.on("exit", () => mounted.forEach((dir) => execFileSync("umount", ["-l", dir], { stdio: "ignore" })));
  const post = async (base, i) => {
    const body = JSON.stringify({ event_type: 1, stream_id: `full_${i}`, t: 0, sign: "x", pad: "x".repeat(64 * 1024) });
    return (await fetch(`${base}/push`, { method: "POST", body })).status;
  };
  let base = null;
  await test("the inspector on a full disk: 503, a notice that says what to do, and recovery", "en-US", async (page, bridge) => {
    if (!base) return;
    const folder = join(bridge.dir, "inspector");
    try {
      await page.click("[data-testid=nav-inspector]");
      await page.waitForSelector("[data-testid=inspector-address]");
      assert.equal(await post(base, 0), 200, "stored while there is room");
      await page.waitForSelector("[data-testid=event-list] [role=option]");
      // Fill what is left of the disk.
      const fd = openSync(join(folder, "filler"), "w");
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (e) {
        assert.equal(e.code, "ENOSPC", String(e));
      } finally {
        closeSync(fd);
      }
      const answers = [];
      for (let i = 1; i <= 50 && !answers.includes(503); i++) answers.push(await post(base, i));
      assert.ok(answers.includes(503), `a callback that cannot be kept is answered 503: ${answers}`);
      assert.ok(answers.every((a) => a === 200 || a === 503), `only 200 or 503: ${answers}`);
      await page.waitForSelector("[data-testid=store-failed]");
      const notice = await text(page, "[data-testid=store-failed]");
      assert.match(notice, /Callbacks are not being stored/);
      assert.match(notice, /answered 503/);
      assert.match(notice, /Free some disk space/);
      assert.doesNotMatch(notice, /\{\{|undefined/);
      await shot(page, "19-inspector-disk-full-en");
      // Room again: the next callback is stored and the notice goes away.
      rmSync(join(folder, "filler"));
      let status = 0;
      for (let i = 100; i < 110 && status !== 200; i++) status = await post(base, i);
      assert.equal(status, 200, "storing resumed by itself");
      await page.waitForSelector("[data-testid=store-failed]", { state: "detached" });
    } finally {
      execFileSync("umount", ["-l", folder], { stdio: "ignore" });
      mounted.splice(mounted.indexOf(folder), 1);
    }
  }, {
    before: async (bridge) => {
      if (!mountSmallDisk(join(bridge.dir, "inspector"))) {
        assert.ok(!process.env.CI, "CI must be able to mount a tmpfs (run as root) for the disk-full test");
        console.log("  skipped: mounting a tmpfs needs root");
        return;
      }
      base = (await bridge.call("inspector_start", { port: 0, external: false })).address;
    },
  });

  await test("the inspector in Simplified Chinese", "zh-CN", async (page) => {
    await page.click("[data-testid=nav-inspector]");
    assert.match(await text(page, "[data-testid=inspector-empty]"), /事件查看器未在接收/);
    await page.click("[data-testid=inspector-start]");
    await page.waitForSelector("[data-testid=inspector-address]");
    assert.match(await text(page, "[data-testid=inspector-address]"), /正在 http:\/\/127\.0\.0\.1:\d+ 接收/);
    await shot(page, "16-inspector-zh");
  });
}
