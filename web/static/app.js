// The static page around the engine (portfolio_web.wasm): import a
// portfolio as a zip or open a folder, keep its files in the browser's own
// storage (OPFS) between visits, check and build it with the same Rust code
// as the command line, and give the files back (zip, PDF, HTML). Nothing is
// fetched from anywhere but this page's own folder.
import init, { Engine } from "./portfolio_web.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
let engine = null;
let built = null;

// The learner's forms (workspace.js, the same script `portfolio serve`
// serves) ask "the server" at /api/...: here the engine answers, over the
// files in this page, and what it writes is kept in the browser's storage.
// Installed before workspace.js runs; its requests wait for the engine.
let engineReady;
const whenReady = new Promise((resolve) => { engineReady = resolve; });
const network = window.fetch.bind(window);
window.fetch = async (input, init) => {
  const url = new URL(typeof input === "string" ? input : input.url, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith("/api/")) return network(input, init);
  await whenReady;
  const method = (init && init.method) || "GET";
  let body = new Uint8Array(0);
  if (init && init.body != null) {
    body = typeof init.body === "string" ? new TextEncoder().encode(init.body) : new Uint8Array(await new Response(init.body).arrayBuffer());
  }
  const path = url.pathname.split("/").map(decodeURIComponent).join("/");
  let said;
  try {
    said = JSON.parse(engine.request(method, path, body));
  } catch (e) {
    said = { status: 500, body: JSON.stringify({ error: String((e && e.message) || e) }) };
  }
  const changes = engine.take_changes();
  if (changes.length) {
    const kept = await keep(changes);
    showFiles(kept ? "Saved in this browser:" : "Saved in this page only (this browser keeps no files for it; export a zip before you close it):");
    refresh();
  }
  return new Response(said.body, { status: said.status, headers: { "Content-Type": "application/json" } });
};

// "Today" for the statuses: ?today=YYYY-MM-DD (tests, and byte-identical
// builds), else this computer's calendar date. The build date: ?date=, else
// the command line's own default (the latest date in the portfolio).
function today() {
  const given = params.get("today");
  if (given) return given;
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function say(id, text) {
  $(id).textContent = text;
}

function download(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---- The browser's own storage (OPFS) ------------------------------------

const STORE = "portfolio";

async function storeRoot(create) {
  if (!navigator.storage || !navigator.storage.getDirectory) return null;
  try {
    const root = await navigator.storage.getDirectory();
    return await root.getDirectoryHandle(STORE, { create });
  } catch (e) {
    return null;
  }
}

// Replaces what is stored with the engine's files.
async function save() {
  if (!navigator.storage || !navigator.storage.getDirectory) return false;
  try {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(STORE, { recursive: true }).catch(() => {});
    const dir = await root.getDirectoryHandle(STORE, { create: true });
    for (const path of engine.paths()) {
      const parts = path.split("/");
      let here = dir;
      for (const part of parts.slice(0, -1)) here = await here.getDirectoryHandle(part, { create: true });
      const file = await here.getFileHandle(parts[parts.length - 1], { create: true });
      const w = await file.createWritable();
      await w.write(engine.read(path));
      await w.close();
    }
    return true;
  } catch (e) {
    return false;
  }
}

// Writes the files at `paths` as the engine has them now (or removes
// them), leaving the rest of what is stored as it is.
async function keep(paths) {
  const dir = await storeRoot(true);
  if (!dir) return false;
  try {
    for (const path of paths) {
      const parts = path.split("/");
      let here = dir;
      for (const part of parts.slice(0, -1)) here = await here.getDirectoryHandle(part, { create: true });
      const name = parts[parts.length - 1];
      const bytes = engine.read(path);
      if (bytes === undefined) {
        await here.removeEntry(name).catch(() => {});
      } else {
        const w = await (await here.getFileHandle(name, { create: true })).createWritable();
        await w.write(bytes);
        await w.close();
      }
    }
    return true;
  } catch (e) {
    return false;
  }
}

// Every file under `dir` (a directory handle: OPFS, or a folder the learner
// opened), with its path; at most `limit` files.
async function readTree(dir, prefix, out, limit) {
  for await (const [name, handle] of dir.entries()) {
    if (out.length >= limit) return;
    if (name.startsWith(".")) continue;
    if (handle.kind === "directory") {
      await readTree(handle, prefix + name + "/", out, limit);
    } else {
      const file = await handle.getFile();
      out.push([prefix + name, new Uint8Array(await file.arrayBuffer())]);
    }
  }
}

const MAX_FILES = 20000;

async function restore() {
  const dir = await storeRoot(false);
  if (!dir) return false;
  const files = [];
  await readTree(dir, "", files, MAX_FILES);
  if (files.length === 0) return false;
  engine.clear();
  for (const [path, bytes] of files) engine.put(path, bytes);
  return true;
}

// ---- Check and build -------------------------------------------------------

function showFiles(note) {
  const paths = engine.paths();
  const items = paths.filter((p) => p.startsWith("evidence/")).length;
  const atts = paths.filter((p) => p.startsWith("attachments/")).length;
  say("files", paths.length === 0 ? "No portfolio yet." :
    `${note} ${paths.length} files: ${items} in evidence, ${atts} attachments.`);
  $("export").disabled = paths.length === 0;
}

function refresh() {
  built = null;
  $("download-pdf").disabled = true;
  $("download-html").disabled = true;
  if (engine.paths().length === 0) return;
  syncCurrent();
  // What a learner waits for after a save: the check and the build.
  const start = performance.now();
  let check;
  try {
    check = engine.check(today());
  } catch (e) {
    $("headline").hidden = false;
    say("headline", `This portfolio cannot be checked: ${e.message || e}`);
    return;
  }
  // The panel below says the headline; this line stays for what came before.
  $("headline").textContent = check.headline + ".";
  $("headline").hidden = true;
  // The panel `portfolio serve` shows, made by the engine (every text in it
  // escaped there): the learner's words, links to the form's fields.
  $("problems").innerHTML = check.panel;
  if (check.errors > 0) {
    say("built", "Fix the errors above to build the portfolio.");
    $("preview").removeAttribute("src");
    return;
  }
  try {
    built = params.get("date") ? engine.build(today(), params.get("date")) : engine.build_default_date(today());
  } catch (e) {
    say("built", `The portfolio could not be built: ${e.message || e}`);
    return;
  }
  const ms = Math.round(performance.now() - start);
  say("built", `Checked and built in this browser in ${ms} ms.`);
  $("download-pdf").disabled = false;
  $("download-html").disabled = false;
  const old = $("preview").src;
  $("preview").src = URL.createObjectURL(new Blob([built.html], { type: "text/html" }));
  if (old) URL.revokeObjectURL(old);
  if (signing) assessForm();
}

// ---- Controls --------------------------------------------------------------

async function importZip(file) {
  current = null;
  rememberOpen(null);
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    engine.import_zip(bytes, file.name);
  } catch (e) {
    say("files", `${file.name} was not imported: ${e.message || e}`);
    return;
  }
  const kept = await save();
  showFiles(kept ? `Imported ${file.name} and kept it in this browser:` : `Imported ${file.name} (this browser keeps no files for this page: export a zip before you close it):`);
  refresh();
  document.dispatchEvent(new Event("portfolio:files"));
}

async function openFolder() {
  let dir;
  try {
    dir = await window.showDirectoryPicker({ mode: "read" });
  } catch (e) {
    return; // The learner closed the picker.
  }
  const files = [];
  await readTree(dir, "", files, MAX_FILES);
  if (!files.some(([p]) => p === "portfolio.toml")) {
    say("files", `${dir.name} has no portfolio.toml at its top: open the portfolio folder itself.`);
    return;
  }
  current = null;
  rememberOpen(null);
  engine.clear();
  for (const [path, bytes] of files) engine.put(path, bytes);
  const kept = await save();
  showFiles(kept ? `Opened ${dir.name} and kept it in this browser:` : `Opened ${dir.name} (this browser keeps no files for this page: export a zip before you close it):`);
  refresh();
  document.dispatchEvent(new Event("portfolio:files"));
}

// ---- The caseload: several learners imported ------------------------------
// Each learner is a zip kept as it was imported (in the browser's storage,
// folder "cohort"), checked by an engine of its own for its caseload line;
// opening a learner imports their zip as the page's portfolio.

const COHORT = "cohort";
let learners = []; // { file, bytes, modified, engine, row }
let current = null; // the learner opened from the caseload, if any
let sortKey = "name";
let sortUp = true;

async function cohortDir(create) {
  if (!navigator.storage || !navigator.storage.getDirectory) return null;
  try {
    return await (await navigator.storage.getDirectory()).getDirectoryHandle(COHORT, { create });
  } catch (e) {
    return null;
  }
}

function addLearner(file, bytes, modified) {
  const e = new Engine();
  try {
    e.import_zip(bytes, file);
  } catch (err) {
    e.free();
    return `${file} was not imported: ${err.message || err}`;
  }
  const old = learners.findIndex((l) => l.file === file);
  if (old >= 0) { learners[old].engine.free(); learners.splice(old, 1); }
  learners.push({ file, bytes, modified, engine: e, row: null, rowFor: null });
  return null;
}

async function importLearners(files) {
  const refused = [];
  const dir = await cohortDir(true);
  for (const f of files) {
    const bytes = new Uint8Array(await f.arrayBuffer());
    const why = addLearner(f.name, bytes, f.lastModified);
    if (why) { refused.push(why); continue; }
    if (dir) {
      try {
        const w = await (await dir.getFileHandle(f.name, { create: true })).createWritable();
        await w.write(bytes);
        await w.close();
      } catch (e) { /* kept for this visit only */ }
    }
  }
  if (dir) {
    try {
      const times = Object.fromEntries(learners.map((l) => [l.file, l.modified]));
      const w = await (await dir.getFileHandle("modified.json", { create: true })).createWritable();
      await w.write(JSON.stringify(times));
      await w.close();
    } catch (e) { /* kept for this visit only */ }
  }
  say("caseload-state", refused.length ? refused.join(" ") : `${learners.length} learners in your caseload.`);
  showCaseload();
}

async function restoreLearners() {
  const dir = await cohortDir(false);
  if (!dir) return;
  let times = {};
  try { times = JSON.parse(await (await (await dir.getFileHandle("modified.json")).getFile()).text()); } catch (e) { /* none */ }
  for await (const [name, handle] of dir.entries()) {
    if (!name.endsWith(".zip") || handle.kind !== "file") continue;
    const file = await handle.getFile();
    addLearner(name, new Uint8Array(await file.arrayBuffer()), times[name] || file.lastModified);
  }
}

/** Whole days from `ms` (a time) to the page's today. */
function daysSince(ms) {
  const [y, m, d] = today().split("-").map(Number);
  return Math.max(0, Math.floor((Date.UTC(y, m - 1, d) - ms) / 86400000));
}

function showCaseload() {
  if (learners.length === 0) { $("caseload").hidden = true; return; }
  $("caseload").hidden = false;
  const by = $("assess-by").value;
  // A learner's line is worked out again only when their files or the
  // decider changed (`rowFor`), not for every sort or keystroke in the filter.
  for (const l of learners) {
    if (l.rowFor !== by) {
      try {
        l.row = JSON.parse(l.engine.caseload_row(today(), by));
      } catch (e) {
        l.row = { name: null, met: 0, total: 0, awaiting: null, referrals: null, may_decide: false };
      }
      l.rowFor = by;
    }
    l.days = daysSince(l.modified);
  }
  const value = (l) => ({
    name: (l.row.name || l.file).toLowerCase(),
    progress: l.row.total ? l.row.met / l.row.total : 0,
    awaiting: l.row.awaiting ?? -1,
    referrals: l.row.referrals ?? -1,
    days: l.days,
  })[sortKey];
  const shown = [...learners].sort((a, b) => (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : 0) * (sortUp ? 1 : -1));
  const find = $("caseload-find").value.trim().toLowerCase();
  const cell = (text) => { const td = document.createElement("td"); td.textContent = text; return td; };
  const rows = [];
  for (const l of shown) {
    const name = l.row.name || l.file;
    if (find && !name.toLowerCase().includes(find)) continue;
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    const a = document.createElement("a");
    a.href = "#main";
    a.textContent = name;
    a.addEventListener("click", () => openLearner(l));
    th.append(a);
    const unknown = "not known: the portfolio has errors";
    tr.append(th, cell(`${l.row.met} of ${l.row.total} met`),
      cell(l.row.awaiting === null ? unknown : String(l.row.awaiting)),
      cell(l.row.referrals === null ? unknown : String(l.row.referrals)),
      cell(l.days === 1 ? "1 day" : `${l.days} days`),
      cell(!by.trim() ? "Say who you are below" : l.row.may_decide ? "You decide" : "Read-only"));
    rows.push(tr);
  }
  $("caseload-rows").replaceChildren(...rows);
  for (const th of document.querySelectorAll("#caseload th[data-key]")) {
    if (th.dataset.key === sortKey) th.setAttribute("aria-sort", sortUp ? "ascending" : "descending");
    else th.removeAttribute("aria-sort");
  }
}

// Which learner of the caseload the page's portfolio is, kept beside the
// caseload ("open.txt"), so that after a reload their copy still follows
// what is done to them; forgotten when another portfolio is imported.
const OPEN = "open.txt";

async function rememberOpen(file) {
  const dir = await cohortDir(!!file);
  if (!dir) return;
  try {
    if (!file) { await dir.removeEntry(OPEN); return; }
    const w = await (await dir.getFileHandle(OPEN, { create: true })).createWritable();
    await w.write(file);
    await w.close();
  } catch (e) { /* none kept, or kept for this visit only */ }
}

/** The learner open at the last visit, if they are still in the caseload. */
async function reopened() {
  const dir = await cohortDir(false);
  if (!dir) return null;
  try {
    const name = await (await (await dir.getFileHandle(OPEN)).getFile()).text();
    return learners.find((l) => l.file === name) || null;
  } catch (e) {
    return null;
  }
}

// The caseload's copy of the learner opened from it follows what is done to
// them in the page (items, decisions): the same files, zipped again.
async function syncCurrent() {
  if (!current) return;
  let bytes;
  try {
    bytes = engine.export_zip();
    // The same files give the same zip: nothing to follow.
    if (bytes.length === current.bytes.length && bytes.every((b, i) => b === current.bytes[i])) return;
    current.engine.import_zip(bytes, current.file);
  } catch (e) {
    return;
  }
  current.bytes = bytes;
  current.rowFor = null;
  const dir = await cohortDir(true);
  if (dir) {
    try {
      const w = await (await dir.getFileHandle(current.file, { create: true })).createWritable();
      await w.write(bytes);
      await w.close();
    } catch (e) { /* kept for this visit only */ }
  }
  showCaseload();
}

async function openLearner(l) {
  current = l;
  rememberOpen(l.file);
  try {
    engine.import_zip(l.bytes, l.file);
  } catch (e) {
    say("files", `${l.file} could not be opened: ${e.message || e}`);
    return;
  }
  const kept = await save();
  showFiles(kept ? `Opened ${l.row && l.row.name || l.file} from your caseload and kept it in this browser:` : `Opened ${l.file} from your caseload:`);
  refresh();
  document.dispatchEvent(new Event("portfolio:files"));
}

// ---- An assessor's or IQA's signed decisions ------------------------------

const CHOICES = {
  assessor: [["accepted", "Accept"], ["referred", "Refer"], ["pending", "Pending"]],
  iqa: [["confirmed", "Confirm"], ["returned", "Return"]],
};
let signingRole = "assessor";
let signing = false;

function assessSay(text, error) {
  $("assess-state").textContent = text;
  $("assess-state").classList.toggle("error", !!error);
}

function labelled(type, name, value, text) {
  const label = document.createElement("label");
  label.className = "choice";
  const input = document.createElement("input");
  input.type = type;
  input.name = name;
  input.value = value;
  label.append(input, " " + text);
  return label;
}

/** The decision form for the items the engine checked, the choices the role has. */
function assessForm() {
  let items = [];
  try {
    items = JSON.parse(engine.decision_items(today()));
  } catch (e) {
    assessSay(`No decision can be recorded yet: ${e.message || e}`, true);
    $("assess-form").hidden = true;
    return;
  }
  const select = $("assess-item");
  const was = select.value;
  select.replaceChildren(...items.map((i) => {
    const o = document.createElement("option");
    o.value = i.id;
    o.textContent = i.title;
    o.dataset.criteria = JSON.stringify(i.criteria);
    return o;
  }));
  if (items.some((i) => i.id === was)) select.value = was;
  $("assess-choices").replaceChildren(...CHOICES[signingRole].map(([v, t]) => labelled("radio", "assess-decision", v, t)));
  assessCriteria();
  $("assess-form").hidden = items.length === 0;
}

function assessCriteria() {
  const o = $("assess-item").selectedOptions[0];
  const codes = o ? JSON.parse(o.dataset.criteria) : [];
  $("assess-criteria").replaceChildren(...codes.map((c) => labelled("checkbox", "assess-criterion", c, c)));
}

async function useKey() {
  const file = $("assess-key").files && $("assess-key").files[0];
  if (!file) return assessSay("Pick your private key file first.", true);
  signingRole = document.querySelector("input[name=assess-role]:checked").value;
  try {
    const roster = $("assess-roster").files && $("assess-roster").files[0];
    if (roster) engine.set_roster(await roster.text());
    const locked = engine.set_key(new Uint8Array(await file.arrayBuffer()), $("assess-by").value, signingRole);
    $("assess-key").value = "";
    $("assess-pass").hidden = !locked;
    if (locked) {
      assessSay("The key is picked. Type its passphrase to open it.");
      $("assess-passphrase").focus();
      return;
    }
  } catch (e) {
    return assessSay(String(e.message || e), true);
  }
  keyReady();
}

function unlockKey() {
  try {
    engine.unlock($("assess-passphrase").value);
  } catch (e) {
    return assessSay(String(e.message || e), true);
  } finally {
    $("assess-passphrase").value = "";
  }
  $("assess-pass").hidden = true;
  keyReady();
}

function keyReady() {
  signing = true;
  assessSay(`Ready to sign as ${$("assess-by").value.trim()} (${signingRole === "iqa" ? "IQA" : "assessor"}). The key is held in this page only.`);
  assessForm();
  refresh();
}

async function signDecision(ev) {
  ev.preventDefault();
  const decision = document.querySelector("input[name=assess-decision]:checked");
  if (!decision) return assessSay("Choose a decision.", true);
  const criteria = [...document.querySelectorAll("input[name=assess-criterion]:checked")].map((c) => c.value);
  let said;
  try {
    said = engine.decide($("assess-item").value, decision.value, criteria, $("assess-feedback").value, today());
  } catch (e) {
    return assessSay(String(e.message || e), true);
  }
  const kept = await keep(engine.take_changes());
  assessSay(said + (kept ? " Kept in this browser." : " Export the portfolio before you close this page."));
  $("assess-feedback").value = "";
  showFiles(kept ? "Saved in this browser:" : "Saved in this page only (export a zip before you close it):");
  refresh();
  assessForm();
}

async function main() {
  try {
    await init();
  } catch (e) {
    say("engine-state", `The engine could not start in this browser: ${e.message || e}`);
    return;
  }
  engine = new Engine();
  say("engine-state", "The engine is ready.");
  $("import").addEventListener("change", (ev) => {
    const file = ev.target.files && ev.target.files[0];
    if (file) importZip(file);
    ev.target.value = "";
  });
  if (window.showDirectoryPicker) {
    $("open-folder").hidden = false;
    $("open-folder").addEventListener("click", openFolder);
  }
  $("export").addEventListener("click", () => download(engine.export_zip(), engine.export_name(), "application/zip"));
  $("download-pdf").addEventListener("click", () => built && download(built.pdf, "portfolio.pdf", "application/pdf"));
  $("download-html").addEventListener("click", () => built && download(built.html, "portfolio.html", "text/html"));
  $("import-learners").addEventListener("change", (ev) => {
    const files = [...(ev.target.files || [])];
    if (files.length) importLearners(files);
    ev.target.value = "";
  });
  $("caseload-find").addEventListener("input", showCaseload);
  $("assess-by").addEventListener("change", showCaseload);
  for (const th of document.querySelectorAll("#caseload th[data-key]")) {
    th.querySelector("button").addEventListener("click", () => {
      if (sortKey === th.dataset.key) sortUp = !sortUp;
      else { sortKey = th.dataset.key; sortUp = true; }
      showCaseload();
    });
  }
  await restoreLearners();
  showCaseload();
  $("assess-use").addEventListener("click", useKey);
  $("assess-unlock").addEventListener("click", unlockKey);
  $("assess-item").addEventListener("change", assessCriteria);
  $("assess-form").addEventListener("submit", signDecision);
  if (await restore()) {
    current = await reopened();
    showFiles("Your portfolio from your last visit:");
    refresh();
  }
  engineReady();
  document.body.dataset.ready = "true";
}

main();
