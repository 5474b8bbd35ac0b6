/* A link to a place on the same page (まずやること → its step, the table of contents, the
   第一報's links) jumps at once and stays, as a plain browser does. Material 9.8's instant
   navigation takes every click on a link of the site, and every popstate (which a plain
   fragment navigation fires too): for the same page it fetches the page again and
   re-renders it (every component mounts anew), and its offset, saved in history.state
   about 100 ms after each scroll, can then scroll the reader back to the top.
   Here, in the capture phase before Material's listener on the body, a same-page link is
   followed as Material follows a link, without the fetch: the offset of the place left is
   kept in its history entry ({x, y}, as Material keeps it), a new entry is pushed (no
   popstate), the target scrolled into view and hashchange sent (Material opens a <details>
   holding the target on it). Back and forward between entries of the same page are
   answered the same way, before Material's popstate listener. Search results (Material
   closes the search with them) and Material's own tab labels are left to Material.
   Part of the site's one script (macros/bundle.py), loaded before Material's bundle. */
(function () {
  "use strict";
  var instant = null;

  function instantOn() {
    if (instant === null) {
      try {
        var config = JSON.parse(document.getElementById("__config").textContent);
        instant = (config.features || []).indexOf("navigation.instant") >= 0;
      } catch (ignored) {
        instant = false;
      }
    }
    return instant;
  }

  function samePageTarget(event) {
    if (event.defaultPrevented || event.button !== 0) return null;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
    if (!(event.target instanceof Element)) return null;
    var link = event.target.closest("a[href]");
    if (!link || (link.target && link.target !== "_self") || link.hasAttribute("download")) return null;
    if (link.closest(".md-search, .tabbed-labels")) return null;
    var url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.pathname !== location.pathname) return null;
    if (url.search !== location.search || url.hash.length < 2) return null;
    var id;
    try {
      id = decodeURIComponent(url.hash.slice(1));
    } catch (ignored) {
      return null;
    }
    return document.getElementById(id) ? link : null;
  }

  function show(id, offset) {
    var target = id && document.getElementById(id);
    if (offset && typeof offset.y === "number") window.scrollTo(offset.x || 0, offset.y);
    else if (target) target.scrollIntoView();
    else window.scrollTo(0, 0);
  }

  function idOf(hash) {
    try {
      return decodeURIComponent(hash.slice(1));
    } catch (ignored) {
      return "";
    }
  }

  window.addEventListener("click", function (event) {
    var link = samePageTarget(event);
    if (!link || !instantOn()) return;
    event.preventDefault();
    event.stopPropagation(); // Material's listener on the body never sees it
    var before = location.href;
    var url = new URL(link.href, location.href);
    try {
      history.replaceState({ x: window.scrollX, y: window.scrollY }, "");
      history.pushState(null, "", url.href);
    } catch (ignored) {
      location.hash = url.hash; // the jump matters more than the saved offset
      return;
    }
    show(idOf(url.hash));
    window.dispatchEvent(new HashChangeEvent("hashchange", { oldURL: before, newURL: url.href }));
    // On a phone the table of contents is in the drawer: close it, as Material would.
    var drawer = document.getElementById("__drawer");
    if (drawer && drawer.checked) drawer.checked = false;
  }, true);

  // The page on screen: instant navigation changes it (hb.js says when it has mounted one).
  var shown = location.pathname + location.search;
  document.addEventListener("hb:page-mounted", function () {
    shown = location.pathname + location.search;
  });
  // Registered before Material's bundle runs, so this listener comes first.
  window.addEventListener("popstate", function (event) {
    if (!instantOn() || location.pathname + location.search !== shown) return;
    event.stopImmediatePropagation();
    show(idOf(location.hash), event.state);
  });
})();
