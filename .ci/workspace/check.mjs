// The learner's workspace in `portfolio serve`, in headless Chromium
// (issue 27, "Tests that must exist"). On a new folder, at 1280 and at
// 390 px wide: start a portfolio, add five items through the forms (an
// observation of a handover with a photo, a witness testimony, a
// reflective account, a professional discussion, a workplace document),
// see the statuses change without a reload, write the reflective account,
// reach "Evidence complete — 12 criteria awaiting assessment" (the best a
// learner reaches alone: `met` is the assessor's) and check that
// `portfolio check --format json` on the folder agrees with the page; see
// each criterion's status beside its checkbox; open an item
// from the problems panel's link at its field, with every problem of the
// item in the error summary and beside its field; edit an item with a comment
// and an unknown key in its front matter (and two handover actions, the
// form showing one) and confirm all survive. axe-core
// on every view, zero violations. At 1280, a keyboard-only pass (Tab,
// Enter, Space; typing into the fields) from the page's top through
// "Add item" to "Save". Controls are found by their accessible names.
//
// Usage: node .ci/workspace/check.mjs PORTFOLIO_BINARY SAMPLE_PORTFOLIO [SHOTS_DIR]
// With SHOTS_DIR, saves each view at both widths (docs/pages/issue-27).
// Needs `npm ci` in .ci/workspace (playwright-core, axe-core) and Chromium
// (CHROMIUM, else /usr/bin/chromium).

import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fiveItems, REFLECTION } from "./items.mjs";
import { accessible } from "./page.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const [binaryArg, sampleArg, shotsArg] = process.argv.slice(2);
if (!binaryArg || !sampleArg) {
  console.error("usage: node .ci/workspace/check.mjs PORTFOLIO_BINARY SAMPLE_PORTFOLIO [SHOTS_DIR]");
  process.exit(2);
}
const binary = resolve(binaryArg);
const photo = resolve(sampleArg, "attachments", "handover-sheet.png");
const shots = shotsArg ? resolve(shotsArg) : null;
const work = mkdtempSync(join(tmpdir(), "workspace-check-"));
const servers = [];
let browser = null;

function say(text) { console.log("workspace-check: " + text); }
function fail(text) { throw new Error(text); }
async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  for (const s of servers) if (s.exitCode === null) s.kill("SIGINT");
  rmSync(work, { recursive: true, force: true });
}

/** `portfolio serve DIR` on a free port: its link (with the token). */
function serve(dir) {
  return new Promise((ok, no) => {
    const p = spawn(binary, ["serve", dir, "--port", "0", "-q"], { stdio: ["ignore", "ignore", "pipe"] });
    servers.push(p);
    let said = "";
    const timer = setTimeout(() => no(new Error("serve said nothing in 20 s: " + said)), 20000);
    p.stderr.setEncoding("utf8");
    p.stderr.on("data", (d) => {
      said += d;
      const m = said.match(/ at (http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    p.on("exit", (code) => no(new Error("serve exited " + code + ": " + said)));
  });
}

/** `portfolio check --format json DIR` (it exits 1 while incomplete). */
function check(dir) {
  try {
    return JSON.parse(execFileSync(binary, ["check", "--format", "json", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  } catch (e) {
    if (e.stdout) return JSON.parse(e.stdout);
    throw e;
  }
}

/** axe-core on the whole page as it is now (page.mjs), the view's name back. */
async function axe(page, view) {
  await accessible(page, view);
  return view;
}

/** The screen with `part`'s top at the top of it. */
async function shotOf(part, name, width) {
  if (!shots) return;
  await part.evaluate((e) => e.scrollIntoView());
  await shot(part.page(), name, width);
}

async function shot(page, name, width) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}-${width}.png`) });
}

const panel = (page) => page.locator("#serve-panel");
const workspace = (page) => page.locator("#workspace");

/** The panel's counts, as the page says them. */
async function pageSummary(page) {
  const text = await panel(page).locator(".serve-summary").textContent();
  const m = text.match(/(\d+) met, (\d+) claimed, (\d+) insufficient, (\d+) missing of (\d+)/);
  if (!m) fail("the panel gives no counts: " + text);
  const [met, claimed, insufficient, missing, total] = m.slice(1).map(Number);
  return { met, claimed, insufficient, missing, total };
}

/** Waits until the panel's text differs from `before` (a rebuild reached the page). */
async function panelChanged(page, before, what) {
  await page.waitForFunction((b) => {
    const p = document.getElementById("serve-panel");
    return p && p.textContent !== b;
  }, before, { timeout: 10000 }).catch(() => fail("the panel did not change after " + what));
}

async function notReloaded(page) {
  if (!(await page.evaluate(() => window.__notReloaded === true))) fail("the page reloaded");
}

/** Fills the item form and saves it; waits for the page to show it. */
async function addItem(page, item) {
  const before = await panel(page).textContent();
  await workspace(page).getByRole("button", { name: "Add item", exact: true }).click();
  const ws = workspace(page);
  await ws.getByLabel("Title", { exact: true }).fill(item.title);
  await ws.getByLabel("Date", { exact: true }).fill(item.date);
  await ws.getByLabel("Method", { exact: true }).selectOption({ label: item.method });
  for (const code of item.criteria) {
    const box = ws.getByRole("checkbox", { name: new RegExp("^" + code.replace(".", "\\.") + " ") });
    await box.check();
  }
  await ws.getByLabel("Narrative", { exact: true }).fill(item.narrative);
  if (item.occasion) await ws.getByLabel("Occasion", { exact: true }).fill(item.occasion);
  if (item.witness) {
    await ws.getByLabel("Witness name", { exact: true }).fill(item.witness.name);
    await ws.getByLabel("Witness role", { exact: true }).fill(item.witness.role);
  }
  for (const [label, value] of Object.entries(item.handover || {})) {
    await ws.getByLabel(label, { exact: true }).fill(value);
  }
  for (const label of item.checks || []) await ws.getByLabel(label, { exact: true }).check();
  if (item.heldAt) await ws.getByLabel("Where it is kept", { exact: true }).fill(item.heldAt);
  if (item.photo) await ws.getByLabel("Attachments", { exact: true }).setInputFiles(item.photo);
  if (item.beforeSave) await item.beforeSave();
  await ws.getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForFunction((t) => {
    const m = document.querySelector("main");
    return m && m.textContent.includes(t);
  }, item.title, { timeout: 10000 }).catch(() => fail("the saved item did not appear on the page: " + item.title));
  await panelChanged(page, before, "saving " + item.title);
  await workspace(page).getByRole("button", { name: "Edit " + item.title, exact: true }).waitFor({ timeout: 10000 })
    .catch(() => fail("the saved item has no Edit button: " + item.title));
  await notReloaded(page);
}

/** The page and `portfolio check --format json` say the same. */
async function agrees(page, dir) {
  const json = check(dir);
  const shown = await pageSummary(page);
  for (const k of ["met", "claimed", "insufficient", "missing", "total"]) {
    if (shown[k] !== json.summary[k]) fail(`the page says ${k} ${shown[k]}, portfolio check ${json.summary[k]}`);
  }
  const order = ["missing", "insufficient", "claimed", "met"];
  const short = json.criteria
    .filter((c) => c.assessed && order.indexOf(c.status) < order.indexOf(json.require) && c.next)
    .map((c) => c.code + " " + c.status);
  const listed = await panel(page).locator(".serve-missing > li").evaluateAll((lis) =>
    lis.map((li) => li.querySelector(".serve-code").textContent + " " + li.querySelector(".serve-state").textContent));
  if (JSON.stringify(short) !== JSON.stringify(listed)) {
    fail("the criteria still short differ:\n  page:  " + listed.join(", ") + "\n  check: " + short.join(", "));
  }
  const items = json.items.map((i) => i.title).sort();
  const onPage = (await workspace(page).locator(".ws-item-title").allTextContents()).sort();
  if (JSON.stringify(items) !== JSON.stringify(onPage)) fail("the items listed differ: " + onPage + " / " + items);
  return json;
}

// The five items that make Unit 214's evidence complete (items.mjs, shared
// with the static web build's check).
const ITEMS = () => fiveItems(photo);

/** The texts that describe `locator`'s element (aria-describedby). */
async function description(locator) {
  return locator.evaluate((e) => (e.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean)
    .map((id) => { const d = document.getElementById(id); return d ? d.textContent.trim() : ""; }).join(" | "));
}

/** The whole flow on a new folder at one width. */
async function flow(width) {
  const dir = join(work, "learner-" + width);
  mkdirSync(dir);
  const url = await serve(dir);
  const context = await browser.newContext({
    viewport: { width, height: 900 }, bypassCSP: true, locale: "en-US",
    ...(width < 500 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // A form's refusal (422, the error summary's answer) is expected; any
  // other error the browser logs is not.
  page.on("console", (m) => { if (m.type() === "error" && !m.text().includes("status of 422")) errors.push(m.text()); });
  // The link with the token sets the owner's cookie, then goes on to `/`.
  await page.goto(url);
  await page.waitForURL((u) => u.pathname === "/" && !u.search.includes("token"));
  await page.waitForLoadState("load");
  await page.locator("#serve-panel").waitFor();
  await page.evaluate(() => { window.__notReloaded = true; });
  const views = [];

  // Start a portfolio: the error summary first (nothing filled in), then the names.
  await workspace(page).getByRole("heading", { name: "Start a portfolio" }).waitFor();
  views.push(await axe(page, "start"));
  await shot(page, "start", width);
  const start = workspace(page).getByRole("button", { name: "Start a portfolio", exact: true });
  await start.click();
  await workspace(page).getByText("There is a problem").waitFor();
  views.push(await axe(page, "start, error summary"));
  await workspace(page).getByLabel("Your name", { exact: true }).fill("Amira Khan");
  await workspace(page).getByLabel("Learner reference", { exact: true }).fill("L-2026-0417");
  await workspace(page).getByLabel("Training centre", { exact: true }).fill("Northgate Training");
  await workspace(page).getByLabel("Your assessor", { exact: true }).fill("J. Patel");
  await start.click();
  await workspace(page).getByRole("button", { name: "Add item", exact: true }).waitFor();
  await page.waitForFunction(() => /\d+ met, \d+ claimed/.test((document.querySelector("#serve-panel .serve-summary") || {}).textContent || ""),
    null, { timeout: 10000 }).catch(() => fail("the panel shows no check after starting"));
  if (readdirSync(join(dir, "evidence")).filter((f) => f.endsWith(".md")).length) fail("start wrote example items");
  await notReloaded(page);
  views.push(await axe(page, "the evidence list, nothing yet"));
  say(`${width} px: started a portfolio in the page`);

  // The error summary of the item form: Save with nothing filled in.
  await workspace(page).getByRole("button", { name: "Add item", exact: true }).click();
  views.push(await axe(page, "item form"));
  // Each criterion's checkbox says its status now and what it still
  // needs; its name still starts with its code.
  const box31 = workspace(page).getByRole("checkbox", { name: /^3\.1 Explain to customers/ });
  const said31 = await description(box31);
  if (!/^Now: No evidence yet\. What is still missing: add an item that shows 3\.1 \S/.test(said31)) fail("3.1's checkbox does not say its status and what it needs: " + said31);
  await workspace(page).getByRole("button", { name: "Save", exact: true }).click();
  const summary = workspace(page).locator(".ws-error-summary");
  await summary.waitFor();
  const said = await summary.locator("a").allTextContents();
  if (said.length !== 4) fail("the error summary does not list every empty field at once: " + said);
  if (!(await summary.evaluate((s) => s === document.activeElement))) fail("the error summary did not take focus");
  views.push(await axe(page, "item form, error summary"));
  await shot(page, "error-summary", width);
  await workspace(page).getByRole("button", { name: "Cancel", exact: true }).click();

  // Five items through the forms; the statuses change each time, no reload.
  let last = await pageSummary(page);
  for (const item of ITEMS()) {
    if (item.shot) {
      item.beforeSave = async () => {
        // The narrative's preview: the text as it will read, references marked.
        await workspace(page).getByRole("button", { name: "Show preview", exact: true }).click();
        const preview = workspace(page).locator(".ws-preview");
        const refs = await preview.locator(".ws-ref").allTextContents();
        if (JSON.stringify(refs) !== JSON.stringify(["2.2", "2.3", "3.1", "3.2"]) || !(await preview.textContent()).includes("My assessor watched me")) fail("the preview does not show the narrative: " + (await preview.textContent()));
        await workspace(page).getByLabel("Narrative", { exact: true }).press("End");
        await workspace(page).getByLabel("Narrative", { exact: true }).pressSequentially(" **Done.**");
        await preview.locator("strong", { hasText: "Done." }).waitFor({ timeout: 5000 }).catch(() => fail("the preview does not follow the typing"));
        views.push(await axe(page, "item form, filled in, with the preview"));
        await shotOf(workspace(page).getByLabel("Narrative", { exact: true }), "narrative-preview", width);
        await shotOf(workspace(page).locator(".ws-handover"), "handover-record", width);
        // A completion check needs its outcome: the form asks before saving.
        const wsf = workspace(page);
        await wsf.getByLabel("Checked on", { exact: true }).fill("2026-03-14");
        await wsf.getByRole("button", { name: "Save", exact: true }).click();
        await wsf.locator(".ws-error-summary a", { hasText: "Choose whether the action was done when you checked" }).waitFor({ timeout: 5000 })
          .catch(() => fail("a check without its outcome was not asked about"));
        await wsf.getByLabel("Was it done when you checked?", { exact: true }).selectOption({ label: "Done" });
        await workspace(page).evaluate((e) => e.scrollIntoView());
        await shot(page, item.shot, width);
      };
    }
    await addItem(page, item);
    const now = await pageSummary(page);
    if (JSON.stringify(now) === JSON.stringify(last)) fail("the statuses did not change after " + item.title);
    last = now;
    await agrees(page, dir);
    if (item.title.startsWith("Reflective account")) {
      // Half-way: each criterion short says what it still needs.
      const missing = panel(page).locator(".serve-missing");
      if ((await missing.locator("> li").count()) !== now.insufficient + now.missing) fail("not every criterion short says what it needs");
      await shotOf(missing.locator("xpath=preceding-sibling::h3[1]"), "criterion-missing", width);
      // The item form's checkboxes say the same, criterion by criterion.
      await workspace(page).getByRole("button", { name: "Add item", exact: true }).click();
      for (const li of await panel(page).locator(".serve-missing > li").all()) {
        const code = await li.locator(".serve-code").textContent();
        const needs = (await li.locator(".serve-needs").textContent()).trim().split(" To show " + code + ", an assessor looks for:")[0];
        const beside = await description(workspace(page).getByRole("checkbox", { name: new RegExp("^" + code.replace(".", "\\.") + " ") }));
        const core = needs.replace(/^No evidence yet\. /, "");
        if (!beside.startsWith("Now: ") || !beside.toLowerCase().includes(("What is still missing: " + core).toLowerCase())) fail(code + "'s checkbox does not say what the panel says it needs: " + beside + " / " + needs);
      }
      views.push(await axe(page, "item form, each criterion's status"));
      await shotOf(workspace(page).locator("fieldset").nth(2), "criteria-status", width);
      await workspace(page).getByRole("button", { name: "Cancel", exact: true }).click();
      await workspace(page).getByRole("button", { name: "Add item", exact: true }).waitFor();
    }
  }
  // The reflective account, in the learner's own words: until then the
  // example text "Start a portfolio" wrote keeps the portfolio incomplete.
  const beforeReflection = await panel(page).textContent();
  if (!beforeReflection.includes("template-text")) fail("the example reflection is not said to be a gap");
  await workspace(page).getByRole("button", { name: "Edit your reflective account" }).click();
  await workspace(page).getByLabel("Reflective account", { exact: true }).fill(REFLECTION);
  await workspace(page).getByRole("button", { name: "Save", exact: true }).click();
  await panelChanged(page, beforeReflection, "saving the reflective account");
  await page.waitForFunction(() => !document.getElementById("serve-panel").textContent.includes("template-text"), null, { timeout: 10000 })
    .catch(() => fail("the reflective account saved in the form still reads as the example text"));
  await workspace(page).getByRole("button", { name: "Cancel", exact: true }).click();
  await workspace(page).getByRole("button", { name: "Add item", exact: true }).waitFor();
  await notReloaded(page);

  // The best a learner can reach alone: every criterion has enough
  // evidence and awaits the assessor; the page and the check say so alike.
  const heading = (await panel(page).locator("#serve-heading").textContent()).trim();
  if (heading !== "Evidence complete \u2014 12 criteria awaiting assessment") fail("the headline after five items: " + heading);
  const done = check(dir);
  if (!done.complete || done.summary.claimed !== 12) fail("portfolio check does not find the five items complete: " + JSON.stringify(done.summary));
  if (done.headline && done.headline.text && done.headline.text !== heading) fail("portfolio check's headline differs: " + done.headline.text);
  const serious = done.problems.filter((p) => p.severity !== "warning");
  if (serious.length) fail("the five items have errors or gaps: " + JSON.stringify(serious));
  const counts = (await panel(page).locator(".serve-counts").textContent()).trim();
  const warned = done.problems.map((p) => p.rule);
  if (counts !== `0 errors, 0 gaps, ${warned.length} warning${warned.length === 1 ? "" : "s"}.`) fail("the page's counts differ from the check's: " + counts + " / " + warned);
  if (JSON.stringify(warned) !== JSON.stringify(["over-mapped"])) fail("the five items draw other warnings than over-mapped: " + JSON.stringify(done.problems));
  // Now the checkbox says so too.
  await workspace(page).getByRole("button", { name: "Add item", exact: true }).click();
  const said31Now = await description(workspace(page).getByRole("checkbox", { name: /^3\.1 / }));
  if (!said31Now.startsWith("Now: Enough evidence, awaiting your assessor's decision.")) fail("3.1's checkbox after five items: " + said31Now);
  await workspace(page).getByRole("button", { name: "Cancel", exact: true }).click();
  await workspace(page).getByRole("button", { name: "Add item", exact: true }).waitFor();
  const status = (await panel(page).locator(".serve-status").textContent()).trim();
  if (!status.startsWith("Nothing is missing.")) fail("the panel's status line when complete: " + status);
  say(`${width} px: the headline reads "${heading}"; portfolio check: complete, ${JSON.stringify(done.summary)}, warnings ${warned.join(", ")}`);
  views.push(await axe(page, "evidence complete"));
  await shotOf(panel(page), "complete", width);
  const files = readdirSync(join(dir, "evidence")).filter((f) => f.endsWith(".md"));
  if (files.length !== 5) fail("evidence/ does not hold the five items: " + files);
  const observation = readFileSync(join(dir, "evidence", files.find((f) => f.includes("observation"))), "utf8");
  if (!observation.includes('attachments = ["attachments/handover-sheet.png"]')) fail("the photo is not listed: " + observation);
  if (!observation.includes("[handover]")) fail("the handover record was not saved: " + observation);
  for (const want of ['reason = "Shift change', 'exchanged_by = ["CRM note", "face to face"]', "receiver_confirmed = true", 'check = { date = 2026-03-14, outcome = "done" }']) {
    if (!observation.includes(want)) fail("the handover record lacks " + want + ":\n" + observation);
  }
  say(`${width} px: five items added through the forms; statuses changed each time without a reload; portfolio check agrees (${JSON.stringify(last)})`);
  views.push(await axe(page, "problems panel with five items"));

  // An assessor's referral (typed into the reflective account's file)
  // comes first, with the feedback; a problem's link opens the item's form
  // at its field: the witness testimony loses its witness by hand, the
  // panel says so by its title.
  const reflectiveFile = join(dir, "evidence", files.find((f) => f.includes("reflective")));
  const feedback = "Say how you check that the reminder was acted on, with an example from March.";
  writeFileSync(reflectiveFile, readFileSync(reflectiveFile, "utf8").replace(/\n\+\+\+\n/,
    `\n\n[assessment]\ndecision = "referred"\nby = "J. Patel"\ndate = 2026-03-25\nfeedback = "${feedback}"\n+++\n`));
  const witnessFile = join(dir, "evidence", files.find((f) => f.includes("witness")));
  // Two mistakes in one item (no witness, a date not yet come): the form
  // shows both at once.
  writeFileSync(witnessFile, readFileSync(witnessFile, "utf8").replace(/\nwitness = .*\n/, "\n").replace("date = 2026-03-17", "date = 2099-03-17"));
  await page.waitForFunction((f) => {
    const p = document.getElementById("serve-panel");
    return p && p.textContent.includes(f) && p.textContent.includes("witness-missing");
  }, feedback, { timeout: 10000 }).catch(() => fail("the referral and the missing witness did not reach the panel"));
  const parts = await panel(page).locator("h3").allTextContents();
  if (!/^Your assessor sent back 1 item/.test(parts[0] || "")) fail("the referral does not come first: " + parts);
  const referral = panel(page).locator(".serve-referrals li");
  if (!(await referral.innerText()).includes("Reflective account: the meter escalation to the metering team")) fail("the referral does not name the item by its title");
  await shotOf(panel(page), "problems-panel", width);
  const fixName = { name: "Open \u201cWitness testimony: checking the refund handover\u201d at Witness name" };
  const fix = panel(page).getByRole("link", fixName);
  await fix.waitFor({ timeout: 10000 }).catch(() => fail("no link to the witness field in the panel"));
  const advice = panel(page).locator(".serve-problems li", { has: page.getByRole("link", fixName) });
  const adviceText = await advice.innerText();
  if (adviceText.includes("evidence/") || adviceText.includes("witness-missing")) fail("the rule or path shows outside Details: " + adviceText);
  if (!(await advice.locator("details").textContent()).includes("witness-missing")) fail("Details do not name the rule");
  views.push(await axe(page, "problems panel with a problem"));
  await fix.click();
  await page.waitForFunction(() => document.activeElement && document.activeElement.closest(".ws-group[data-field=witness_name]"),
    null, { timeout: 5000 }).catch(() => fail("the link did not open the form at Witness name"));
  views.push(await axe(page, "item form opened at a field"));
  // The GOV.UK pattern: an error summary at the top linking to each field,
  // each message beside its field (in its description), the field marked
  // invalid; every problem of the item at once.
  const itemSummary = workspace(page).locator(".ws-error-summary");
  await itemSummary.waitFor({ timeout: 5000 }).catch(() => fail("the item's form opened without its problems"));
  const summaryLinks = await itemSummary.locator("a").evaluateAll((as) => as.map((a) => [a.getAttribute("href"), a.textContent]));
  const nameBox = workspace(page).getByLabel("Witness name", { exact: true });
  const dateBox = workspace(page).getByLabel("Date", { exact: true });
  for (const [box, want] of [[nameBox, /witness/i], [dateBox, /date/i]]) {
    const id = await box.getAttribute("id");
    const link = summaryLinks.find(([href]) => href === "#" + id);
    if (!link) fail("the error summary has no link to #" + id + ": " + JSON.stringify(summaryLinks));
    if ((await box.getAttribute("aria-invalid")) !== "true") fail("#" + id + " is not marked invalid");
    const beside = await description(box);
    if (!want.test(beside) || !beside.includes(link[1])) fail("#" + id + "'s message is not beside it: " + beside + " / " + link[1]);
    const group = box.locator("xpath=ancestor::div[contains(@class,'ws-group')][1]");
    if (!(await group.evaluate((g) => g.classList.contains("ws-group-error")))) fail("#" + id + "'s group is not marked as in error");
  }
  if (summaryLinks.some(([, text]) => /witness-missing|date-in-future|evidence\/|:\d+:\d+/.test(text))) fail("the form's summary speaks the checker's language: " + JSON.stringify(summaryLinks));
  if (!(await page.evaluate(() => document.activeElement && document.activeElement.closest(".ws-group[data-field=witness_name]")))) fail("the focus left Witness name");
  await shotOf(itemSummary, "field-error", width);
  await itemSummary.locator("a", { hasText: /date/i }).first().click();
  if (!(await page.evaluate(() => document.activeElement && document.activeElement.closest(".ws-group[data-field=date]")))) fail("the summary's link did not go to Date");
  say(`${width} px: the item's form opened with every problem at once (${summaryLinks.length}), each beside its field`);
  await dateBox.fill("2026-03-17");
  await workspace(page).getByLabel("Witness name", { exact: true }).fill("Dana Reid");
  await workspace(page).getByLabel("Witness role", { exact: true }).fill("Team leader");
  const before2 = await panel(page).textContent();
  await workspace(page).getByRole("button", { name: "Save", exact: true }).click();
  await panelChanged(page, before2, "saving the witness");
  await page.waitForFunction(() => !document.getElementById("serve-panel").textContent.includes("witness-missing"), null, { timeout: 10000 })
    .catch(() => fail("the witness problem stayed after saving"));
  await workspace(page).getByRole("button", { name: "Add item", exact: true }).waitFor();
  await agrees(page, dir);
  say(`${width} px: the panel's link opened the item at Witness name; saved, the problem went`);

  // An item written by hand with a comment and an unknown key: edited in
  // the form, both survive.
  const handWritten = "+++\n# written on the bus, keep this comment\ntitle = \"Questions: reminders on the late shift\"\ndate = 2026-03-23\nmethod = \"questioning\"\ncriteria = [\"1.3\"]\nmy_own_key = \"kept as it is\"\n\n[handover]\nactions = [\n  { action = \"Log the call\", owner = \"Sam Jones\", due = 2026-03-15 },\n  { action = \"Call the customer back\", owner = \"Sam Jones\", due = 2026-03-16 },\n]\n+++\nMy assessor asked me why I set reminders.\n";
  writeFileSync(join(dir, "evidence", "20-questions-reminders.md"), handWritten);
  const edit = workspace(page).getByRole("button", { name: "Edit Questions: reminders on the late shift", exact: true });
  await edit.waitFor({ timeout: 10000 }).catch(() => fail("the hand-written item has no Edit button"));
  await edit.click();
  await workspace(page).getByLabel("Title", { exact: true }).fill("Questions: why I set reminders");
  views.push(await axe(page, "edit form"));
  await workspace(page).getByRole("button", { name: "Save", exact: true }).click();
  await workspace(page).getByRole("button", { name: "Edit Questions: why I set reminders", exact: true }).waitFor({ timeout: 10000 });
  const edited = readFileSync(join(dir, "evidence", "20-questions-reminders.md"), "utf8");
  for (const kept of ["# written on the bus, keep this comment\n", "my_own_key = \"kept as it is\"\n", "title = \"Questions: why I set reminders\"\n",
    "  { action = \"Call the customer back\", owner = \"Sam Jones\", due = 2026-03-16 },\n"]) {
    if (!edited.includes(kept)) fail("the edit lost " + JSON.stringify(kept) + ":\n" + edited);
  }
  say(`${width} px: an edit kept the comment and the unknown key`);

  // The reflective account's form.
  await workspace(page).getByRole("button", { name: "Edit your reflective account" }).click();
  await workspace(page).getByLabel("Reflective account").waitFor();
  views.push(await axe(page, "reflective account form"));
  await workspace(page).getByRole("button", { name: "Cancel", exact: true }).click();

  // Delete asks first.
  await workspace(page).getByRole("button", { name: "Edit Questions: why I set reminders", exact: true }).click();
  await workspace(page).getByRole("button", { name: "Delete item", exact: true }).click();
  views.push(await axe(page, "delete, asked first"));
  await workspace(page).getByRole("button", { name: "Yes, delete this item", exact: true }).click();
  await workspace(page).getByRole("button", { name: "Add item", exact: true }).waitFor();
  await notReloaded(page);
  if (errors.length) fail("the browser reported errors: " + errors.join("\n"));
  say(`${width} px: axe-core found no violation on ${views.length} views: ${views.join("; ")}`);
  return { page, context, dir };
}

/** Tab, Enter and Space (and typing into fields) alone: Add item → Save. */
async function keyboard(page, dir) {
  await page.evaluate(() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); });
  const focused = () => page.evaluate(() => {
    const e = document.activeElement;
    return e ? (e.getAttribute("aria-label") || e.textContent || "").trim() + "|" + e.tagName : "";
  });
  let presses = 0;
  async function tabTo(name) {
    for (let i = 0; i < 600; i++) {
      await page.keyboard.press("Tab");
      presses++;
      if ((await focused()).startsWith(name + "|")) return;
    }
    fail("Tab never reached " + name);
  }
  await tabTo("Add item");
  await page.keyboard.press("Enter");
  const label = () => page.evaluate(() => {
    const e = document.activeElement;
    const l = e && e.id ? document.querySelector(`label[for="${e.id}"]`) : null;
    return l ? l.textContent : "";
  });
  if ((await label()) !== "Title") fail("Add item did not put the focus on Title");
  await page.keyboard.type("Observation: handover typed with the keyboard");
  await page.keyboard.press("Tab");
  if ((await label()) !== "Date") fail("Tab from Title did not reach Date");
  // The date input's segments in the browser's language (en-US, pinned
  // at launch): month, day, year, each moving on by itself.
  await page.keyboard.type("03242026");
  await page.keyboard.press("Tab");
  while ((await label()) !== "Method") { await page.keyboard.press("Tab"); presses++; }
  await page.keyboard.type("Obs");
  await page.keyboard.press("Tab");
  while (!(await label()).startsWith("3.5 ")) { await page.keyboard.press("Tab"); presses++; if (presses > 800) fail("never reached 3.5"); }
  await page.keyboard.press("Space");
  while ((await label()) !== "Narrative") { await page.keyboard.press("Tab"); presses++; if (presses > 800) fail("never reached Narrative"); }
  await page.keyboard.type("At the team meeting I shared what I learned from the refund handover [[3.5]].");
  await tabTo("Save");
  await page.keyboard.press("Enter");
  await workspace(page).getByRole("button", { name: "Edit Observation: handover typed with the keyboard", exact: true })
    .waitFor({ timeout: 10000 }).catch(() => fail("the item saved with the keyboard did not appear"));
  const file = readdirSync(join(dir, "evidence")).find((f) => f.includes("typed-with-the-keyboard"));
  const text = readFileSync(join(dir, "evidence", file), "utf8");
  for (const want of ["date = 2026-03-24\n", "method = \"observation\"\n", "criteria = [\"3.5\"]\n"]) {
    if (!text.includes(want)) fail("the keyboard-made item lacks " + JSON.stringify(want) + ":\n" + text);
  }
  if (text.includes("[handover]")) fail("an empty handover record was written:\n" + text);
  say(`keyboard alone: Add item -> Title, Date, Method, 3.5, Narrative -> Save (${presses} Tab presses) -> ${file}`);
}

const started = Date.now();
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=en-US"],
  });
  const wide = await flow(1280);
  await keyboard(wide.page, wide.dir);
  await wide.context.close();
  const narrow = await flow(390);
  await narrow.context.close();
  say(`passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await cleanup();
} catch (e) {
  console.error("workspace-check: " + (e && e.stack ? e.stack : e));
  await cleanup();
  process.exit(1);
}
