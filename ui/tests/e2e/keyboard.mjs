// The real window, part three: the README's walkthrough with the keyboard alone (no click): create a
// template, bind it to a domain, edit it, add an account, receive a callback and open it, delete the
// template. Keys go to whatever has the focus, as a person's do. `ctx` holds the driver and helpers.
import assert from "node:assert/strict";
import { request } from "node:http";
import { Key } from "selenium-webdriver";
import { invoker } from "./screens.mjs";

const post = (url, body) =>
  new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(url, { method: "POST", headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", reject);
    req.end(data);
  });

export async function keyboardWalk(ctx) {
  const { driver, waitText, shotAs } = ctx;
  const invoke = invoker(driver);
  await driver.manage().window().setRect({ width: 1280, height: 820 });
  await invoke("use_demo");
  await invoke("set_ui_settings", { ui: { language: "en-US", theme: "light" } });
  await driver.navigate().refresh();
  await waitText("demo-badge", /Offline demo/);

  const keys = async (...k) => {
    await driver.actions({ async: true }).sendKeys(...k).perform();
    await driver.sleep(60);
  };
  const focused = () => driver.executeScript(() => document.activeElement?.closest("[data-testid]")?.getAttribute("data-testid") ?? document.activeElement?.tagName ?? null);
  const blur = () => driver.executeScript(() => document.activeElement?.blur());
  const heading = (text) => driver.wait(async () => (await driver.executeScript(() => document.querySelector("header h1")?.textContent)) === text, 10000, `the page ${text}`);
  const shown = (css, ms = 10000) => driver.wait(async () => (await driver.executeScript((c) => document.querySelectorAll(c).length, css)) > 0, ms, `${css} shows`);
  const gone = async (css, ms = 10000) => {
    try {
      await driver.wait(async () => (await driver.executeScript((c) => document.querySelectorAll(c).length, css)) === 0, ms);
    } catch {
      const text = await driver.executeScript((c) => document.querySelector(c)?.textContent ?? "", css);
      assert.fail(`${css} still there after ${ms} ms, showing: ${text.slice(0, 500)}`);
    }
  };
  const dialog = "[role=dialog][aria-modal=true]";
  /** Tab (or Shift+Tab) until the focus is on `testid`. */
  const tabTo = async (testid, back = false) => {
    const seen = [];
    for (let i = 0; i < 80; i++) {
      await keys(back ? Key.chord(Key.SHIFT, Key.TAB) : Key.TAB);
      const id = await focused();
      seen.push(id);
      if (id === testid) return;
    }
    assert.fail(`Tab never reached ${testid}: ${seen.join(", ")}`);
  };
  const retype = async (text) => {
    await driver.actions({ async: true }).keyDown(Key.CONTROL).sendKeys("a").keyUp(Key.CONTROL).sendKeys(Key.BACK_SPACE, text).perform();
    await driver.sleep(60);
  };
  /** In a TDesign Select that has the focus: open the list, move to the option starting with `name`. */
  const choose = async (name) => {
    await keys(Key.ENTER);
    for (let i = 0; i < 12; i++) {
      await keys(Key.ARROW_DOWN);
      const hover = await driver.executeScript(() => document.querySelector(".t-select-option__hover")?.textContent ?? "");
      if (hover.startsWith(name)) {
        await keys(Key.ENTER);
        return;
      }
    }
    assert.fail(`no option ${name}`);
  };

  // Create, from the shortcut: the drawer opens on its first field.
  await blur();
  await keys("g", "t");
  await heading("Callback templates");
  await keys("n");
  await shown("[data-testid=template-form]");
  await driver.wait(async () => (await focused()) === "field-TemplateName", 5000, "focus on the name");
  await keys("kb_walk");
  await tabTo("field-StreamBeginNotifyUrl");
  await keys("https://hooks.example.com/kb");
  await tabTo("field-CallbackKey");
  await keys("kbWalkKey2024");
  await tabTo("form-save");
  await keys(Key.ENTER);
  await gone("[data-testid=template-form]");

  // Bind, from the offer that follows: a domain chosen in the list with the arrows.
  await shown("[data-testid=offer-bind]");
  await tabTo("offer-bind");
  await keys(Key.ENTER);
  await shown("[data-testid=bind-current]");
  await driver.wait(async () => (await focused()) === "bind-domain-0", 5000, "focus on the domain");
  await choose("push.example.com");
  // Only this AppName's streams: the whole domain may already be another template's.
  await tabTo("bind-app-0");
  await keys("kbwalk");
  await tabTo("bind-submit");
  await keys(Key.ENTER);
  await waitText("bind-results", /1 of 1 bound/);
  await tabTo("bind-close");
  await keys(Key.ENTER);
  await waitText("templates-table", /kb_walk[\s\S]*push\.example\.com\/kbwalk/);

  // Edit: the stored template, one field changed, saved.
  await blur();
  await tabTo("edit-kb_walk");
  await keys(Key.ENTER);
  await shown("[data-testid=template-form]");
  const name = await driver.executeScript(() => document.querySelector("[data-testid=field-TemplateName] input")?.value);
  assert.equal(name, "kb_walk", "Edit opens the stored template");
  await tabTo("field-Description");
  await keys("edited_by_keyboard");
  await tabTo("form-save");
  await keys(Key.ENTER);
  await gone("[data-testid=template-form]");
  await waitText("templates-table", /edited_by_keyboard/);
  await shotAs("keyboard/01-template-edited");

  // Add an account (the emulator's demo key): name, keys and endpoint by Tab, saved and tested.
  const { endpoint } = await invoke("app_status");
  await blur();
  await keys("g", "a");
  await heading("Accounts");
  await tabTo("add-profile");
  await keys(Key.ENTER);
  await shown("[data-testid=profile-form]");
  await driver.wait(async () => (await focused()) === "profile-name", 5000, "focus on the account name");
  await keys("kb_account");
  await tabTo("profile-secret-id");
  await keys("AKIDLiveHookDemo0000000000000000");
  await tabTo("profile-secret-key");
  await keys("livehookdemokey");
  await tabTo("profile-endpoint");
  await retype(endpoint);
  await tabTo("profile-save");
  await keys(Key.ENTER);
  await waitText("profile-badge", /kb_account/);
  await shotAs("keyboard/02-account-added");
  await invoke("use_demo");

  // The inspector: started on port 0, a callback sent to it, opened from the list with the arrows.
  await driver.navigate().refresh();
  await waitText("demo-badge", /Offline demo/);
  await blur();
  await keys("g", "i");
  await heading("Event inspector");
  await shown("[data-testid=inspector-address], [data-testid=inspector-start]");
  const running = await driver.executeScript(() => !!document.querySelector("[data-testid=inspector-address]"));
  if (!running) {
    await tabTo("inspector-port");
    await retype("0");
    await tabTo("inspector-start");
    await keys(Key.ENTER);
  }
  await shown("[data-testid=inspector-address]");
  const { address } = await invoke("inspector_status");
  assert.equal(await post(`${address}/live`, { event_type: 1, stream_id: "kb_walk_stream", app: "push.example.com", appname: "live", t: 4102444800, sign: "0".repeat(32) }), 200);
  await waitText("event-list", /kb_walk_stream/);
  await blur();
  await tabTo("event-list");
  await keys(Key.HOME);
  await waitText("event-detail", /kb_walk_stream/);
  await shotAs("keyboard/03-callback-opened");

  // Delete: the bound template, unbound and deleted after the question.
  await blur();
  await keys("g", "t");
  await heading("Callback templates");
  await tabTo("delete-kb_walk");
  await keys(Key.ENTER);
  await shown(dialog);
  await tabTo("delete-confirm");
  await keys(Key.ENTER);
  await shown("[data-testid=delete-done]", 20000);
  await tabTo("delete-close");
  await keys(Key.ENTER);
  await driver.wait(async () => !/kb_walk/.test(await driver.executeScript(() => document.querySelector("[data-testid=templates-table]")?.textContent ?? "")), 10000, "kb_walk deleted");
  console.log("  the walkthrough done with the keyboard alone");
}
