// The learner's workspace in the served page: start a portfolio, add and
// edit evidence items in forms. It talks to serve's file API (/api/...),
// which writes plain files; the page then updates as for any change. No
// inline script or handler: the page's policy allows scripts from this
// server only. Forms follow the GOV.UK Design System's patterns: labels
// and hints above fields, an error summary that links to each field, the
// message beside the field.
(function () {
  "use strict";
  var root = document.getElementById("workspace");
  if (!root || !window.fetch) return;
  var options = null, uploadLimit = 0, uploadable = [], started = false, firstLoad = true;

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  // Every call to the server goes through this one object: the browser
  // build gives its own (window.portfolioWorkspaceApi, the same three
  // calls answered by the WebAssembly engine and the browser's files).
  // Each answers a promise of { status, json }.
  function answer(r) {
    return r.json().catch(function () { return {}; }).then(function (j) { return { status: r.status, json: j }; });
  }
  var api = window.portfolioWorkspaceApi || {
    get: function (path) {
      return fetch(path, { credentials: "same-origin", cache: "no-store" }).then(answer);
    },
    post: function (path, body) {
      return fetch(path, {
        method: "POST", credentials: "same-origin", cache: "no-store",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
      }).then(answer);
    },
    // A file for attachments/: answers its path ({ path }) with 201.
    upload: function (name, file) {
      return fetch("/api/attachments/" + encodeURIComponent(name), {
        method: "POST", credentials: "same-origin", body: file
      }).then(answer);
    }
  };

  var n = 0;
  // A text field with its label, optional hint and a place for its error.
  function field(name, label, opts) {
    opts = opts || {};
    var id = "ws-" + name + "-" + (++n);
    var input;
    if (opts.multiline) input = el("textarea", { id: id, name: name, rows: String(opts.rows || 8) });
    else input = el("input", { id: id, name: name, type: opts.type || "text" });
    if (opts.autocomplete) input.setAttribute("autocomplete", opts.autocomplete);
    if (opts.list) input.setAttribute("list", opts.list);
    input.value = opts.value || "";
    var hint = opts.hint ? el("div", { id: id + "-hint", class: "ws-hint", text: opts.hint }) : null;
    var error = el("p", { id: id + "-error", class: "ws-error-message", hidden: "" });
    var described = [hint ? id + "-hint" : null, id + "-error"].filter(Boolean).join(" ");
    input.setAttribute("aria-describedby", described);
    var group = el("div", { class: "ws-group", "data-field": name }, [
      el("label", { for: id, class: "ws-label", text: label }), hint, error, input
    ]);
    group.input = input;
    return group;
  }

  // The error summary at the top of `form` (GOV.UK pattern): each error
  // a link to its field, and its message beside that field, which is
  // marked invalid. `errors`: { field, message, said } ("said": the words
  // before the message beside the field, "Error" unless given). Errors
  // without a field are listed without a link. The summary takes the focus
  // unless `keepFocus` (a form opened at a field keeps it there).
  function errorSummary(form, errors, keepFocus) {
    var old = form.querySelector(".ws-error-summary");
    if (old) old.remove();
    form.querySelectorAll(".ws-group").forEach(function (g) {
      g.classList.remove("ws-group-error");
      var m = g.querySelector(".ws-error-message");
      if (m) { m.hidden = true; m.textContent = ""; }
      var t = g.input || g.querySelector("input,textarea,select");
      if (t) t.removeAttribute("aria-invalid");
    });
    if (!errors.length) return;
    var list = el("ul", { class: "ws-error-list" });
    errors.forEach(function (e) {
      var g = e.field ? form.querySelector('.ws-group[data-field="' + e.field + '"]') : null;
      var target = g ? (g.input || g.querySelector("input,textarea,select")) : null;
      if (target) {
        var a = el("a", { href: "#" + target.id, text: e.message });
        a.addEventListener("click", function (ev) {
          ev.preventDefault();
          var set = target.closest("fieldset[hidden]");
          if (set) set.hidden = false;
          if (target.scrollIntoView) target.scrollIntoView({ block: "center" });
          target.focus();
        });
        list.appendChild(el("li", {}, [a]));
      } else {
        list.appendChild(el("li", { text: e.message }));
      }
      if (g) {
        g.classList.add("ws-group-error");
        if (target && target.type !== "checkbox") target.setAttribute("aria-invalid", "true");
        var m = g.querySelector(".ws-error-message");
        if (m) {
          m.hidden = false;
          m.appendChild(el("span", { class: "ws-error-line" }, [
            el("span", { class: "ws-visually-hidden", text: (e.said || "Error") + ": " }),
            document.createTextNode(e.message)
          ]));
        }
      }
    });
    var box = el("div", { class: "ws-error-summary", role: "alert", tabindex: "-1" }, [
      el("h3", { text: "There is a problem" }), list
    ]);
    form.insertBefore(box, form.firstChild);
    if (!keepFocus) box.focus();
  }

  // What the problems panel above says about the item in `file`: the
  // assessor's referral first, then every problem, each with the field
  // that mends it (the panel's data-file and data-field).
  function itemProblems(file) {
    var panel = document.getElementById("serve-panel");
    if (!panel || !file) return [];
    var out = [];
    panel.querySelectorAll(".serve-referrals > li[data-file], .serve-problems > li[data-file]").forEach(function (li) {
      if (li.getAttribute("data-file") !== file) return;
      var part = function (sel) { var x = li.querySelector(sel); return x ? x.textContent.trim() : ""; };
      var sev = part(".serve-sev");
      var message;
      if (li.classList.contains("serve-referral")) {
        var fb = part(".serve-feedback");
        message = "Your assessor sent this item back" + (fb ? ": \u201c" + fb + "\u201d" : ".") + " Rework it, then ask them to look again.";
      } else {
        message = [part(".serve-msg"), part(".serve-todo")].filter(Boolean).join(" ");
      }
      out.push({ field: li.getAttribute("data-field") || "", message: message, said: sev || "Error" });
    });
    return out;
  }

  // Each criterion's status now (the panel's hidden list), by code.
  function criterionStates() {
    var states = {};
    document.querySelectorAll("#serve-panel .serve-states > li[data-code]").forEach(function (li) {
      states[li.getAttribute("data-code")] = { status: li.getAttribute("data-status"), words: li.getAttribute("data-words"), needs: li.getAttribute("data-needs") };
    });
    return states;
  }

  // The status beside each criterion's checkbox in `form`.
  function paintStates(form) {
    var states = criterionStates();
    form.querySelectorAll(".ws-status[data-code]").forEach(function (hint) {
      var code = hint.getAttribute("data-code"), s = states[code];
      // What an assessor looks for is the hint below: said once.
      var needs = s && s.needs ? s.needs.split(" To show " + code + ", an assessor looks for:")[0].trim() : "";
      // The status is said first: not twice ("No evidence yet. No evidence yet.").
      if (s && needs.indexOf(s.words + ".") === 0) needs = needs.slice(s.words.length + 1).trim();
      if (/^[A-Z][a-z]/.test(needs)) needs = needs.charAt(0).toLowerCase() + needs.slice(1);
      hint.className = "ws-hint ws-status" + (s ? " ws-status-" + s.status : "");
      hint.textContent = s ? "Now: " + s.words + "." + (needs ? " What is still missing: " + needs : "") : "";
      hint.hidden = !s;
    });
  }

  function button(text, cls) {
    return el("button", { type: "button", class: cls || "ws-button", text: text });
  }

  // "Start a portfolio": the learner's names, then the files init writes.
  function startForm() {
    var form = el("form", { class: "ws-form", novalidate: "" });
    var fields = [
      field("name", "Your name", { autocomplete: "name" }),
      field("reference", "Learner reference", { hint: "The reference your training provider gave you." }),
      field("uln", "Unique Learner Number (ULN)", { hint: "10 digits, if you know it. Give this or your reference." }),
      field("centre", "Training centre"),
      field("assessor", "Your assessor", { hint: "Only decisions by the assessor named here count." })
    ];
    fields.forEach(function (f) { form.appendChild(f); });
    var save = el("button", { type: "submit", class: "ws-button", text: "Start a portfolio" });
    form.appendChild(save);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = {};
      fields.forEach(function (f) { body[f.input.name] = f.input.value; });
      save.disabled = true;
      api.post("/api/start", body).then(function (r) {
        save.disabled = false;
        if (r.status === 201) { load(); return; }
        var errors = (r.json.errors || []).map(function (x) { return { field: x.field, message: x.message }; });
        if (!errors.length) errors = [{ field: "name", message: r.json.error || "The portfolio could not be started." }];
        errorSummary(form, errors);
      });
    });
    return form;
  }

  // The narrative as it will read: paragraphs, lists, **bold**, *italic*
  // and [[3.1]] references, made as DOM nodes (never HTML from the text).
  // Markdown is allowed, never required: plain text reads as typed.
  function inline(text, parent) {
    var re = /(\*\*([^*]+)\*\*|\*([^*]+)\*|_([^_]+)_|\[\[([^\]]+)\]\])/g, at = 0, m;
    while ((m = re.exec(text))) {
      if (m.index > at) parent.appendChild(document.createTextNode(text.slice(at, m.index)));
      if (m[2]) parent.appendChild(el("strong", { text: m[2] }));
      else if (m[3] || m[4]) parent.appendChild(el("em", { text: m[3] || m[4] }));
      else parent.appendChild(el("span", { class: "ws-ref", text: m[5] }));
      at = re.lastIndex;
    }
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }
  function narrativePreview(textarea) {
    var id = "ws-preview-" + (++n);
    var toggle = el("button", { type: "button", class: "ws-button ws-secondary", "aria-expanded": "false", "aria-controls": id, text: "Show preview" });
    var box = el("div", { id: id, class: "ws-preview", hidden: "" });
    function render() {
      box.textContent = "";
      box.appendChild(el("h3", { class: "ws-preview-heading", text: "Preview" }));
      textarea.value.replace(/\r\n/g, "\n").split(/\n\s*\n/).forEach(function (block) {
        var lines = block.split("\n").filter(function (l) { return l.trim() !== ""; });
        if (!lines.length) return;
        if (lines.every(function (l) { return /^\s*[-*] /.test(l); })) {
          var ul = el("ul");
          lines.forEach(function (l) { var li = el("li"); inline(l.replace(/^\s*[-*] /, ""), li); ul.appendChild(li); });
          box.appendChild(ul);
        } else {
          var p = el("p");
          inline(lines.join(" ").replace(/^#+\s*/, ""), p);
          box.appendChild(p);
        }
      });
    }
    toggle.addEventListener("click", function () {
      var open = box.hidden;
      box.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.textContent = open ? "Hide preview" : "Show preview";
      if (open) render();
    });
    textarea.addEventListener("input", function () { if (!box.hidden) render(); });
    return el("div", { class: "ws-group ws-preview-group" }, [toggle, box]);
  }

  function methodLabel(m) { return m.label.charAt(0).toUpperCase() + m.label.slice(1); }

  // The item form, filled from `item` (a file's form and version) or empty.
  function itemForm(item, preset) {
    var f = (item && item.form) || preset || {};
    var form = el("form", { class: "ws-form", novalidate: "" });
    var title = field("title", "Title", { value: f.title, hint: "A few words on what happened, e.g. \u201cObservation: late-shift refund handover\u201d." });
    var date = field("date", "Date", { type: "date", value: f.date, hint: "The day it happened." });
    var methodId = "ws-method-" + (++n);
    var method = el("select", { id: methodId, name: "method", "aria-describedby": methodId + "-error" });
    method.appendChild(el("option", { value: "", text: "Choose how it was shown" }));
    options.methods.forEach(function (m) {
      var o = el("option", { value: m.id, text: methodLabel(m) });
      if (m.id === f.method) o.selected = true;
      method.appendChild(o);
    });
    var methodGroup = el("div", { class: "ws-group", "data-field": "method" }, [
      el("label", { for: methodId, class: "ws-label", text: "Method" }),
      el("p", { id: methodId + "-error", class: "ws-error-message", hidden: "" }),
      method
    ]);
    methodGroup.input = method;
    var chosen = f.criteria || [];
    var criteriaGroup = el("div", { class: "ws-group", "data-field": "criteria" }, [
      el("p", { id: "ws-criteria-error-" + n, class: "ws-error-message", hidden: "" })
    ]);
    var firstBox = null;
    options.outcomes.forEach(function (o) {
      var set = el("fieldset", { class: "ws-fieldset" }, [el("legend", { text: o.code + " " + o.title })]);
      o.criteria.forEach(function (c) {
        var id = "ws-c-" + (++n);
        var box = el("input", { type: "checkbox", id: id, name: "criteria", value: c.code });
        if (!firstBox) firstBox = box;
        if (chosen.indexOf(c.code) >= 0) box.checked = true;
        var status = el("div", { id: id + "-status", class: "ws-hint ws-status", "data-code": c.code, hidden: "" });
        var hint = c.looks_for.length ? el("div", { id: id + "-hint", class: "ws-hint", text: "An assessor looks for: " + c.looks_for.join("; ") }) : null;
        box.setAttribute("aria-describedby", id + "-status" + (hint ? " " + id + "-hint" : ""));
        box.dataset.handover = c.asks_handover ? "1" : "";
        set.appendChild(el("div", { class: "ws-check" }, [box, el("label", { for: id, text: c.code + " " + c.text }), status, hint]));
      });
      criteriaGroup.appendChild(set);
    });
    criteriaGroup.input = firstBox;
    var narrative = field("narrative", "Narrative", {
      multiline: true, rows: 10, value: f.narrative,
      hint: "In your own words: what you did, why, and what happened. Write [[3.1]] where a sentence shows a criterion."
    });
    var insert = button("Insert a criterion reference", "ws-button ws-secondary");
    insert.addEventListener("click", function () {
      var codes = Array.prototype.map.call(criteriaGroup.querySelectorAll("input:checked"), function (b) { return b.value; });
      var ta = narrative.input, at = ta.selectionStart || ta.value.length;
      var text = " [[" + (codes[0] || "3.1") + "]]";
      ta.value = ta.value.slice(0, at) + text + ta.value.slice(ta.selectionEnd || at);
      ta.focus();
      ta.selectionStart = ta.selectionEnd = at + text.length;
    });
    var preview = narrativePreview(narrative.input);
    var occasion = field("occasion", "Occasion", { value: f.occasion, list: "ws-occasions", hint: "Items about the same handover share an occasion, e.g. late-shift-14-march. Leave blank for a new one." });
    var occasions = el("datalist", { id: "ws-occasions" });
    options.occasions.forEach(function (o) { occasions.appendChild(el("option", { value: o })); });
    // Attachments: those listed stay unless unticked; new ones are
    // uploaded (sizes checked first) when the item is saved.
    var mb = Math.floor(uploadLimit / 1048576);
    var attach = el("div", { class: "ws-group", "data-field": "attachments" });
    var kept = [];
    (f.attachments || []).forEach(function (path) {
      var id = "ws-keep-" + (++n);
      var box = el("input", { type: "checkbox", id: id, value: path });
      box.checked = true;
      kept.push(box);
      attach.appendChild(el("div", { class: "ws-check" }, [box, el("label", { for: id, text: "Keep " + path })]));
    });
    var fileId = "ws-files-" + (++n);
    var files = el("input", {
      type: "file", id: fileId, name: "attachments", multiple: "",
      accept: "image/*," + uploadable.map(function (e) { return "." + e; }).join(","),
      "aria-describedby": fileId + "-hint " + fileId + "-error"
    });
    attach.insertBefore(el("p", { id: fileId + "-error", class: "ws-error-message", hidden: "" }), attach.firstChild);
    attach.insertBefore(el("div", { id: fileId + "-hint", class: "ws-hint", text: "Photos and documents, up to " + mb + " MB each. On a phone you can take a photo." }), attach.firstChild);
    attach.insertBefore(el("label", { for: fileId, class: "ws-label", text: "Attachments" }), attach.firstChild);
    attach.appendChild(files);
    attach.input = files;
    var heldAt = field("held_at", "Where it is kept", { value: f.held_at, hint: "For a document you do not attach: where your assessor can find it at work, e.g. the team's shared drive, Handovers folder." });
    var w = f.witness || {};
    var witness = el("fieldset", { class: "ws-fieldset ws-witness" }, [el("legend", { text: "Witness" })]);
    var wName = field("witness_name", "Witness name", { value: w.name });
    var wRole = field("witness_role", "Witness role", { value: w.role, hint: "Their job, e.g. team leader." });
    var wRel = field("witness_relationship", "Witness relationship", { value: w.relationship, hint: "How they know your work, e.g. line manager." });
    var wContact = field("witness_contact", "Witness contact", { value: w.contact, hint: "How your assessor can reach them to confirm." });
    [wName, wRole, wRel, wContact].forEach(function (x) { witness.appendChild(x); });
    var h = f.handover || {};
    var a = (h.actions && h.actions[0]) || {};
    var fa = (h.further_actions && h.further_actions[0]) || {};
    var handover = el("fieldset", { class: "ws-fieldset ws-handover" }, [el("legend", { text: "Handover record" })]);
    var hFields = [
      field("reason", "Why it was handed over", { value: h.reason, hint: "e.g. shift change, a specialist was needed, beyond my authority." }),
      field("to_name", "Who took it over", { value: h.to_name }),
      field("to_role", "Their role", { value: h.to_role }),
      field("situation", "Situation", { multiline: true, rows: 2, value: h.situation }),
      field("background", "Background", { multiline: true, rows: 2, value: h.background }),
      field("assessment", "Assessment", { multiline: true, rows: 2, value: h.assessment }),
      field("recommendation", "Recommendation", { multiline: true, rows: 2, value: h.recommendation }),
      field("exchanged_by", "How the information was passed on", { value: (h.exchanged_by || []).join(", "), hint: "Separate each way with a comma, e.g. CRM note, face to face." }),
      field("customer_told", "What the customer was told", { multiline: true, rows: 2, value: h.customer_told }),
      field("action", "Action", { value: a.action }),
      field("owner", "Action owner", { value: a.owner }),
      field("due", "Action due", { type: "date", value: a.due }),
      field("reminder_date", "Reminder date", { type: "date", value: h.reminder_date }),
      field("reminder_how", "Reminder: how", { value: h.reminder_how }),
      field("check_date", "Checked on", { type: "date", value: h.check_date, hint: "The day you checked the action had been done." }),
      field("check_note", "What you found", { value: h.check_note }),
      field("further_action", "Further action", { value: fa.action, hint: "When it had not been done: what you set in motion." }),
      field("further_owner", "Further action owner", { value: fa.owner }),
      field("further_due", "Further action due", { type: "date", value: fa.due }),
      field("feedback", "Feedback you shared", { multiline: true, rows: 2, value: h.feedback, hint: "What you told colleagues to make handovers better." })
    ];
    // Whether the action was done when checked: a choice, never typed.
    var outcomeId = "ws-outcome-" + (++n);
    var outcome = el("select", { id: outcomeId, name: "check_outcome", "aria-describedby": outcomeId + "-error" });
    [["", "Not checked yet"], ["done", "Done"], ["partly done", "Partly done"], ["not done", "Not done"]].forEach(function (o) {
      var opt = el("option", { value: o[0], text: o[1] });
      if ((h.check_outcome || "").toLowerCase() === o[0]) opt.selected = true;
      outcome.appendChild(opt);
    });
    var outcomeGroup = el("div", { class: "ws-group", "data-field": "check_outcome" }, [
      el("label", { for: outcomeId, class: "ws-label", text: "Was it done when you checked?" }),
      el("p", { id: outcomeId + "-error", class: "ws-error-message", hidden: "" }),
      outcome
    ]);
    outcomeGroup.input = outcome;
    hFields.forEach(function (x) { handover.appendChild(x); });
    var confirmedId = "ws-confirmed-" + (++n);
    var confirmed = el("input", { type: "checkbox", id: confirmedId, name: "receiver_confirmed" });
    confirmed.checked = !!h.receiver_confirmed;
    var confirmedGroup = el("div", { class: "ws-group", "data-field": "receiver_confirmed" }, [
      el("div", { class: "ws-check" }, [confirmed, el("label", { for: confirmedId, text: "They told me back what they would do" })])
    ]);
    confirmedGroup.input = confirmed;
    // After "What the customer was told", and the check's outcome after its date.
    handover.insertBefore(confirmedGroup, hFields[9]);
    handover.insertBefore(outcomeGroup, hFields[15]);
    function shown() {
      var m = options.methods.filter(function (x) { return x.id === method.value; })[0];
      witness.hidden = !(m && m.needs_witness);
      heldAt.hidden = !((m && m.supporting_only) || f.held_at);
      var asks = criteriaGroup.querySelector("input[data-handover='1']:checked");
      handover.hidden = !(asks || f.handover);
    }
    method.addEventListener("change", shown);
    criteriaGroup.addEventListener("change", shown);
    [title, date, methodGroup, criteriaGroup, narrative, insert, preview, occasion, occasions, attach, heldAt, witness, handover].forEach(function (x) { form.appendChild(x); });
    shown();
    paintStates(form);
    var save = el("button", { type: "submit", class: "ws-button", text: "Save" });
    var cancel = button("Cancel", "ws-button ws-secondary");
    var said = el("p", { class: "ws-said", role: "status" });
    var actions = el("div", { class: "ws-actions" }, [save, cancel]);
    form.appendChild(actions);
    form.appendChild(said);
    cancel.addEventListener("click", function () { load(); });
    // Delete asks first: the button becomes a warning and a second button.
    if (item) {
      var del = button("Delete item", "ws-button ws-warning");
      actions.appendChild(del);
      del.addEventListener("click", function () {
        if (del.dataset.asked !== "1") {
          del.dataset.asked = "1";
          del.textContent = "Yes, delete this item";
          said.textContent = "Deleting removes " + item.file + " from your portfolio. Press \u201cYes, delete this item\u201d to go on, or Cancel.";
          del.focus();
          return;
        }
        del.disabled = true;
        api.post("/api/delete", { file: item.file, version: item.version }).then(function (r) {
          if (r.status === 200) { said.textContent = "Deleted " + item.file + "."; setTimeout(load, 400); return; }
          del.disabled = false;
          said.textContent = r.json.error || "The item was not deleted.";
        });
      });
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var errors = [];
      if (!title.input.value.trim()) errors.push({ field: "title", message: "Enter a title" });
      if (!date.input.value) errors.push({ field: "date", message: "Enter the date it happened" });
      if (!method.value) errors.push({ field: "method", message: "Choose a method" });
      var codes = Array.prototype.map.call(criteriaGroup.querySelectorAll("input:checked"), function (b) { return b.value; });
      if (!codes.length) errors.push({ field: "criteria", message: "Choose at least one criterion the item shows" });
      if (!handover.hidden && !outcome.value && (hFields[14].input.value || hFields[15].input.value.trim())) {
        errors.push({ field: "check_outcome", message: "Choose whether the action was done when you checked" });
      }
      Array.prototype.forEach.call(files.files, function (file) {
        if (file.size > uploadLimit) errors.push({ field: "attachments", message: file.name + " is larger than " + mb + " MB: make it smaller, or attach part of it" });
      });
      errorSummary(form, errors);
      if (errors.length) return;
      var v = function (g) { return g.input.value; };
      var body = {
        form: {
          title: v(title), date: v(date), method: method.value, criteria: codes,
          narrative: v(narrative), occasion: v(occasion), held_at: heldAt.hidden ? (f.held_at || "") : v(heldAt),
          attachments: kept.filter(function (b) { return b.checked; }).map(function (b) { return b.value; })
        }
      };
      if (!witness.hidden) body.form.witness = { name: v(wName), role: v(wRole), relationship: v(wRel), contact: v(wContact) };
      // A handover record only when something is in it (or the item had
      // one): an empty [handover] says nothing.
      var filled = confirmed.checked || outcome.value !== "" || hFields.some(function (g) { return g.input.value.trim() !== ""; });
      if (!handover.hidden && (filled || f.handover)) {
        var hv = {}; hFields.forEach(function (g) { hv[g.input.name] = g.input.value; });
        body.form.handover = {
          reason: hv.reason, to_name: hv.to_name, to_role: hv.to_role, situation: hv.situation, background: hv.background,
          assessment: hv.assessment, recommendation: hv.recommendation,
          exchanged_by: hv.exchanged_by.split(",").map(function (x) { return x.trim(); }).filter(Boolean),
          receiver_confirmed: confirmed.checked, customer_told: hv.customer_told,
          // The form shows the first action; the others the file holds stay.
          actions: (hv.action ? [{ action: hv.action, owner: hv.owner, due: hv.due }] : []).concat((h.actions || []).slice(1)),
          reminder_date: hv.reminder_date, reminder_how: hv.reminder_how,
          check_date: hv.check_date, check_outcome: outcome.value, check_note: hv.check_note,
          further_actions: (hv.further_action ? [{ action: hv.further_action, owner: hv.further_owner, due: hv.further_due }] : []).concat((h.further_actions || []).slice(1)),
          feedback: hv.feedback
        };
      }
      if (item) { body.file = item.file; body.version = item.version; }
      save.disabled = true;
      said.textContent = "Saving\u2026";
      var uploads = Array.prototype.map.call(files.files, function (file) {
        return api.upload(file.name, file).then(function (r) {
          if (r.status !== 201) throw new Error(file.name + ": " + (r.json.error || "not uploaded"));
          return r.json.path;
        });
      });
      Promise.all(uploads).then(function (paths) {
        body.form.attachments = body.form.attachments.concat(paths);
        return api.post("/api/items", body);
      }).then(function (r) {
        save.disabled = false;
        if (r.status === 200 || r.status === 201) {
          said.textContent = "Saved as " + r.json.file + ". The check below updates by itself.";
          setTimeout(load, 400);
        } else {
          said.textContent = "";
          errorSummary(form, [{ field: "title", message: r.json.error || "The item was not saved." }]);
        }
      }, function (e) {
        save.disabled = false;
        said.textContent = "";
        errorSummary(form, [{ field: "attachments", message: "Not saved: " + ((e && e.message) || "the server did not answer") }]);
      });
    });
    return form;
  }

  // The reflective account: one text area, saved over the version read.
  function reflectionForm(current) {
    var form = el("form", { class: "ws-form", novalidate: "" });
    var text = field("reflection", "Reflective account", {
      multiline: true, rows: 16, value: current.text,
      hint: "In your own words: how you work towards the unit, what your organisation expects of you and what you have learned. It is printed before your evidence."
    });
    var save = el("button", { type: "submit", class: "ws-button", text: "Save" });
    var cancel = button("Cancel", "ws-button ws-secondary");
    var said = el("p", { class: "ws-said", role: "status" });
    form.appendChild(text);
    form.appendChild(el("div", { class: "ws-actions" }, [save, cancel]));
    form.appendChild(said);
    cancel.addEventListener("click", function () { load(); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      save.disabled = true;
      api.post("/api/reflection", { text: text.input.value, version: current.version }).then(function (r) {
        save.disabled = false;
        if (r.status === 200) { current.version = r.json.version; said.textContent = "Saved. The check below updates by itself."; return; }
        errorSummary(form, [{ field: "reflection", message: r.json.error || "Not saved." }]);
      });
    });
    return form;
  }

  function show(heading, body) {
    listing = heading === "Your evidence";
    root.textContent = "";
    root.appendChild(el("h2", { id: "workspace-heading", text: heading }));
    root.appendChild(body);
  }

  // The item's form at one of its fields (the problems panel's links).
  function focusField(field) {
    var g = field ? root.querySelector('.ws-group[data-field="' + field + '"]') : null;
    var target = g ? (g.input || g.querySelector("input,textarea,select")) : root.querySelector("input,textarea,select");
    if (!target) return;
    var set = target.closest("fieldset[hidden]");
    if (set) set.hidden = false;
    if (target.scrollIntoView) target.scrollIntoView({ block: "center" });
    target.focus();
  }

  function openAdd(codes, field) {
    show("Add item", itemForm(null, codes && codes.length ? { criteria: codes } : null));
    focusField(field || "title");
  }

  function openEdit(file, field, button) {
    api.get("/api/items/" + file.split("/").map(encodeURIComponent).join("/")).then(function (r) {
      if (r.status !== 200) {
        if (button) button.textContent = r.json.error || "Cannot open";
        else show("Edit item", el("p", { class: "ws-said", text: r.json.error || "This item cannot be opened." }));
        return;
      }
      var form = itemForm(r.json);
      show("Edit item", form);
      // Every problem the check found in this item, at once, each beside
      // its field; the focus stays where the link pointed.
      errorSummary(form, itemProblems(file), true);
      focusField(field || "title");
    });
  }

  function openReflection() {
    api.get("/api/reflection").then(function (r) {
      if (r.status !== 200) return;
      show("Your reflective account", reflectionForm(r.json));
      focusField("reflection");
    });
  }

  function list(items) {
    var add = button("Add item");
    add.addEventListener("click", function () { openAdd(); });
    var ul = el("ul", { class: "ws-items" });
    items.forEach(function (it) {
      var edit = button("Edit", "ws-button ws-secondary");
      edit.setAttribute("aria-label", "Edit " + it.title);
      edit.addEventListener("click", function () { openEdit(it.file, null, edit); });
      var name = el("span", { class: "ws-item-title", text: it.title });
      if (it.unread) name.appendChild(el("span", { class: "ws-hint", text: " (not counted yet: see the problems above)" }));
      ul.appendChild(el("li", {}, [name, edit]));
    });
    var reflect = button("Edit your reflective account", "ws-button ws-secondary");
    reflect.addEventListener("click", openReflection);
    var box = el("div", {}, [add, reflect, ul]);
    show("Your evidence", box);
  }

  // Where the problems panel's links go: "#edit=evidence/NAME.md&field=F"
  // (the item's form at field F), "#add" or "#add&criteria=3.1" (a new
  // item, 3.1 ticked), "#reflection". Says whether it was one of them.
  function route(hash) {
    if (!options || !started) return false;
    var parts = {};
    hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var at = kv.indexOf("=");
      var k = at < 0 ? kv : kv.slice(0, at), v = at < 0 ? "" : kv.slice(at + 1);
      try { parts[k] = decodeURIComponent(v); } catch (e) { parts[k] = v; }
    });
    if (parts.edit && /^evidence\/[^\/]+\.md$/.test(parts.edit)) { openEdit(parts.edit, parts.field); return true; }
    if ("add" in parts) { openAdd(parts.criteria ? parts.criteria.split(",") : [], parts.field); return true; }
    if ("reflection" in parts) { openReflection(); return true; }
    return false;
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href^='#']");
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (route(a.getAttribute("href"))) e.preventDefault();
  });

  // The check was remade (a file changed, here or on disk): the list of
  // items follows, unless a form is open (what is typed in it stays).
  var listing = false;
  document.addEventListener("portfolio:updated", function () {
    if (listing || !started) { load(); return; }
    root.querySelectorAll("form").forEach(paintStates);
  });

  function load() {
    api.get("/api/options").then(function (r) {
      if (r.status !== 200) return;
      options = r.json.options;
      uploadLimit = r.json.upload_limit_bytes || 0;
      uploadable = r.json.uploadable || [];
      started = !!r.json.started;
      if (!started) show("Start a portfolio", startForm());
      else list(r.json.items || []);
      // Opened at a panel's link (#edit=…): go there once.
      if (firstLoad && location.hash) route(location.hash);
      firstLoad = false;
    });
  }
  load();
  // The static web build says so when a whole portfolio came in (a zip
  // imported, a folder opened): the forms start again from its files.
  document.addEventListener("portfolio:files", load);
})();
