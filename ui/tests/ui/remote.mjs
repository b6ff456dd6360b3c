// A remote inspector on the real backend: `livehook inspector serve --api-listen` started by the test
// (over HTTPS with a self-signed certificate), the app attached to it through the form: each refusal in
// words, the certificate trusted by its fingerprint, the list, the detail and a live arrival read from
// the remote; edited unchanged, nothing is sent; back to this computer in one click.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { REMOTE_TOKEN, pushBody as push, startRemote } from "../remote-inspector.mjs";
import { callsOf, handler, openTab, shot, test, text, until } from "./harness.mjs";
import { cutText } from "./layout.mjs";

/** The files under `dir` that contain `needle` (grep's list), "" when none. */
function filesHolding(dir, needle) {
  try {
    return execFileSync("grep", ["-rlF", needle, dir], { encoding: "utf8" });
  } catch (e) {
    if (e.status === 1) return "";
    throw e;
  }
}


/** Fill the remote form. */
async function fillRemote(page, { name, url, token }) {
  if (name !== undefined) await page.fill("[data-testid=remote-name] input", name);
  if (url !== undefined) await page.fill("[data-testid=remote-url] input", url);
  if (token !== undefined) await page.fill("[data-testid=remote-token] input", token);
}

const rows = (page) => page.locator("[data-testid=event-list] [role=option]").allInnerTexts();

export async function remoteSuite() {
  await test("a remote inspector: each refusal explained, its certificate trusted, shown live, back to this computer", "en-US", async (page, bridge) => {
    const remote = await startRemote();
    try {
      await remote.post(push("cam_remote", 1));
      await remote.post(push("cam_other", 2));
      await page.click("[data-testid=nav-inspector]");
      await page.click("[data-testid=remote-open]");
      assert.match(await text(page, "[data-testid=remote-empty]"), /No remote inspector is saved/);
      await page.click("[data-testid=remote-add]");
      // A wrong token, and a certificate nobody vouches for: the certificate is told first, with its fingerprint.
      await fillRemote(page, { name: "staging", url: remote.api, token: "not-the-token-000000" });
      await page.click("[data-testid=remote-check]");
      await page.waitForSelector("[data-testid=remote-check-failed]");
      assert.match(await text(page, "[data-testid=remote-check-failed]"), /certificate is not trusted/);
      assert.equal(await page.locator("[data-testid=remote-fingerprint]").textContent(), remote.fingerprint);
      await shot(page, "70-remote-untrusted");
      await page.click("[data-testid=remote-trust]");
      assert.equal(await page.locator("[data-testid=remote-trusted]").textContent(), remote.fingerprint);
      await page.click("[data-testid=remote-check]");
      await page.waitForSelector("[data-testid=remote-check-failed]");
      assert.match(await text(page, "[data-testid=remote-check-failed]"), /token was refused \(401\)/);
      // "Save" checks first: nothing is saved while the token is refused.
      await page.click("[data-testid=remote-save]");
      await page.waitForSelector("[data-testid=remote-check-failed]");
      await until(async () => !(await page.isDisabled("[data-testid=remote-save]")));
      assert.deepEqual(await bridge.call("inspector_remotes"), []);
      await fillRemote(page, { token: REMOTE_TOKEN });
      await page.click("[data-testid=remote-check]");
      await page.waitForSelector("[data-testid=remote-check-ok]");
      assert.match(await text(page, "[data-testid=remote-check-ok]"), /Callbacks stored there: 2\./);
      await page.click("[data-testid=remote-save-connect]");
      await page.waitForSelector("[data-testid=remote-dialog]", { state: "detached" });
      // The header says which receiver is shown; the list and a detail are the remote's.
      assert.equal(await text(page, "[data-testid=inspector-remote]"), `Showing staging · ${remote.api}`);
      assert.equal(await text(page, "[data-testid=remote-link]"), "Live");
      await until(async () => (await rows(page)).length === 2);
      assert.match((await rows(page)).join("\n"), /cam_remote[\s\S]*/);
      assert.match(await text(page, "[data-testid=inspector-stored]"), /^2 stored/);
      await page.locator("[data-testid=event-list] [role=option]", { hasText: "cam_remote" }).click();
      await page.waitForSelector("[data-testid=event-detail]");
      assert.match(await text(page, "[data-testid=event-detail]"), /cam_remote/);
      // A replay goes out from this computer, to the address typed (none is offered: the remote's own
      // receiver is on another machine).
      await openTab(page, "Replay");
      assert.equal(await page.inputValue("[data-testid=replay-url] input"), "");
      const mine = await handler(200);
      await page.fill("[data-testid=replay-url] input", `${mine.url}/live/push`);
      await page.click("[data-testid=replay]");
      await page.waitForSelector("[data-testid=replay-result]");
      assert.match(await text(page, "[data-testid=replay-result]"), /Answered 200/);
      mine.close();
      // A callback that arrives there appears here, live.
      await remote.post(push("cam_live", 3));
      await until(async () => (await rows(page)).some((r) => r.includes("cam_live")));
      await until(async () => /^3 stored/.test(await text(page, "[data-testid=inspector-stored]")));
      // Nothing of this computer's receiver is offered while the remote is shown.
      for (const local of ["inspector-start", "inspector-settings-open", "inspector-point-open"]) assert.equal(await page.locator(`[data-testid=${local}]`).count(), 0, local);
      assert.deepEqual(await cutText(page), [], "no cut text");
      await shot(page, "71-remote-shown");
      // The token went to the keyring, never to a file or the call log.
      const saves = await callsOf(bridge, "inspector_remote_save");
      assert.equal(saves.length, 1);
      assert.equal(saves[0].args.remote.token, "<redacted>");
      assert.equal(filesHolding(bridge.dir, REMOTE_TOKEN), "", "no file of the app holds the token");

      // Edit it: every field is what was saved; saved unchanged, nothing is sent.
      await page.click("[data-testid=remote-open]");
      assert.match(await text(page, "[data-testid=remote-list]"), /Shown now/);
      await page.click("[data-testid=remote-edit-staging]");
      await page.waitForSelector("[data-testid=remote-form]");
      await until(async () => /Edit “staging”/.test(await text(page, "[data-testid=remote-dialog] .t-dialog__header")));
      assert.equal(await page.inputValue("[data-testid=remote-name] input"), "staging");
      assert.equal(await page.inputValue("[data-testid=remote-url] input"), remote.api);
      assert.equal(await page.inputValue("[data-testid=remote-token] input"), "");
      assert.equal(await page.getAttribute("[data-testid=remote-token] input", "placeholder"), "unchanged");
      assert.equal(await page.locator("[data-testid=remote-trusted]").textContent(), remote.fingerprint);
      const before = (await bridge.calls()).length;
      await page.click("[data-testid=remote-save]");
      await page.waitForSelector("[data-testid=remote-list]");
      assert.deepEqual((await bridge.calls()).slice(before).map((c) => c.command).filter((c) => c.startsWith("inspector_remote")), [], "nothing sent");
      await page.locator("[data-testid=remote-dialog] button", { hasText: "Close" }).click();

      // One click back to this computer's inspector, which has nothing stored.
      await page.click("[data-testid=inspector-local]");
      await page.waitForSelector("[data-testid=inspector-start]");
      assert.equal(await page.locator("[data-testid=inspector-remote]").count(), 0);
      await page.waitForSelector("[data-testid=inspector-empty]");
      assert.equal((await rows(page)).length, 0);
    } finally {
      remote.stop();
    }
  });

  await test("一个远程检查器：中文界面，最小窗口", "zh-CN", async (page, bridge) => {
    const remote = await startRemote();
    try {
      await remote.post(push("cam_zh", 1));
      await page.click("[data-testid=nav-inspector]");
      await page.click("[data-testid=remote-open]");
      await page.click("[data-testid=remote-add]");
      await fillRemote(page, { name: "生产环境", url: remote.api, token: REMOTE_TOKEN });
      await page.click("[data-testid=remote-check]");
      await page.waitForSelector("[data-testid=remote-check-failed]");
      assert.match(await text(page, "[data-testid=remote-check-failed]"), /证书不受信任/);
      assert.deepEqual(await cutText(page, "[data-testid=remote-dialog]"), [], "no cut text in the dialog");
      await shot(page, "72-remote-untrusted-zh-min");
      await page.click("[data-testid=remote-trust]");
      await page.click("[data-testid=remote-save-connect]");
      await page.waitForSelector("[data-testid=remote-dialog]", { state: "detached" });
      assert.match(await text(page, "[data-testid=inspector-remote]"), /正在显示 生产环境/);
      await until(async () => (await rows(page)).length === 1);
      assert.match(await text(page, "[data-testid=remote-link]"), /实时/);
      assert.match(await text(page, "[data-testid=inspector-local]"), /返回本机/);
      assert.deepEqual(await cutText(page), [], "no cut text");
      await page.waitForTimeout(400); // the dialog's closing animation
      await shot(page, "73-remote-shown-zh-min");
      assert.equal((await bridge.call("inspector_remotes")).length, 1);
    } finally {
      remote.stop();
    }
  }, { viewport: { width: 960, height: 600 } });
}
