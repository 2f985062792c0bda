(function () {
  "use strict";
  function current() {
    var p = document.getElementById("serve-panel");
    return p ? p.getAttribute("data-generation") : "";
  }
  var busy = false, again = false;
  function update() {
    if (busy) { again = true; return; }
    busy = true;
    fetch("/?live=1", { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        var x = window.scrollX, y = window.scrollY;
        document.title = doc.title;
        // A changed stylesheet (--templates) applies too: the head's styles.
        var olds = document.head.querySelectorAll("style"), news = doc.head.querySelectorAll("style");
        for (var i = 0; i < olds.length && olds.length === news.length; i++) {
          if (olds[i].textContent !== news[i].textContent) olds[i].textContent = news[i].textContent;
        }
        document.body.replaceWith(document.adoptNode(doc.body));
        window.scrollTo(x, y);
      })
      .catch(function () {})
      .then(function () { busy = false; if (again) { again = false; update(); } });
  }
  function connect() {
    var events = new EventSource("/events");
    events.addEventListener("update", function (e) {
      if (e.data !== current()) update();
    });
  }
  if (window.EventSource && window.fetch) connect();
})();
