// The caseload's table, sorted and filtered in place (the page works
// without it: the headings are links with ?sort=…, the filter a form).
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
    if (count) count.textContent = "Showing " + shown + " of " + rows.length + " learners.";
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
})();
