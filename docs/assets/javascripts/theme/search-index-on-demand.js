/* The search index is fetched when the reader turns to search, not with every page.
   Material (9.8) requests search/search_index.json (about 110 KB; its worker then loads the
   Japanese segmenter, about 30 KB more) with an XMLHttpRequest as soon as a page starts,
   although most visits never search: that was a fifth of every page's weight. This holds
   that one request back until the first sign of search: the pointer on the search field or
   its button, or the field focused (Material focuses it for its hotkeys and its toggle);
   the request then goes out unchanged, and Material carries on as if it had been slow.
   Every other request passes straight through. Under file:// (the offline edition)
   Material reads search_index.js with a script element instead: nothing is held.
   Loaded by overrides/main.html before Material's bundle; see notes/search.md. */
(function () {
  "use strict";
  var INDEX = /\/search\/search_index\.json$/;
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
})();
