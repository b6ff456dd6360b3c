// A demo stream's callbacks, delivered by the real emulator to the real inspector: what each event's
// summary shows (every documented field, in both languages), its picture, the push session it belongs
// to, and a replay that stays a replay.
import assert from "node:assert/strict";
import { EMPTY_FIELDS } from "../fixtures.mjs";
import { callsOf, openTab, shot, test, text, until } from "./harness.mjs";

const STREAM = "sum_stream";

/** A template pointed at the inspector, bound to push.example.com, and one demo push, fully delivered. */
async function deliveredStream(bridge) {
  const id = (await bridge.call("create_template", { fields: { ...EMPTY_FIELDS, TemplateName: "summaries", CallbackKey: "sumKey2024", StreamBeginNotifyUrl: "https://hooks.example.com/a" } })).template.TemplateId;
  const [bound] = await bridge.call("bind_domains", { templateId: id, targets: [{ domain: "push.example.com", appName: "" }] });
  assert.ok(bound.ok, JSON.stringify(bound));
  const status = await bridge.call("inspector_start", { port: 0, external: false });
  await bridge.call("inspector_use_for_template", { templateId: id, base: status.address });
  await bridge.call("demo_push_stream", { domain: "push.example.com", appName: "live", streamId: STREAM });
  const filter = { eventType: null, streamId: STREAM, domain: null, appName: null, verify: null, since: null, until: null, text: null, ids: null, beforeId: null, limit: null };
  await until(async () => (await bridge.call("inspector_events", { filter })).items.some((e) => e.eventType === 0), 30000);
}

/** Open the newest row of an event type. */
async function open(page, typeName) {
  await page.locator("[data-testid=event-list] [role=option]", { hasText: typeName }).first().click();
  await page.waitForSelector("[data-testid=detail-summary]");
}

/** The summary table as [label, value] rows. */
const summary = (page) => page.$$eval("[data-testid=detail-summary] tr", (rows) => rows.map((r) => [r.querySelector("th")?.textContent ?? "", r.querySelector("td")?.textContent ?? ""]));
const value = (rows, label) => rows.find(([l]) => l === label)?.[1];

export async function summariesSuite() {
  await test("event summaries: every documented field, the screenshot itself, one push session", "en-US", async (page) => {
    await page.click("[data-testid=nav-inspector]");
    await page.waitForSelector("[data-testid=event-list] [role=option]");

    await open(page, "Screenshot");
    let rows = await summary(page);
    assert.equal(value(rows, "Width × height"), "1280 × 720");
    assert.match(value(rows, "Size") ?? "", /48\.2 KB/);
    assert.equal(value(rows, "Stream"), STREAM);
    const img = page.locator("[data-testid=picture]");
    await img.waitFor();
    assert.match(await img.getAttribute("src"), /^data:image\/jpeg;base64,/, "the backend fetched the picture");
    assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth === 320), "the picture decoded");
    await shot(page, "33-summary-screenshot-en");

    await open(page, "Audio audit");
    rows = await summary(page);
    assert.match(value(rows, "Score (0–100)") ?? "", /^\d+$/);
    assert.ok(value(rows, "Transcript"), "the transcript is shown");
    assert.match(value(rows, "Audio") ?? "", /^https?:\/\/.*\.mp3$/);
    assert.ok(value(rows, "Suggestion"));

    await open(page, "Porn detection");
    rows = await summary(page);
    assert.equal(value(rows, "Stream"), STREAM);
    assert.equal(value(rows, "Score (0–100)"), "91");
    assert.equal(value(rows, "Label"), "Porn");
    await page.locator("[data-testid=picture]").waitFor();

    await open(page, "Interruption");
    rows = await summary(page);
    assert.match(value(rows, "Reason") ?? "", /^\d+: /);
    assert.match(value(rows, "Push duration") ?? "", /s \(\d+ ms\)/);
    // One push: one session, whichever event it is read from.
    await openTab(page, "Timeline");
    await page.waitForSelector("[data-testid=timeline-session]");
    await page.locator("[data-testid=timeline-scope] button", { hasText: "The whole stream" }).click();
    await page.waitForTimeout(300);
    assert.equal(await page.locator("[data-testid=timeline-session]").count(), 1, "the audio audit's seq is not a push session");
    assert.match(await text(page, "[data-testid=timeline]"), /Audio audit/);
  }, { before: deliveredStream });

  await test("a replay is listed as a replay, not as Tencent's second attempt", "en-US", async (page, bridge) => {
    await page.click("[data-testid=nav-inspector]");
    await open(page, "Push");
    await openTab(page, "Replay");
    const before = await page.locator("[data-testid=event-list] [role=option]").count();
    await page.click("[data-testid=replay]");
    await page.waitForSelector("[data-testid=replay-result]");
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=event-list] [role=option]").length === n + 1, before);
    const newest = page.locator("[data-testid=event-list] [role=option]").first();
    assert.equal(await newest.locator("[data-testid=replay-mark]").count(), 1, "the new row is marked Replay");
    assert.doesNotMatch(await newest.innerText(), /#2/);
    await newest.click();
    // The detail keeps the tab last chosen (Replay): the summary says what this one replays.
    assert.equal(await text(page, "[role=tab][aria-selected=true]"), "Replay");
    await openTab(page, "Summary");
    await page.waitForSelector("[data-testid=detail-replay-of]");
    assert.match(await text(page, "[data-testid=detail-replay-of]"), /replay of #\d+/);
    const { items } = await bridge.call("inspector_events", { filter: { eventType: 1, streamId: STREAM, domain: null, appName: null, verify: null, since: null, until: null, text: null, ids: null, beforeId: null, limit: null } });
    assert.deepEqual(items.map((e) => [e.attempt, e.replayOf !== null]).sort(), [[1, false], [1, true]]);
    await shot(page, "34-replay-marked-en");
  }, { before: deliveredStream });

  await test("an unverified callback's picture is fetched only when asked for", "en-US", async (page, bridge) => {
    await page.click("[data-testid=nav-inspector]");
    await open(page, "Screenshot");
    await page.waitForSelector("[data-testid=picture-ask]");
    assert.match(await text(page, "[data-testid=picture-ask]"), /not verified/);
    assert.equal(await page.locator("[data-testid=picture]").count(), 0);
    assert.deepEqual(await callsOf(bridge, "inspector_image"), [], "nothing fetched on opening");
    await page.click("[data-testid=picture-load]");
    await page.locator("[data-testid=picture]").waitFor();
    const [asked] = await callsOf(bridge, "inspector_image");
    assert.equal(typeof asked.args.id, "number", "the picture is asked for by the callback that names it");
  }, {
    before: async (bridge) => {
      const { address } = await bridge.call("inspector_start", { port: 0, external: false });
      const { endpoint } = await bridge.call("app_status");
      const body = { event_type: 200, stream_id: "forged", width: 320, height: 180, pic_full_url: `${endpoint}/__media/forged/a.jpg`, t: 1900000000, sign: "0".repeat(32) };
      const r = await fetch(`${address}/screenshot`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      assert.equal(r.status, 200);
    },
  });

  await test("event summaries in Simplified Chinese", "zh-CN", async (page) => {
    await page.click("[data-testid=nav-inspector]");
    await page.locator("[data-testid=event-list] [role=option]").first().waitFor();
    await page.locator("[data-testid=event-list] [role=option]", { hasText: "断流" }).first().click();
    await page.waitForSelector("[data-testid=detail-summary]");
    const rows = await summary(page);
    assert.match(value(rows, "断流原因") ?? "", /^\d+：/);
    assert.equal(value(rows, "流名称"), STREAM);
    await shot(page, "35-summary-interruption-zh");
  }, { before: deliveredStream });
}
