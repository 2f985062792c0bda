// What every browser test of a page asks of it, whatever the page: it is
// no wider than the screen, and axe-core finds no violation. Shared by
// check.mjs (the learner's workspace) and caseload.mjs (the caseload);
// each throws an Error naming the view and what is wrong.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const axeSource = readFileSync(join(here, "node_modules", "axe-core", "axe.min.js"), "utf8");

/** The page is no wider than the screen (a phone scrolls only down): else
 * throw, naming what sticks out (wide tables scroll in their own box, and a
 * closed `details` hides what it holds). */
export async function fits(page, view) {
  const wide = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= w + 1) return null;
    const scrolls = (e) => { for (let a = e.parentElement; a; a = a.parentElement) { const o = getComputedStyle(a).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return true; } return false; };
    const out = [];
    for (const e of document.querySelectorAll("body *")) {
      const r = e.getBoundingClientRect();
      if (r.right > w + 1 && !scrolls(e) && !(e.closest("details:not([open])"))) out.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).split(" ").join(".") : "") + " (" + Math.round(r.right) + " px): " + (e.textContent || "").trim().slice(0, 50));
    }
    return document.documentElement.scrollWidth + " px wide:\n  " + out.slice(0, 8).join("\n  ");
  });
  if (wide) throw new Error(view + ": the page is wider than the screen, " + wide);
}

/** The page fits ([`fits`]) and axe-core finds no violation on it as it is
 * now; else throw. (The context needs `bypassCSP`: the pages allow no
 * script but their own.) */
export async function accessible(page, view) {
  await fits(page, view);
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  if (result.violations.length) {
    const said = result.violations.map((v) => v.id + ": " + v.help + " — " + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
    throw new Error("axe found " + result.violations.length + " violation(s) on " + view + ":\n  " + said.join("\n  "));
  }
}
