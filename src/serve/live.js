(function () {
  "use strict";
  function current() {
    // The learner's panel, or (the cohort's sample page) the body.
    var p = document.getElementById("serve-panel") || document.body;
    return p ? p.getAttribute("data-generation") || "" : "";
  }
  var busy = false, again = false;
  function update() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.pathname + "?live=1", { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        var x = window.scrollX, y = window.scrollY;
        document.title = doc.title;
        // A changed stylesheet (--templates) applies too: the head's styles.
        // The first portfolio after none (a portfolio just started) brings
        // its stylesheet: then the head's styles are the new page's.
        var olds = document.head.querySelectorAll("style"), news = doc.head.querySelectorAll("style");
        if (olds.length !== news.length) {
          olds.forEach(function (s) { s.remove(); });
          news.forEach(function (s) { document.head.appendChild(document.adoptNode(s)); });
        }
        for (var i = 0; i < olds.length && olds.length === news.length; i++) {
          if (olds[i].textContent !== news[i].textContent) olds[i].textContent = news[i].textContent;
        }
        var kept = keepForms();
        // The learner's workspace (its forms and what is typed in them)
        // stays as it is: only the check and the portfolio are new.
        var workspace = document.getElementById("workspace");
        var body = document.adoptNode(doc.body);
        var slot = body.querySelector("#workspace");
        if (workspace && slot) slot.replaceWith(workspace);
        document.body.replaceWith(body);
        restoreForms(kept);
        window.scrollTo(x, y);
        // The workspace's list of items follows files changed on disk.
        document.dispatchEvent(new CustomEvent("portfolio:updated"));
      })
      .catch(function () {})
      .then(function () { busy = false; if (again) { again = false; update(); } });
  }
  // What is typed in the decision forms, and what they last said, survives
  // the page updating under them.
  function keepForms() {
    var kept = {};
    document.querySelectorAll("form.serve-decide").forEach(function (f) {
      var checked = f.querySelector("input[name=decision]:checked");
      var out = f.querySelector(".serve-decide-result");
      var pass = f.querySelector("input[name=passphrase]");
      kept[formKey(f)] = {
        feedback: f.querySelector("textarea").value,
        decision: checked ? checked.value : "",
        criteria: Array.prototype.map.call(f.querySelectorAll("input[name=criterion]:checked"), function (c) { return c.value; }),
        passphrase: pass ? pass.value : "",
        busy: !!(f.querySelector("button") && f.querySelector("button").disabled),
        said: out ? out.textContent : "",
        cls: out ? out.className : ""
      };
    });
    return kept;
  }
  function restoreForms(kept) {
    document.querySelectorAll("form.serve-decide").forEach(function (f) {
      var k = kept[formKey(f)];
      if (!k) return;
      f.querySelector("textarea").value = k.feedback;
      f.querySelectorAll("input[name=decision]").forEach(function (r) { r.checked = r.value === k.decision; });
      f.querySelectorAll("input[name=criterion]").forEach(function (c) { c.checked = k.criteria.indexOf(c.value) >= 0; });
      var pass = f.querySelector("input[name=passphrase]");
      if (pass) pass.value = k.passphrase;
      var b = f.querySelector("button");
      if (b) b.disabled = k.busy;
      var out = f.querySelector(".serve-decide-result");
      if (out) { out.textContent = k.said; out.className = k.cls; }
    });
  }
  function connect() {
    var events = new EventSource("/events");
    events.addEventListener("update", function (e) {
      if (e.data !== current()) update();
    });
    // Refused (the server restarted with a new link, or too many pages are
    // open): the browser gives up, so say so rather than go quietly stale.
    events.addEventListener("error", function () {
      if (events.readyState !== EventSource.CLOSED) return;
      var status = document.querySelector("#serve-panel .serve-status");
      if (status) status.textContent = "This page no longer updates by itself: reload it, or open the link portfolio serve printed.";
    });
  }
  // The assessor's view: a form beside each item records a signed decision.
  // The owner's cookie goes with it (same origin); the page then updates as
  // for any change.
  // The form now on the page for the same item: the page may have been
  // updated (its body swapped) while the decision was being signed.
  function formKey(f) { return f.getAttribute("action") + " " + f.querySelector("input[name=item]").value; }
  function liveForm(form) {
    var key = formKey(form), found = form;
    document.querySelectorAll("form.serve-decide").forEach(function (f) { if (formKey(f) === key) found = f; });
    return found;
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("serve-decide")) return;
    e.preventDefault();
    var say = function (text, cls) {
      var out = liveForm(form).querySelector(".serve-decide-result");
      if (out) { out.textContent = text; out.className = "serve-decide-result" + (cls ? " " + cls : ""); }
    };
    var button = form.querySelector("button");
    if (button) button.disabled = true;
    say("Signing…", "");
    fetch(form.getAttribute("action") || "/decide", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(new FormData(form)).toString()
    })
      .then(function (r) {
        return r.text().then(function (t) { return { ok: r.ok, text: t }; });
      })
      .then(function (r) {
        if (r.ok) liveForm(form).reset();
        say(r.text, r.ok ? "serve-done" : "serve-refused");
      })
      .catch(function () { say("Not recorded: the server did not answer.", "serve-refused"); })
      .then(function () {
        var b = liveForm(form).querySelector("button");
        if (b) b.disabled = false;
        if (button) button.disabled = false;
      });
  });
  if (window.EventSource && window.fetch) connect();
})();
