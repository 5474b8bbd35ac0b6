/* The search index is fetched after the page, yet before a reader can type a query.
   Material (9.8) requests search/search_index.json (about 110 KB; its worker then loads the
   Japanese segmenter, about 30 KB more) with an XMLHttpRequest as soon as a page starts:
   that was a fifth of what the page waited for. This holds that one request back until the
   page has loaded and the browser is idle (at most IDLE_WAIT ms later), or until an earlier
   sign of search: the pointer on the search field or its button, or the field focused
   (Material focuses it for its hotkeys and its toggle). The request then goes out
   unchanged, and Material carries on as if it had been slow; its worker builds the index
   off the main thread, so the first query finds it ready. Instant navigation keeps the
   worker and its index from page to page.
   Every other request passes straight through. Under file:// (the offline edition)
   Material reads search_index.js with a script element instead: nothing is held.
   Loaded by overrides/main.html before Material's bundle; see notes/search.md. */
(function () {
  "use strict";
  var INDEX = /\/search\/search_index\.json$/;
  var IDLE_WAIT = 200; // ms after the load event at most: the index is in before typing
  var wanted = false;
  var held = []; // [request, arguments of send]
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;

  XMLHttpRequest.prototype.open = function (method, url) {
    try {
      this.hbIndex = INDEX.test(new URL(String(url), location.href).pathname);
    } catch (ignored) {
      this.hbIndex = false;
    }
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (!this.hbIndex || wanted) return send.apply(this, arguments);
    held.push([this, arguments]);
  };

  function want() {
    if (wanted) return;
    wanted = true;
    held.forEach(function (request) { send.apply(request[0], request[1]); });
    held = [];
    ["pointerover", "pointerdown", "focusin"].forEach(function (type) {
      document.removeEventListener(type, onSign, true);
    });
  }

  function onSign(event) {
    var target = event.target;
    if (target instanceof Element && target.closest(".md-search, label[for='__search']")) want();
  }
  ["pointerover", "pointerdown", "focusin"].forEach(function (type) {
    document.addEventListener(type, onSign, true);
  });

  function whenIdle() {
    if (window.requestIdleCallback) window.requestIdleCallback(want, { timeout: IDLE_WAIT });
    else setTimeout(want, 0);
  }
  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle);
})();
