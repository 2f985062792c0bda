// `portfolio serve COHORT` in headless Chromium (issue 28, "Tests that must
// exist"): a cohort of five with a roster of two assessors and one IQA.
// The caseload lists the five; the assessor (J. Patel, a passphrase-
// protected key) accepts one item for 3.1 and refers it for 3.5 through
// the page; `portfolio decisions --signers` lists exactly those verified
// records; the IQA confirms the item from the Sample page; the IQA's
// attempt to accept is refused (403) and writes nothing. axe-core on the
// caseload, a learner's page with its forms and the sample, at 1280 and
// 390 px. Controls are found by their accessible names.
//
// Usage: node .ci/workspace/caseload.mjs PORTFOLIO_BINARY SAMPLE_PORTFOLIO [SHOTS_DIR]
// With SHOTS_DIR, saves the caseload, a decision and the sample at both
// widths (docs/pages/issue-28). Needs `npm ci` in .ci/workspace
// (playwright-core, axe-core), Chromium (CHROMIUM, else /usr/bin/chromium)
// and ssh-keygen (to make the assessors' keys).

import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync, cpSync, copyFileSync, chmodSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { accessible } from "./page.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const [binaryArg, sampleArg, shotsArg] = process.argv.slice(2);
if (!binaryArg || !sampleArg) {
  console.error("usage: node .ci/workspace/caseload.mjs PORTFOLIO_BINARY SAMPLE_PORTFOLIO [SHOTS_DIR]");
  process.exit(2);
}
const binary = resolve(binaryArg);
const sample = resolve(sampleArg);
const shots = shotsArg ? resolve(shotsArg) : null;
const work = mkdtempSync(join(tmpdir(), "caseload-check-"));
const TODAY = "2026-05-10";
const PASSPHRASE = "correct horse battery staple";
const ITEM = "13-observation-team-meeting-feedback";
const PATEL = "j.patel@northgate.example";
const OBI = "r.obi@northgate.example";
const servers = [];
let browser = null;

function say(text) { console.log("caseload-check: " + text); }
function fail(text) { throw new Error(text); }
async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  for (const s of servers) if (s.exitCode === null) s.kill("SIGINT");
  rmSync(work, { recursive: true, force: true });
}

// The five learners: folder, name, ULN, id, assessor.
const LEARNERS = [
  ["amira", "Amira Khan", "9000000421", "L-0042", "J. Patel"],
  ["ben", "Ben Carter", "9000000439", "L-0043", "J. Patel"],
  ["chloe", "Chloe Dunn", "9000000447", "L-0044", "J. Patel"],
  ["dev", "Dev Mistry", "9000000455", "L-0045", "S. Jones"],
  ["erin", "Erin Walsh", "9000000463", "L-0046", "S. Jones"],
];

/** The cohort (the sample's items without its signed decisions, so that
 * what the page records is all there is), the keys and the roster. */
function setup() {
  const cohort = join(work, "cohort");
  for (const [folder, name, uln, id, assessor] of LEARNERS) {
    const dir = join(cohort, folder);
    cpSync(sample, dir, { recursive: true, filter: (src) => !/DEMO-ONLY|[\/\\]assessment$/.test(src) });
    const toml = join(dir, "portfolio.toml");
    writeFileSync(toml, readFileSync(toml, "utf8").replace("Amira Khan", name).replace("9000000421", uln)
      .replace("L-0042", id).replace('name = "J. Patel"', `name = "${assessor}"`));
    // Item 13 shows 3.1 too: one item to accept for 3.1 and refer for 3.5.
    const item = join(dir, "evidence", ITEM + ".md");
    writeFileSync(item, readFileSync(item, "utf8").replace('criteria = ["3.5", "P9", "P10"]', 'criteria = ["3.1", "3.5", "P9", "P10"]'));
  }
  const keys = join(work, "keys");
  mkdirSync(keys);
  const make = (name, passphrase) => {
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", join(keys, name)]);
    return readFileSync(join(keys, name + ".pub"), "utf8").trim();
  };
  const patel = make("j-patel", PASSPHRASE);
  const jones = make("s-jones", "");
  copyFileSync(join(sample, "DEMO-ONLY-keys", "r-obi-DEMO-ONLY"), join(keys, "r-obi"));
  chmodSync(join(keys, "r-obi"), 0o600);
  const obi = readFileSync(join(sample, "DEMO-ONLY-allowed_signers"), "utf8").split("\n").find((l) => l.startsWith(OBI));
  const roster = join(work, "allowed_signers");
  writeFileSync(roster, [
    `${PATEL} namespaces="portfolio-assessor" ${patel}`,
    `s.jones@northgate.example namespaces="portfolio-assessor" ${jones}`,
    obi, "",
  ].join("\n"));
  return { cohort, keys, roster };
}

/** `portfolio serve COHORT` as `by` in `role`: its link (with the token). */
function serve(cohort, roster, key, by, role) {
  return new Promise((ok, no) => {
    const p = spawn(binary, ["serve", cohort, "--port", "0", "-q", "--signers", roster, "--key", key, "--as", by, "--role", role],
      { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, PORTFOLIO_TODAY: TODAY } });
    servers.push(p);
    let said = "";
    const timer = setTimeout(() => no(new Error("serve said nothing in 60 s: " + said)), 60000);
    p.stderr.setEncoding("utf8");
    p.stderr.on("data", (d) => {
      said += d;
      const m = said.match(/ at (http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    p.on("exit", (code) => no(new Error("serve exited " + code + ": " + said)));
  });
}

/** `portfolio decisions DIR --signers ROSTER`: the lines dated today. */
function decisionsToday(dir, roster) {
  const out = execFileSync(binary, ["decisions", dir, "--signers", roster], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, PORTFOLIO_TODAY: TODAY } });
  return out.split("\n").filter((l) => l.includes(TODAY));
}

/** Every file under `dir`, with its bytes (to see that nothing was written). */
function tree(dir, out = new Map()) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) tree(p, out); else out.set(p, readFileSync(p, "hex"));
  }
  return out;
}
function same(a, b) { return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v); }

/** axe-core on the whole page as it is now (page.mjs). */
async function axe(page, view) {
  await accessible(page, view);
  say("axe: no violation on " + view);
}

async function shot(page, name, width, part) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  if (part) await part.evaluate((e) => e.scrollIntoView());
  else await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, `${name}-${width}.png`) });
}

/** A page of its own at `width`, logged in with the link. */
async function open(url, width) {
  const context = await browser.newContext({
    // bypassCSP only lets axe-core be injected; the page's own script is /live.js or /caseload.js.
    viewport: { width, height: 900 }, bypassCSP: true, locale: "en-GB",
    ...(width < 500 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error" && !m.text().includes("status of 403")) errors.push(m.text()); });
  await page.goto(url);
  await page.waitForURL((u) => u.pathname === "/" && !u.search.includes("token"));
  await page.getByRole("heading", { name: "Caseload", exact: true }).waitFor();
  return { context, page, errors };
}

/** The decision form of `item` on a learner's page. */
function formOf(page, item) {
  return page.locator("form.serve-decide").filter({ has: page.locator(`input[name=item][value="${item}"]`) });
}

async function caseload(page, width) {
  const rows = page.locator("#caseload tbody tr");
  if ((await rows.count()) !== 5) fail("the caseload lists " + (await rows.count()) + " learners, not 5");
  for (const [, name] of LEARNERS) await page.getByRole("link", { name, exact: true }).waitFor();
  await axe(page, `caseload at ${width} px`);
  await shot(page, "caseload", width);
  // Filtered and sorted in place by /caseload.js.
  await page.getByLabel("Find a learner").fill("walsh");
  if ((await page.locator("#caseload tbody tr:visible").count()) !== 1) fail("filtering by 'walsh' did not leave one learner");
  await page.getByLabel("Find a learner").fill("");
  await page.getByRole("link", { name: "Learner", exact: true }).click();
  const first = await rows.first().locator("td").first().textContent();
  if (first.trim() !== "Erin Walsh") fail("sorting by name, last first, put " + first + " first");
  if (!new URL(page.url()).search.includes("sort=-name")) fail("the address does not keep the sort: " + page.url());
}

const started = Date.now();
try {
  for (const tool of ["ssh-keygen"]) {
    try { execFileSync("sh", ["-c", "command -v " + tool]); } catch { fail(tool + " is missing"); }
  }
  const { cohort, keys, roster } = setup();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=en-GB"],
  });
  const assessorUrl = await serve(cohort, roster, join(keys, "j-patel"), PATEL, "assessor");
  const iqaUrl = await serve(cohort, roster, join(keys, "r-obi"), OBI, "iqa");

  // The assessor: the caseload, then Amira's item 13 accepted for 3.1 and referred for 3.5.
  const a = await open(assessorUrl, 1280);
  await caseload(a.page, 1280);
  if (!(await a.page.getByText("You decide for 3 of 5.").isVisible())) fail("the caseload does not say for whom J. Patel decides");
  await a.page.getByRole("link", { name: "Dev Mistry", exact: true }).click();
  await a.page.waitForURL((u) => u.pathname === "/l/dev/");
  if ((await a.page.locator("form.serve-decide").count()) !== 0) fail("Dev's portfolio is not J. Patel's, yet it has forms");
  await a.page.getByRole("link", { name: "Back to the caseload" }).click();
  await a.page.getByRole("link", { name: "Amira Khan", exact: true }).click();
  await a.page.waitForURL((u) => u.pathname === "/l/amira/");
  const decide = async (choice, code, feedback, passphrase) => {
    const form = formOf(a.page, ITEM);
    const group = form.getByRole("group", { name: "Decision" });
    await group.getByRole("radio", { name: choice, exact: true }).check();
    await group.getByRole("checkbox", { name: code, exact: true }).check();
    await form.getByLabel("Feedback").fill(feedback);
    if (passphrase) await form.getByLabel("Passphrase").fill(passphrase);
    await form.getByRole("button", { name: "Sign and record" }).click();
    await form.getByRole("status").filter({ hasText: "Recorded:" }).waitFor({ timeout: 15000 })
      .catch(async () => fail(choice + " was not recorded: " + (await form.getByRole("status").textContent())));
  };
  await decide("Accept", "3.1", "You led the feedback to the team clearly.", PASSPHRASE);
  await decide("Refer", "3.5", "Say how you checked the change was adopted.", null);
  for (const said of ["accepted for 3.1", "referred for 3.5"]) {
    await a.page.locator("article.item", { hasText: said }).first().waitFor({ timeout: 10000 })
      .catch(() => fail("the page does not show " + said));
  }
  await axe(a.page, "a learner's portfolio with the decision forms at 1280 px");
  await shot(a.page, "decision", 1280, formOf(a.page, ITEM));
  const recorded = decisionsToday(join(cohort, "amira"), roster);
  // Each with the criterion it is on, as the item's page says "accepted for 3.1".
  const want = [["accepted", "3.1"], ["referred", "3.5"]];
  if (recorded.length !== 2 || !want.every(([d, c], i) => {
    const l = recorded[i].split(/\s+/);
    return l[0] === ITEM && l[1] === "assessor" && l[2] === d && l[3] === c && l[4] === PATEL && l[6] === "verified";
  })) fail("portfolio decisions --signers does not list exactly the two verified records:\n" + recorded.join("\n"));
  say("recorded and verified:\n  " + recorded.join("\n  "));

  // The IQA: the sample page, the item confirmed; an accept refused.
  const q = await open(iqaUrl, 1280);
  await q.page.getByRole("link", { name: "IQA sample" }).click();
  await q.page.getByRole("heading", { name: "Sample", exact: true }).waitFor();
  const section = q.page.locator("section.sampled").filter({ has: q.page.locator(`input[name=item][value="${ITEM}"]`) })
    .filter({ has: q.page.locator('form[action="/l/amira/decide"]') });
  if ((await section.count()) !== 1) fail("the sample does not include Amira's referred item");
  const href = await section.getByRole("link").first().getAttribute("href");
  if (!href.startsWith("/l/amira/#item-13-")) fail("the sampled item links to " + href);
  const form = section.locator("form.serve-decide");
  if ((await form.getByRole("radio", { name: "Accept" }).count()) !== 0) fail("an IQA is offered Accept");
  const before = tree(cohort);
  const refused = await q.page.evaluate(async (item) => {
    const r = await fetch("/l/amira/decide", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `item=${item}&decision=accepted` });
    return { status: r.status, text: await r.text() };
  }, ITEM);
  if (refused.status !== 403) fail("an IQA's accept answered " + refused.status + ": " + refused.text);
  if (!same(before, tree(cohort))) fail("an IQA's refused accept wrote something");
  say("an IQA's accept: " + refused.status + " " + refused.text.trim());
  await form.getByRole("group", { name: "Decision" }).getByRole("radio", { name: "Confirm", exact: true }).check();
  await form.getByLabel("Feedback").fill("Referral well founded: the learner must show the change was adopted.");
  await form.getByRole("button", { name: "Sign and record" }).click();
  await form.getByRole("status").filter({ hasText: "Recorded:" }).waitFor({ timeout: 15000 })
    .catch(async () => fail("the IQA's confirmation was not recorded: " + (await form.getByRole("status").textContent())));
  // The plan shows it done (the page updates itself).
  await section.getByText("Done:").waitFor({ timeout: 10000 }).catch(() => fail("the plan does not show the item done"));
  const iqa = decisionsToday(join(cohort, "amira"), roster).filter((l) => l.includes(OBI));
  if (iqa.length !== 1 || !iqa[0].includes("confirmed") || !/ verified$/.test(iqa[0].trim())) fail("the IQA's confirmation is not listed verified:\n" + iqa.join("\n"));
  await axe(q.page, "the sample at 1280 px");
  await shot(q.page, "sample", 1280);
  for (const s of [a, q]) if (s.errors.length) fail("the browser reported: " + s.errors.join("; "));
  await a.context.close();
  await q.context.close();

  // At 390 px: the caseload, the decision form, the sample.
  const n = await open(assessorUrl, 390);
  await caseload(n.page, 390);
  await n.page.goto(new URL("/l/amira/", assessorUrl).href);
  await axe(n.page, "a learner's portfolio with the decision forms at 390 px");
  await shot(n.page, "decision", 390, formOf(n.page, ITEM));
  const m = await open(iqaUrl, 390);
  await m.page.goto(new URL("/sample", iqaUrl).href);
  await m.page.getByRole("heading", { name: "Sample", exact: true }).waitFor();
  await axe(m.page, "the sample at 390 px");
  await shot(m.page, "sample", 390, m.page.locator("section.sampled").first());
  for (const s of [n, m]) if (s.errors.length) fail("the browser reported: " + s.errors.join("; "));

  // Live: with "fay" typed in "Find a learner" on the open caseload, a
  // learner's folder copied into the cohort (portfolio.toml last) joins the
  // table by itself, the filter kept, and the counts follow.
  const live = await open(assessorUrl, 1280);
  await live.page.getByLabel("Find a learner").fill("fay");
  if ((await live.page.locator("#caseload tbody tr:visible").count()) !== 0) fail("'fay' matches a learner before Fay joins");
  const staged = join(work, "fay-staged");
  cpSync(sample, staged, { recursive: true, filter: (src) => !/DEMO-ONLY|[\/\\]assessment$|portfolio\.toml$/.test(src) });
  cpSync(staged, join(cohort, "fay"), { recursive: true });
  writeFileSync(join(cohort, "fay", "portfolio.toml"), readFileSync(join(sample, "portfolio.toml"), "utf8")
    .replace("Amira Khan", "Fay Okafor").replace("9000000421", "9000000471").replace("L-0042", "L-0047"));
  await live.page.locator("#caseload tbody tr:visible", { hasText: "Fay Okafor" }).waitFor({ timeout: 15000 })
    .catch(() => fail("Fay did not join the open caseload by herself"));
  if ((await live.page.getByLabel("Find a learner").inputValue()) !== "fay") fail("the filter was not kept");
  if ((await live.page.locator("#caseload tbody tr:visible").count()) !== 1) fail("the filter 'fay' is not applied to the new rows");
  await live.page.getByText("Showing 1 of 6 learners.").waitFor({ timeout: 5000 }).catch(() => fail("the count did not follow"));
  await live.page.getByText("You decide for 4 of 6.").waitFor({ timeout: 5000 }).catch(() => fail("'You decide for' did not follow"));
  if (live.errors.length) fail("the browser reported: " + live.errors.join("; "));
  say("a learner added to the cohort joined the open caseload by itself, the filter kept: Showing 1 of 6 learners");
  await live.context.close();
  say(`passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await cleanup();
} catch (e) {
  console.error("caseload-check: " + (e && e.stack ? e.stack : e));
  await cleanup();
  process.exit(1);
}
