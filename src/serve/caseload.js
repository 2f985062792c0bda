// The caseload's table, sorted and filtered in place (the page works
// without it: the headings are links with ?sort=…, the filter a form), and
// live: when a learner's portfolio is built again (a file changed, a
// decision recorded, a learner added to the cohort) the rows are fetched
// again, with what is typed in "Find a learner", the tick and the sort kept.
(function () {
  "use strict";
  var table = document.getElementById("caseload");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var count = document.getElementById("cl-count");
  var text = document.getElementById("cl-q");
  var mine = document.querySelector("input[name=mine]");
  var sortField = document.querySelector("input[name=sort]");
  function filter() {
    var q = text ? text.value.trim().toLowerCase() : "";
    var only = mine && mine.checked;
    var shown = 0;
    rows.forEach(function (r) {
      var keep = (!q || r.getAttribute("data-name").indexOf(q) >= 0) && (!only || r.getAttribute("data-mine") === "1");
      r.hidden = !keep;
      if (keep) shown++;
    });
    var said = "Showing " + shown + " of " + rows.length + " learners.";
    // A live region: changed only when what it says changes.
    if (count && count.textContent !== said) count.textContent = said;
  }
  function sortBy(key, descending) {
    rows.sort(function (a, b) {
      var x = a.getAttribute("data-" + key), y = b.getAttribute("data-" + key);
      var by = key === "name" ? x.localeCompare(y) : Number(x) - Number(y);
      if (by === 0) by = a.getAttribute("data-name").localeCompare(b.getAttribute("data-name"));
      return descending ? -by : by;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    table.querySelectorAll("th a[data-sort]").forEach(function (a) {
      var th = a.parentNode, k = a.getAttribute("data-sort"), current = k === key;
      var arrow = th.querySelector(".cl-arrow");
      if (arrow) arrow.remove();
      if (current) {
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        arrow = document.createElement("span");
        arrow.className = "cl-arrow";
        arrow.setAttribute("aria-hidden", "true");
        arrow.textContent = descending ? "\u25BC" : "\u25B2";
        th.appendChild(arrow);
      } else th.removeAttribute("aria-sort");
      var next = current ? !descending : k !== "name";
      a.setAttribute("href", a.getAttribute("href").replace(/sort=-?[a-z]+/, "sort=" + (next ? "-" : "") + k));
    });
    if (sortField) sortField.value = (descending ? "-" : "") + key;
  }
  table.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("th a[data-sort]");
    if (!a) return;
    e.preventDefault();
    var key = a.getAttribute("data-sort"), href = a.getAttribute("href");
    var descending = /sort=-/.test(href);
    sortBy(key, descending);
    if (window.history && history.replaceState) history.replaceState(null, "", href);
  });
  if (text) text.addEventListener("input", filter);
  if (mine) mine.addEventListener("change", filter);

  function generation() { return document.body.getAttribute("data-generation") || ""; }
  var busy = false, again = false;
  function update() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.pathname, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("caseload");
        if (!fresh || !fresh.tBodies[0]) return;
        rows.forEach(function (r) { r.remove(); });
        rows = Array.prototype.slice.call(fresh.tBodies[0].rows).map(function (r) { return document.adoptNode(r); });
        rows.forEach(function (r) { body.appendChild(r); });
        ["cl-total", "cl-mine"].forEach(function (id) {
          var now = document.getElementById(id), then = doc.getElementById(id);
          if (now && then) now.textContent = then.textContent;
        });
        document.body.setAttribute("data-generation", doc.body.getAttribute("data-generation") || "");
        var sort = sortField ? sortField.value : "";
        if (sort) sortBy(sort.replace(/^-/, ""), sort.charAt(0) === "-");
        filter();
      })
      .catch(function () {})
      .then(function () { busy = false; if (again) { again = false; update(); } });
  }
  if (window.EventSource && window.fetch) {
    var events = new EventSource("/events");
    events.addEventListener("update", function (e) { if (e.data !== generation()) update(); });
  }
})();
