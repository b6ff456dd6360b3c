// What a person sees on the console's pages and dialogs at the default window (1280×820) and the
// minimum (960×600), in both languages: nothing cut off, no word broken across lines. Every picture
// is kept in target/ui-screenshots (and `make readme-images` copies some into ui/screenshots).
import assert from "node:assert/strict";
import { shot, test } from "./harness.mjs";

/**
 * Text the page cuts or breaks, inside `scope`: an element that hides part of its text (wider content
 * than its box, clipped) unless it shows the whole on hover (a title, or a table's ellipsis tooltip),
 * and a word of Latin letters (a domain, a button's label, a header) split across two lines.
 */
export async function cutText(page, scope = "body") {
  return page.evaluate((scope) => {
    const out = [];
    const root = document.querySelector(scope);
    if (!root) return [`nothing matches ${scope}`];
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    for (const el of root.querySelectorAll("*")) {
      if (!visible(el) || el.closest(".sr-only, canvas, svg, textarea, .t-input, .t-select, .vlist")) continue;
      const cs = getComputedStyle(el);
      const clips = cs.overflowX === "hidden" || cs.overflowX === "clip";
      const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (clips && hasText && el.scrollWidth > el.clientWidth + 1 && !el.closest("[title], .t-table__ellipsis")) {
        out.push(`cut: "${el.textContent.trim().slice(0, 60)}" (${el.scrollWidth} > ${el.clientWidth})`);
      }
      // A box that scrolls sideways hides what is past its edge (a table wider than the window).
      if ((cs.overflowX === "auto" || cs.overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1) {
        out.push(`scrolls sideways: ${el.className || el.tagName} (${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
    // A control pushed past the edge of a box that clips it (a bar of buttons wider than the window).
    for (const el of root.querySelectorAll("button, a, [role=tab], [role=button]")) {
      if (!visible(el) || el.closest(".sr-only, .vlist, .t-table, .t-tabs__nav")) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const ov = getComputedStyle(p).overflowX;
        if (ov === "visible") continue;
        const box = p.getBoundingClientRect();
        if (ov !== "auto" && ov !== "scroll" && (r.right > box.right + 1 || r.left < box.left - 1)) {
          out.push(`past the edge: "${el.textContent.trim().slice(0, 40)}" (${Math.round(r.right)} > ${Math.round(box.right)})`);
        }
        break;
      }
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !visible(el) || el.closest(".sr-only, textarea, .field-help, .error-message, .dialog-intro, .t-alert__message, pre, .raw, .json-row, .kv")) continue;
      for (const m of n.textContent.matchAll(/[A-Za-z0-9][\w.\-:/]{1,29}/g)) {
        const r = document.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
        if (tops.size > 1) out.push(`broken: "${m[0]}" in "${n.textContent.trim().slice(0, 60)}"`);
      }
    }
    return out;
  }, scope);
}

export async function layoutSuite() {
  for (const locale of ["en-US", "zh-CN"]) {
    for (const size of [{ width: 1280, height: 820 }, { width: 960, height: 600 }]) {
      const tag = `${locale === "en-US" ? "en" : "zh"}-${size.width}x${size.height}`;
      await test(`nothing cut off: templates with three bindings, domains, the bind dialog (${tag})`, locale, async (page, bridge) => {
        const row = await bridge.call("create_template", {
          fields: {
            TemplateName: "three_domains",
            Description: "bound_to_a_domain_and_two_AppNames",
            StreamBeginNotifyUrl: "https://hooks.example.com/live/begin",
            StreamEndNotifyUrl: "https://hooks.example.com/live/end",
            RecordNotifyUrl: "https://hooks.example.com/live/record",
            SnapshotNotifyUrl: "https://hooks.example.com/live/snapshot",
            PushExceptionNotifyUrl: "https://hooks.example.com/live/exception",
            CallbackKey: "layoutKey2024",
          },
        });
        const id = row.template.TemplateId;
        const bound = await bridge.call("bind_domains", {
          templateId: id,
          targets: [
            { domain: "push.example.com", appName: "" },
            { domain: "push2.example.com", appName: "live" },
            { domain: "push2.example.com", appName: "edu" },
          ],
        });
        assert.ok(bound.every((r) => r.ok), JSON.stringify(bound));
        await page.reload();
        await page.waitForSelector("[data-testid=binding-push2\\.example\\.com\\/edu]");
        const fix = (xs, where) => assert.deepEqual(xs, [], `${where} at ${tag}`);
        await page.waitForTimeout(300);
        fix(await cutText(page, "[data-testid=templates-table]"), "the templates table");
        await shot(page, `30-templates-three-bindings-${tag}`);

        await page.click("[data-testid=bind-three_domains]");
        await page.waitForSelector("[data-testid=bind-current]");
        await page.waitForTimeout(400);
        fix(await cutText(page, ".t-dialog"), "the bind dialog");
        await shot(page, `31-bind-dialog-${tag}`);
        await page.keyboard.press("Escape");

        await page.click("[data-testid=nav-domains]");
        await page.waitForSelector("[data-testid=rule-push2\\.example\\.com\\/edu]");
        await page.waitForTimeout(300);
        fix(await cutText(page, "[data-testid=domains-table]"), "the domains table");
        await shot(page, `32-domains-${tag}`);

        // The receiver's bar in the demo, where it also offers "Push a test stream…".
        await page.click("[data-testid=nav-inspector]");
        await page.click("[data-testid=inspector-start]");
        await page.waitForSelector("[data-testid=demo-stream-open]");
        await page.waitForTimeout(300);
        fix(await cutText(page, "[data-testid=inspector-bar]"), "the receiver's bar in the demo");
        await shot(page, `35-inspector-bar-demo-${tag}`);
        await page.click("[data-testid=inspector-stop]");
        await page.waitForSelector("[data-testid=inspector-start]");

        // Accounts: two saved (one in use), every action in view.
        const { endpoint } = await bridge.call("app_status");
        for (const name of ["production", "staging_backup"]) {
          await bridge.call("add_profile", { profile: { name, secretId: "AKIDlayout000000000001", secretKey: "k", sessionToken: null, endpoint, language: null }, switch: name === "production" });
        }
        await page.reload();
        await page.click("[data-testid=nav-accounts]");
        await page.waitForFunction(() => document.querySelector("[data-testid=profiles-table]")?.textContent?.includes("staging_backup"));
        await page.waitForTimeout(300);
        fix(await cutText(page, "[data-testid=profiles-table]"), "the accounts table");
        await shot(page, `33-accounts-${tag}`);

        // The inspector's bars and filters, receiving and with More filters open.
        await page.click("[data-testid=nav-inspector]");
        await page.click("[data-testid=inspector-start]");
        await page.waitForSelector("[data-testid=inspector-address]");
        await page.click("[data-testid=more-filters]");
        await page.waitForSelector("[data-testid=more-filters-row]");
        await page.waitForTimeout(300);
        fix(await cutText(page, "[data-testid=inspector-bar]"), "the receiver's bar");
        fix(await cutText(page, ".filters"), "the filters");
        await shot(page, `34-inspector-filters-${tag}`);
      }, { viewport: size });
    }
  }
}
