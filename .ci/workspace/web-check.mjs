// The static web build in headless Chromium, as a learner uses it: open the
// page from a plain static server, "Import portfolio (.zip)", see the check,
// "Download PDF" and "Download HTML" and compare them byte for byte with
// what `portfolio build` makes from the same zip on the same "today" and
// build date; "Export portfolio (.zip)" and check that `portfolio check`
// accepts the export; reload and find the portfolio kept in the browser's
// storage; axe-core on the page at 1280 and 390 px; then, at 390 px from an
// empty page, the learner's whole flow (start, five items, the reflection,
// "Evidence complete", the export portfolio check finds complete). Fails on
// any console error or Content-Security-Policy refusal.
//
// Usage: node .ci/workspace/web-check.mjs WEB_DIR PORTFOLIO_BINARY SAMPLE_PORTFOLIO [SCREENSHOT_DIR]
// (playwright-core and axe-core from .ci/workspace/node_modules: see .ci/web-check)
import { chromium } from "playwright-core";
import { createHash } from "node:crypto";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fiveItems, REFLECTION } from "./items.mjs";

const require = createRequire(import.meta.url);
const [web, binary, sample, shots] = process.argv.slice(2);
const TODAY = "2026-03-01";
const BUILT = "2026-03-02";
const work = fs.mkdtempSync(path.join(os.tmpdir(), "web-check-"));
const procs = [];
let browser;

function fail(msg) {
  console.error("web-check: " + msg);
  cleanup();
  process.exit(1);
}
function cleanup() {
  for (const p of procs) p.kill();
  fs.rmSync(work, { recursive: true, force: true });
}
const sha = (bytes) => createHash("sha256").update(bytes).digest("hex");

// The sample as a zip, the way a file manager's "compress" makes it.
const zip = path.join(work, "sample-portfolio.zip");
const made = spawnSync("python3", ["-c", `
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
top = os.path.basename(os.path.normpath(src))
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for d, dirs, files in os.walk(src):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(d, f)
            z.write(p, os.path.join(top, os.path.relpath(p, src)))
`, sample, zip]);
if (made.status !== 0) fail("could not zip the sample: " + made.stderr);

// What the command line makes from it.
const cliOut = path.join(work, "cli");
const cli = spawnSync(binary, ["build", zip, "-o", cliOut, "--date", BUILT], {
  env: { ...process.env, PORTFOLIO_TODAY: TODAY },
});
if (cli.status !== 0 && cli.status !== 1) fail("portfolio build failed: " + cli.stderr);

// A static server, as a centre's web space would be.
const port = 8700 + Math.floor(Math.random() * 200);
const server = spawn("python3", ["-m", "http.server", "--bind", "127.0.0.1", "--directory", web, String(port)], {
  stdio: "ignore",
});
procs.push(server);
for (let i = 0; i < 50; i++) {
  try {
    await fetch(`http://127.0.0.1:${port}/`);
    break;
  } catch {
    await new Promise((r) => setTimeout(r, 100));
  }
}

browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const errors = [];
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
page.on("pageerror", (e) => errors.push(String(e)));
// Nothing leaves the page's own origin (blob: and data: are the page's own).
const foreign = [];
page.on("request", (r) => {
  const u = r.url();
  if (!u.startsWith(`http://127.0.0.1:${port}/`) && !u.startsWith("blob:") && !u.startsWith("data:")) foreign.push(u);
});

const url = `http://127.0.0.1:${port}/?today=${TODAY}&date=${BUILT}`;
const loadStart = Date.now();
await page.goto(url);
await page.waitForSelector("body[data-ready=true]", { timeout: 60000 });
console.log(`web-check: cold load (page, script and engine ready) in ${Date.now() - loadStart} ms`);

// Import.
const started = Date.now();
await page.getByLabel("Import portfolio (.zip)").setInputFiles(zip);
const pdfButton = page.getByRole("button", { name: "Download PDF" });
await pdfButton.waitFor();
await page.waitForFunction(() => !document.getElementById("download-pdf").disabled, null, { timeout: 60000 });
const importMs = Date.now() - started;
const headline = await page.locator("#headline").textContent();
const builtNote = await page.locator("#built").textContent();
console.log(`web-check: imported and built in ${importMs} ms (${builtNote.trim()}); headline: ${headline.trim()}`);

/** Adds an observation for 3.1 through the learner's form and waits until
 * it is saved in the browser. */
async function addObservation(p, title, date) {
  await p.getByRole("button", { name: "Add item" }).click();
  await p.getByLabel("Title", { exact: true }).fill(title);
  await p.getByLabel("Date", { exact: true }).fill(date);
  await p.getByLabel("Method", { exact: true }).selectOption("observation");
  await p.getByRole("checkbox", { name: /^3\.1 / }).check();
  await p.getByLabel("Narrative", { exact: true }).fill("I handed the open case to Sam and told the customer who would call back.");
  await p.getByRole("button", { name: "Save" }).click();
  await p.waitForFunction(() => /Saved in this browser/.test(document.getElementById("files").textContent), null, { timeout: 60000 });
}

async function downloaded(name) {
  const [d] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name }).click()]);
  const dir = fs.mkdtempSync(path.join(work, "download-"));
  const file = path.join(dir, d.suggestedFilename());
  await d.saveAs(file);
  return file;
}

// Byte for byte as the command line.
for (const [name, file] of [["Download PDF", "portfolio.pdf"], ["Download HTML", "portfolio.html"]]) {
  const got = fs.readFileSync(await downloaded(name));
  const want = fs.readFileSync(path.join(cliOut, file));
  if (sha(got) !== sha(want)) {
    fail(`${file} from the page (${got.length} bytes, ${sha(got)}) differs from portfolio build's (${want.length} bytes, ${sha(want)})`);
  }
  console.log(`web-check: ${file} from the browser is byte-identical to the command line's (${got.length} bytes, sha256 ${sha(got).slice(0, 16)}…)`);
}

// The headline agrees with the command line's check.
const cliCheck = JSON.parse(fs.readFileSync(path.join(cliOut, "coverage.json"), "utf8"));
const pageJson = await page.evaluate(() => document.getElementById("headline").textContent);
if (!pageJson.trim()) fail("the page shows no headline");
console.log(`web-check: command line summary: ${JSON.stringify(cliCheck.summary)}`);

// The learner's forms, answered by the engine in the page: add an item.
const before = await page.locator("#headline").textContent();
await addObservation(page, "Observation: the web build's own handover", "2026-02-20");
await page.waitForFunction(() => !document.getElementById("download-pdf").disabled, null, { timeout: 60000 });
console.log(`web-check: an item added in the form and saved in the browser; re-checked and re-built: ${(await page.locator("#built").textContent()).trim()} (headline was "${before.trim()}", now "${(await page.locator("#headline").textContent()).trim()}")`);

// Export, and the command line accepts the export.
const exported = await downloaded("Export portfolio (.zip)");
if (process.env.WEB_CHECK_DEBUG) console.log(spawnSync("unzip", ["-l", exported]).stdout.toString(), await page.locator("#workspace").innerText());
const check = spawnSync(binary, ["check", exported], { env: { ...process.env, PORTFOLIO_TODAY: TODAY } });
if (check.status !== 0 && check.status !== 1) fail(`portfolio check refused the export (${check.status}): ${check.stderr}`);
const check2 = spawnSync(binary, ["check", zip, "--format", "json"], { env: { ...process.env, PORTFOLIO_TODAY: TODAY } });
const check3 = spawnSync(binary, ["check", exported, "--format", "json"], { env: { ...process.env, PORTFOLIO_TODAY: TODAY } });
const items = (s) => JSON.parse(s).items.length;
if (items(check3.stdout) !== items(check2.stdout) + 1) fail(`the export has ${items(check3.stdout)} items, the import ${items(check2.stdout)}: the added item is not in it`);
if (!JSON.parse(check3.stdout).items.some((i) => /web build's own handover/.test(i.title))) fail("the added item is not in the export");
console.log(`web-check: portfolio check accepts the exported zip (exit ${check.status}) and finds the item added in the page`);

// Kept in the browser between visits.
await page.reload();
await page.waitForSelector("body[data-ready=true]");
await page.waitForFunction(() => !document.getElementById("download-pdf").disabled, null, { timeout: 60000 });
const files = await page.locator("#files").textContent();
if (!/last visit/.test(files)) fail("after a reload the portfolio was not restored from the browser's storage: " + files);
console.log("web-check: after a reload: " + files.trim());

// axe-core at 1280 and 390 px.
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
for (const width of [1280, 390]) {
  await page.setViewportSize({ width, height: 900 });
  // Evaluated over the DevTools protocol: the page's own policy lets no
  // script but its own run, and that stays so.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
  });
  if (result.length) fail(`axe at ${width} px: ${result.join("; ")}`);
  console.log(`web-check: axe-core at ${width} px: no violations`);
  if (shots) {
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, `web-${width}.png`), fullPage: false });
  }
}

// Keyboard: the import control is reached by Tab from the top.
await page.setViewportSize({ width: 1280, height: 900 });
await page.goto(url);
await page.waitForSelector("body[data-ready=true]");
let tabs = 0;
for (; tabs < 40; tabs++) {
  await page.keyboard.press("Tab");
  if (await page.evaluate(() => document.activeElement && document.activeElement.id === "import")) break;
}
if (tabs === 40) fail("\"Import portfolio (.zip)\" is not reached by Tab from the top of the page");
console.log(`web-check: the keyboard reaches "Import portfolio (.zip)" in ${tabs + 1} Tab presses`);

// The learner's flow in the static page, at a phone's width, from nothing:
// start a portfolio, the five items of .ci/workspace/check.mjs through the
// forms (a photo among them), the reflective account, "Evidence complete",
// then an assessor signs "accepted for 2.2" in the same page with a
// passphrase key file, and "Export portfolio (.zip)": portfolio check finds
// it complete with 2.2 met (signed, verified) and portfolio decisions
// --signers lists exactly that verified record.
{
  const FLOW_TODAY = "2026-04-01";
  const phone = await browser.newContext({
    acceptDownloads: true, viewport: { width: 390, height: 900 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
  });
  const p = await phone.newPage();
  p.on("console", (m) => { if (m.type() === "error" && !m.text().includes("status of 422")) errors.push(m.text()); });
  p.on("pageerror", (e) => errors.push(String(e)));
  p.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(`http://127.0.0.1:${port}/`) && !u.startsWith("blob:") && !u.startsWith("data:")) foreign.push(u);
  });
  const flowStart = Date.now();
  await p.goto(`http://127.0.0.1:${port}/?today=${FLOW_TODAY}&date=${FLOW_TODAY}`);
  await p.waitForSelector("body[data-ready=true]", { timeout: 60000 });
  const ws = p.locator("#workspace");
  await ws.getByRole("heading", { name: "Start a portfolio" }).waitFor({ timeout: 20000 })
    .catch(() => fail("an empty page offers no \"Start a portfolio\""));
  await ws.getByLabel("Your name", { exact: true }).fill("Amira Khan");
  await ws.getByLabel("Learner reference", { exact: true }).fill("L-2026-0417");
  await ws.getByLabel("Training centre", { exact: true }).fill("Northgate Training");
  await ws.getByLabel("Your assessor", { exact: true }).fill("J. Patel");
  await ws.getByRole("button", { name: "Start a portfolio", exact: true }).click();
  await ws.getByRole("button", { name: "Add item", exact: true }).waitFor({ timeout: 20000 })
    .catch(() => fail("starting a portfolio in the static page did not offer \"Add item\""));
  for (const item of fiveItems(path.join(sample, "attachments", "handover-sheet.png"))) {
    await ws.getByRole("button", { name: "Add item", exact: true }).click();
    await ws.getByLabel("Title", { exact: true }).fill(item.title);
    await ws.getByLabel("Date", { exact: true }).fill(item.date);
    await ws.getByLabel("Method", { exact: true }).selectOption({ label: item.method });
    for (const code of item.criteria) {
      await ws.getByRole("checkbox", { name: new RegExp("^" + code.replace(".", "\\.") + " ") }).check();
    }
    await ws.getByLabel("Narrative", { exact: true }).fill(item.narrative);
    if (item.occasion) await ws.getByLabel("Occasion", { exact: true }).fill(item.occasion);
    if (item.witness) {
      await ws.getByLabel("Witness name", { exact: true }).fill(item.witness.name);
      await ws.getByLabel("Witness role", { exact: true }).fill(item.witness.role);
    }
    for (const [label, value] of Object.entries(item.handover || {})) await ws.getByLabel(label, { exact: true }).fill(value);
    for (const label of item.checks || []) await ws.getByLabel(label, { exact: true }).check();
    if (item.handover) {
      await ws.getByLabel("Checked on", { exact: true }).fill("2026-03-14");
      await ws.getByLabel("Was it done when you checked?", { exact: true }).selectOption({ label: "Done" });
    }
    if (item.heldAt) await ws.getByLabel("Where it is kept", { exact: true }).fill(item.heldAt);
    if (item.photo) await ws.getByLabel("Attachments", { exact: true }).setInputFiles(item.photo);
    await ws.getByRole("button", { name: "Save", exact: true }).click();
    await ws.getByRole("button", { name: "Edit " + item.title, exact: true }).waitFor({ timeout: 20000 })
      .catch(() => fail("the item saved in the static page has no Edit button: " + item.title));
  }
  await ws.getByRole("button", { name: "Edit your reflective account" }).click();
  await ws.getByLabel("Reflective account", { exact: true }).fill(REFLECTION);
  await ws.getByRole("button", { name: "Save", exact: true }).click();
  const complete = "Evidence complete \u2014 12 criteria awaiting assessment";
  await p.waitForFunction((want) => ((document.getElementById("serve-heading") || {}).textContent || "").trim() === want, complete, { timeout: 30000 })
    .catch(async () => fail("the static page's headline after five items and the reflection: " + (await p.locator("#problems").innerText())));
  const flowMs = Date.now() - flowStart;
  await p.evaluate(fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
  const violations = await p.evaluate(async () => (await axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => v.id));
  if (violations.length) fail("axe at 390 px, the five items' portfolio complete: " + violations.join(", "));
  // The assessor signs in the same page with a passphrase-protected key
  // made by ssh-keygen (picked as a file; it never leaves the page): accepted
  // for 2.2 (outcome 2: one occasion is enough for met), checked against
  // the centre's roster.
  const keyFile = path.join(work, "id_ed25519");
  const made = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "correct horse", "-C", "", "-f", keyFile]);
  if (made.status !== 0) fail("ssh-keygen could not make a key: " + made.stderr);
  const BY = "j.patel@northgate.example";
  const rosterFile = path.join(work, "allowed_signers");
  fs.writeFileSync(rosterFile, fs.readFileSync(path.join(sample, "DEMO-ONLY-allowed_signers"), "utf8") +
    `\n${BY} namespaces="portfolio-assessor" ${fs.readFileSync(keyFile + ".pub", "utf8").trim()}\n`);
  await p.getByText("Sign decisions with your own key").click();
  await p.getByLabel("Your private key (OpenSSH)").setInputFiles(keyFile);
  await p.getByLabel("Who you are in the centre's roster").fill(BY);
  await p.getByLabel("The centre's roster (allowed_signers), optional").setInputFiles(rosterFile);
  await p.getByRole("button", { name: "Use this key" }).click();
  await p.getByLabel("Passphrase", { exact: true }).fill("correct horse");
  await p.getByRole("button", { name: "Open the key" }).click();
  await p.getByRole("button", { name: "Sign and record" }).waitFor({ timeout: 20000 })
    .catch(async () => fail("the key did not open: " + (await p.locator("#assess-state").textContent())));
  const observation = fiveItems("")[0].title;
  await p.getByLabel("Item", { exact: true }).selectOption({ label: observation });
  const decision = p.getByRole("group", { name: "Decision" });
  await decision.getByRole("radio", { name: "Accept" }).check();
  await p.getByRole("group", { name: "Criteria it decides" }).getByRole("checkbox", { name: "2.2", exact: true }).check();
  await p.getByLabel("Feedback", { exact: true }).fill("Clear: the agreement at the morning briefing is what 2.2 asks.");
  await p.getByRole("button", { name: "Sign and record" }).click();
  await p.waitForFunction(() => /^Recorded: /.test(document.getElementById("assess-state").textContent), null, { timeout: 20000 })
    .catch(async () => fail("the decision was not recorded: " + (await p.locator("#assess-state").textContent())));
  const recorded = (await p.locator("#assess-state").textContent()).trim();
  await p.waitForFunction(() => /1 met/.test((document.querySelector("#serve-panel .serve-summary") || {}).textContent || ""), null, { timeout: 20000 })
    .catch(async () => fail("the page does not count 2.2 met after the signed acceptance: " + (await p.locator("#problems").innerText())));
  const shown = await p.evaluate(() => document.body.innerText);
  if (shown.includes("correct horse")) fail("the passphrase is shown on the page");
  await p.evaluate(fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
  const signedViolations = await p.evaluate(async () => (await axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => v.id));
  if (signedViolations.length) fail("axe at 390 px, the signing form: " + signedViolations.join(", "));
  if (shots) {
    await p.locator("#assess-state").scrollIntoViewIfNeeded();
    await p.screenshot({ path: path.join(shots, "web-sign-390.png") });
  }
  console.log(`web-check: at 390 px, an assessor opened a passphrase key in the page and signed: ${recorded}`);

  const [d] = await Promise.all([p.waitForEvent("download"), p.getByRole("button", { name: "Export portfolio (.zip)" }).click()]);
  const file = path.join(work, "five-items.zip");
  await d.saveAs(file);
  const judged = spawnSync(binary, ["check", file, "--format", "json", "--signers", rosterFile], { env: { ...process.env, PORTFOLIO_TODAY: FLOW_TODAY } });
  const json = JSON.parse(judged.stdout.toString() || "{}");
  if (judged.status !== 0 || !json.complete || !json.summary || json.summary.met !== 1 || json.summary.claimed !== 11 ||
      json.summary.met_by.signed_verified !== 1 || json.items.length !== 5) {
    fail(`portfolio check on the static page's export (exit ${judged.status}): ${judged.stdout}${judged.stderr}`);
  }
  const serious = json.problems.filter((x) => x.severity !== "warning");
  if (serious.length) fail("the export has errors or gaps: " + JSON.stringify(serious));
  const unzipped = path.join(work, "five-items");
  const un = spawnSync("python3", ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", file, unzipped]);
  if (un.status !== 0) fail("could not unzip the export: " + un.stderr);
  const top = fs.readdirSync(unzipped)[0];
  const listed = spawnSync(binary, ["decisions", path.join(unzipped, top), "--signers", rosterFile], { env: { ...process.env, PORTFOLIO_TODAY: FLOW_TODAY } });
  const lines = listed.stdout.toString().trim().split("\n").filter((l) => l.includes(BY));
  if (listed.status !== 0 || lines.length !== 1 || !/accepted/.test(lines[0]) || !/verified/.test(lines[0]) || /unverified/.test(lines[0])) {
    fail(`portfolio decisions --signers on the export (exit ${listed.status}): ${listed.stdout}${listed.stderr}`);
  }
  console.log(`web-check: portfolio decisions --signers on the export: ${lines[0].trim()}`);
  console.log(`web-check: at 390 px, from an empty page: started a portfolio, five items and the reflection through the forms in ${flowMs} ms; the page says "${complete}"; portfolio check on the exported zip: complete, ${JSON.stringify(json.summary)}; axe: no violations`);
  await phone.close();
}

// An assessor's caseload in the static page: three learners imported at
// once (the sample under three names; one has another assessor), one row
// each with their name as a link, sorted and filtered; "You decide" only
// where J. Patel is the learner's assessor; a learner opened from it; the
// caseload kept between visits; axe at 1280 and 390 px.
{
  const learnersDir = path.join(work, "learners");
  fs.mkdirSync(learnersDir);
  const zips = [];
  for (const [folder, name, id, assessor] of [["amira", "Amira Khan", "L-0042", "J. Patel"], ["ben", "Ben Osei", "L-0043", "J. Patel"], ["chloe", "Chloe Price", "L-0044", "S. Ahmed"]]) {
    const out = path.join(learnersDir, folder + ".zip");
    const z = spawnSync("python3", ["-c", `
import os, sys, zipfile
src, out, name, id, assessor, top = sys.argv[1:7]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for d, dirs, files in os.walk(src):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(d, f)
            rel = os.path.relpath(p, src)
            data = open(p, "rb").read()
            if rel == "portfolio.toml":
                data = data.decode().replace('name = "Amira Khan"', 'name = "%s"' % name).replace('id = "L-0042"', 'id = "%s"' % id).replace('name = "J. Patel"', 'name = "%s"' % assessor).encode()
            z.writestr(os.path.join(top, rel), data)
`, sample, out, name, id, assessor, folder]);
    if (z.status !== 0) fail("could not make a learner's zip: " + z.stderr);
    zips.push(out);
  }
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const c = await ctx.newPage();
  c.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  c.on("pageerror", (e) => errors.push(String(e)));
  c.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(`http://127.0.0.1:${port}/`) && !u.startsWith("blob:") && !u.startsWith("data:")) foreign.push(u);
  });
  const caseloadUrl = `http://127.0.0.1:${port}/?today=2026-05-30&date=2026-05-30`;
  await c.goto(caseloadUrl);
  await c.waitForSelector("body[data-ready=true]", { timeout: 60000 });
  await c.getByLabel("Import learners (.zip, several)").setInputFiles(zips);
  const caseload = c.getByRole("region", { name: "Caseload" });
  await caseload.getByRole("heading", { name: "Caseload" }).waitFor({ timeout: 30000 }).catch(() => fail("no Caseload after importing three learners"));
  await caseload.getByRole("link", { name: "Chloe Price" }).waitFor({ timeout: 30000 });
  const names = await caseload.locator("tbody th a").allTextContents();
  if (JSON.stringify(names) !== JSON.stringify(["Amira Khan", "Ben Osei", "Chloe Price"])) fail("the caseload's learners: " + names);
  await c.getByText("Sign decisions with your own key").click();
  await c.getByLabel("Who you are in the centre's roster").fill("j.patel@northgate.example");
  await c.getByLabel("Who you are in the centre's roster").press("Tab");
  const decides = async (who) => (await caseload.getByRole("row", { name: new RegExp("^" + who) }).locator("td").last().textContent()).trim();
  if ((await decides("Amira Khan")) !== "You decide" || (await decides("Ben Osei")) !== "You decide" || (await decides("Chloe Price")) !== "Read-only") {
    fail("who J. Patel decides for: " + [await decides("Amira Khan"), await decides("Ben Osei"), await decides("Chloe Price")]);
  }
  const row = (await caseload.getByRole("row", { name: /^Amira Khan/ }).innerText()).replace(/\s+/g, " ");
  if (!/7 of 12 met/.test(row)) fail("Amira Khan's caseload line: " + row);
  await caseload.getByRole("button", { name: "Learner" }).click();
  const sorted = await caseload.locator("tbody th a").allTextContents();
  if (sorted[0] !== "Chloe Price" || (await caseload.locator("th[data-key=name]").getAttribute("aria-sort")) !== "descending") fail("sorting by learner, descending: " + sorted);
  await caseload.getByLabel("Find a learner").fill("ben");
  if (JSON.stringify(await caseload.locator("tbody th a").allTextContents()) !== JSON.stringify(["Ben Osei"])) fail("finding a learner");
  await c.evaluate(fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
  for (const width of [1280, 390]) {
    await c.setViewportSize({ width, height: 900 });
    const v = await c.evaluate(async () => (await axe.run(document, { resultTypes: ["violations"] })).violations.map((x) => x.id + " " + x.nodes.map((n) => n.target).join(",")));
    if (v.length) fail(`axe at ${width} px, the caseload: ` + v.join("; "));
    if (shots) {
      await caseload.scrollIntoViewIfNeeded();
      await c.screenshot({ path: path.join(shots, `web-caseload-${width}.png`) });
    }
  }
  await c.setViewportSize({ width: 1280, height: 900 });
  await caseload.getByLabel("Find a learner").fill("");
  await caseload.getByRole("link", { name: "Ben Osei" }).click();
  await c.waitForFunction(() => /Opened Ben Osei from your caseload/.test(document.getElementById("files").textContent), null, { timeout: 30000 })
    .catch(async () => fail("opening a learner from the caseload: " + (await c.locator("#files").textContent())));
  await c.reload();
  await c.waitForSelector("body[data-ready=true]", { timeout: 60000 });
  await caseload.getByRole("link", { name: "Chloe Price" }).waitFor({ timeout: 30000 }).catch(() => fail("the caseload was not kept between visits"));
  // After the reload the page's portfolio is still Ben's, and his line in
  // the caseload still follows it: an item added awaits a decision there,
  // and still does after another reload.
  const awaiting = async () => Number((await caseload.getByRole("row", { name: /^Ben Osei/ }).locator("td").nth(1).textContent()).trim());
  const waitingBefore = await awaiting();
  await addObservation(c, "Observation: Ben's handover after a reload", "2026-02-21");
  for (let i = 0; i < 100 && (await awaiting()) !== waitingBefore + 1; i++) await c.waitForTimeout(100);
  if ((await awaiting()) !== waitingBefore + 1) fail(`after a reload, Ben's caseload line did not follow his new item: ${await awaiting()} awaiting, was ${waitingBefore}`);
  await c.reload();
  await c.waitForSelector("body[data-ready=true]", { timeout: 60000 });
  await caseload.getByRole("link", { name: "Ben Osei" }).waitFor({ timeout: 30000 });
  if ((await awaiting()) !== waitingBefore + 1) fail("Ben's caseload line lost his new item after another reload");
  console.log(`web-check: the caseload of three learners imported at once: ${names.join(", ")}; J. Patel decides for two, Chloe Price read-only; sorted, found, a learner opened, kept after a reload; after the reload an item added to the opened learner shows in their caseload line (${waitingBefore} → ${waitingBefore + 1} awaiting) and still after another; axe at 1280 and 390 px`);
  await ctx.close();
}

if (foreign.length) fail("requests left the page's origin: " + foreign.join(" "));
console.log("web-check: no request left the page's origin");
const real = errors.filter((e) => !/favicon/.test(e));
if (real.length) fail("console errors: " + real.join(" | "));
await browser.close();
cleanup();
console.log("web-check: ok");
