// Every form round-trips on the real backend: an item stored with every field set opens for editing
// with every stored value on screen; saving it unchanged sends nothing; changing one field sends
// exactly that change. And the account a list belongs to: a failing account shows its own error only.
import assert from "node:assert/strict";
import { EMPTY_FIELDS, URLS } from "../fixtures.mjs";
import { callsOf, shot, test, text } from "./harness.mjs";

const FULL = {
  TemplateName: "直播回调_全量-1",
  Description: "全部事件_all-events",
  CallbackKey: "RoundTrip2024Key",
  ...URLS,
  RecordExceptionLevels: ["warning"],
};

/** What the template form shows, field by field. */
async function formValues(page) {
  const out = {
    TemplateName: await page.inputValue("[data-testid=form-TemplateName] input"),
    Description: await page.inputValue("[data-testid=form-Description] textarea"),
    CallbackKey: await page.inputValue("[data-testid=form-CallbackKey] input"),
  };
  for (const f of Object.keys(URLS)) out[f] = await page.inputValue(`[data-testid=form-${f}] input`);
  out.levels = await page.$$eval("[data-testid=form-levels] .t-checkbox", (boxes) =>
    boxes.filter((b) => b.classList.contains("t-is-checked")).map((b) => b.textContent.trim()),
  );
  return out;
}

export async function formsSuite() {
  let id = 0;
  await test("template edit: every stored field is shown; unchanged sends nothing; one change sends one field", "en-US", async (page, bridge) => {
    await page.click(`[data-testid='edit-${FULL.TemplateName}']`);
    await page.waitForSelector("[data-testid=template-form]");
    const shown = await formValues(page);
    const { RecordExceptionLevels, ...stored } = FULL;
    assert.deepEqual({ ...shown, levels: undefined }, { ...stored, levels: undefined }, "every input shows its stored value");
    assert.deepEqual(shown.levels, ["Alarm"], "the stored level, and only it, is ticked");
    assert.deepEqual(RecordExceptionLevels, ["warning"]);
    await page.waitForTimeout(300); // the drawer's opening animation
    await shot(page, "30-template-edit-filled-en");

    const before = (await bridge.calls()).length;
    await page.click("[data-testid=form-save]");
    await page.waitForSelector("text=Nothing changed, so nothing was sent.");
    assert.deepEqual(await callsOf(bridge, "update_template", before), [], "saving unchanged sends nothing");

    await page.click(`[data-testid='edit-${FULL.TemplateName}']`);
    await page.fill("[data-testid=form-Description] textarea", "只改描述");
    await page.click("[data-testid=form-save]");
    await page.waitForSelector(`text=Template ${FULL.TemplateName} saved.`);
    const [sent] = await callsOf(bridge, "update_template", before);
    const changed = Object.entries(sent.args.changes).filter(([, v]) => v !== null);
    assert.deepEqual(changed, [["Description", "只改描述"]], "exactly the changed field is sent");
    const [row] = await bridge.call("list_templates");
    assert.equal(row.template.Description, "只改描述");
    assert.equal(row.template.StreamBeginNotifyUrl, URLS.StreamBeginNotifyUrl, "the rest is kept");

    // Report levels: what is ticked is what is saved.
    await page.click(`[data-testid='edit-${FULL.TemplateName}']`);
    await page.locator("[data-testid=form-levels] .t-checkbox", { hasText: "Error" }).click();
    assert.deepEqual((await formValues(page)).levels, ["Error", "Alarm"]);
    await page.click("[data-testid=form-save]");
    await page.waitForFunction(() => !document.querySelector("[data-testid=template-form]"));
    assert.deepEqual([...(await bridge.call("list_templates"))[0].template.RecordExceptionLevels].sort(), ["error", "warning"]);
    await page.click(`[data-testid='edit-${FULL.TemplateName}']`);
    // The last ticked level cannot be taken away: the screen never shows none while one is saved.
    await page.locator("[data-testid=form-levels] .t-checkbox", { hasText: "Alarm" }).click();
    await page.locator("[data-testid=form-levels] .t-checkbox", { hasText: "Error" }).click();
    assert.equal((await formValues(page)).levels.length, 1, "one level stays ticked");
  }, {
    before: async (bridge) => {
      id = (await bridge.call("create_template", { fields: FULL })).template.TemplateId;
      assert.ok(id > 0);
    },
  });

  await test("a new template's report level shows the default it saves", "en-US", async (page, bridge) => {
    await page.click("[data-testid=create-template]");
    assert.deepEqual((await formValues(page)).levels, ["Error"], "Error is ticked by default");
    await page.fill("[data-testid=form-TemplateName] input", "levels");
    await page.fill("[data-testid=form-RecordExceptionNotifyUrl] input", URLS.RecordExceptionNotifyUrl);
    await page.click("[data-testid=form-save]");
    await page.waitForSelector("text=Bind domains now?");
    const [sent] = await callsOf(bridge, "create_template");
    assert.deepEqual(sent.args.fields.RecordExceptionLevels, ["error"]);
  });

  await test("account edit: every stored field is shown; unchanged sends nothing; one change sends one field", "zh-CN", async (page, bridge) => {
    const endpoint = (await bridge.call("app_status")).endpoint;
    await page.click("[data-testid=nav-accounts]");
    await page.click("[data-testid=edit-profile-生产账号]");
    await page.waitForSelector("[data-testid=profile-form]");
    assert.equal(await page.inputValue("[data-testid=profile-name] input"), "生产账号");
    assert.equal(await page.inputValue("[data-testid=profile-endpoint] input"), endpoint);
    assert.equal(await page.inputValue("[data-testid=profile-field-language] input"), "简体中文");
    assert.equal(await page.getAttribute("[data-testid=profile-secret-id] input", "placeholder"), "AKID****0001");
    const form = await text(page, "[data-testid=profile-form]");
    assert.match(form, /已保存：AKID\*\*\*\*0001/);
    assert.match(form, /SecretKey 已保存在系统钥匙串中/);
    assert.match(form, /已保存临时密钥 Token/);
    assert.doesNotMatch(await page.content(), /sk-never-shown|token-never-shown/, "no secret reaches the page");
    await page.waitForTimeout(300);
    await shot(page, "31-account-edit-filled-zh");

    const before = (await bridge.calls()).length;
    await page.click("[data-testid=profile-save]");
    await page.waitForSelector("text=没有改动，未发送任何请求。");
    assert.deepEqual(await callsOf(bridge, "update_profile", before), [], "saving unchanged sends nothing");

    await page.click("[data-testid=edit-profile-生产账号]");
    // Plain http to another machine: warned while typing, refused by the backend, nothing changed.
    await page.fill("[data-testid=profile-endpoint] input", "http://live.example.com");
    assert.match(await text(page, "[data-testid=profile-endpoint-insecure]"), /明文 http:\/\/ 会让已签名的请求以不加密的方式传输/);
    assert.ok(await page.$eval("[data-testid=profile-save]", (b) => b.classList.contains("t-is-disabled")), "an endpoint the backend refuses cannot be saved");
    await shot(page, "38-account-insecure-endpoint-zh");
    await assert.rejects(bridge.call("update_profile", { name: "生产账号", changes: { endpoint: "http://live.example.com" } }), /plain http:\/\/ on another machine/);
    assert.equal((await bridge.call("app_status")).profiles.find((p) => p.name === "生产账号").endpoint, endpoint, "the refused endpoint was saved");
    await page.fill("[data-testid=profile-endpoint] input", "http://127.0.0.1:9000");
    assert.equal(await page.locator("[data-testid=profile-endpoint-insecure]").count(), 0, "loopback needs no warning");
    await page.fill("[data-testid=profile-endpoint] input", "https://live.tencentcloudapi.com");
    await page.click("[data-testid=profile-save]");
    await page.waitForFunction(() => !document.querySelector("[data-testid=profile-form]"));
    const [refused, sent, ...more] = await callsOf(bridge, "update_profile", before);
    assert.equal(refused.args.changes.endpoint, "http://live.example.com", "the test's own call, refused");
    assert.deepEqual(more, [], "one save, one call");
    assert.deepEqual(sent.args, { name: "生产账号", changes: { secretId: null, secretKey: null, sessionToken: null, endpoint: "https://live.tencentcloudapi.com", language: null, clearLanguage: false } });

    // Clearing the language and removing the stored token are changes too, and they stick.
    const mark = (await bridge.calls()).length;
    await page.click("[data-testid=edit-profile-生产账号]");
    await page.waitForSelector("[data-testid=profile-form]");
    // The clear icon shows on hover after a short transition; a click during it lands on the arrow, so
    // wait until it is there and still, and try again if the box opened instead.
    const clearIcon = page.locator("[data-testid=profile-field-language] .t-select__right-icon-clear, [data-testid=profile-field-language] .t-input__suffix-clear").first();
    const languageCleared = () =>
      page
        .waitForFunction(() => document.querySelector("[data-testid=profile-field-language] input")?.value === "", null, { timeout: 2000 })
        .then(() => true, () => false);
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt > 0) await page.click("[data-testid=profile-endpoint] input"); // closes the box if it opened
      await page.hover("[data-testid=profile-field-language] .t-select");
      await clearIcon.waitFor({ state: "visible" });
      await page.waitForTimeout(200);
      await clearIcon.click();
      if (await languageCleared()) break;
    }
    assert.equal(await page.inputValue("[data-testid=profile-field-language] input"), "");
    await page.click("[data-testid=profile-token-remove] .t-checkbox");
    assert.ok(await page.isDisabled("[data-testid=profile-token] input"), "no token to type while it is being removed");
    await page.click("[data-testid=profile-save]");
    await page.waitForFunction(() => !document.querySelector("[data-testid=profile-form]"));
    const [cleared] = await callsOf(bridge, "update_profile", mark);
    assert.deepEqual(cleared.args.changes, { secretId: null, secretKey: null, sessionToken: "", endpoint: null, language: null, clearLanguage: true });
    const stored = (await bridge.call("app_status")).profiles.find((p) => p.name === "生产账号");
    assert.equal(stored.language, null);
    assert.equal(stored.hasToken, false);
    await page.click("[data-testid=edit-profile-生产账号]");
    await page.waitForSelector("[data-testid=profile-form]");
    assert.equal(await page.inputValue("[data-testid=profile-field-language] input"), "", "the cleared language stays cleared");
    assert.doesNotMatch(await text(page, "[data-testid=profile-form]"), /已保存临时密钥 Token/);
    assert.equal(await page.locator("[data-testid=profile-token-remove]").count(), 0, "nothing left to remove");
  }, {
    before: async (bridge) => {
      const { endpoint } = await bridge.call("app_status");
      await bridge.call("add_profile", {
        profile: { name: "生产账号", secretId: "AKIDroundtrip0000000001", secretKey: "sk-never-shown", sessionToken: "token-never-shown", endpoint, language: "zh-CN" },
      });
    },
  });

  await test("a failing account shows its own error, never the demo's templates or domains", "en-US", async (page) => {
    await page.waitForSelector("[data-testid='template-demo_only']");
    await page.click("[data-testid=nav-accounts]");
    await page.click("[data-testid=use-unreachable]");
    await page.waitForSelector("[data-testid=profile-badge]");
    await page.click("[data-testid=nav-templates]");
    await page.waitForSelector("[data-testid=error-notice]");
    assert.match(await text(page, "[data-testid=error-notice]"), /could not be reached|network/i);
    assert.equal(await page.locator("[data-testid='template-demo_only']").count(), 0, "no other account's template");
    assert.equal(await page.locator("[data-testid=templates-table]").count(), 0, "no table to act on");
    await shot(page, "32-failing-account-templates-en");
    await page.click("[data-testid=nav-domains]");
    await page.waitForSelector("[data-testid=error-notice]");
    assert.equal(await page.locator("[data-testid=domains-table]").count(), 0);
    assert.doesNotMatch(await text(page, ".content"), /push\.example\.com/, "no demo domains");
    // Back to the demo: its own lists again.
    await page.click("[data-testid=nav-accounts]");
    await page.click("text=Use the offline demo");
    await page.click("[data-testid=nav-templates]");
    await page.waitForSelector("[data-testid='template-demo_only']");
  }, {
    before: async (bridge) => {
      await bridge.call("create_template", { fields: { ...EMPTY_FIELDS, TemplateName: "demo_only", StreamBeginNotifyUrl: URLS.StreamBeginNotifyUrl } });
      await bridge.call("add_profile", {
        profile: { name: "unreachable", secretId: "AKIDunreachable0001", secretKey: "x", sessionToken: null, endpoint: "http://127.0.0.1:9", language: null },
      });
      await bridge.call("use_demo"); // adding the first account made it the active one
    },
  });
}
