/* Draws the Mermaid diagrams of a page with the vendored Mermaid.
   Mermaid is loaded only on pages that have a diagram, from this site (no CDN). */
(function () {
  "use strict";

  var here = document.currentScript && document.currentScript.src;
  var mermaidUrl = here ? new URL("../vendor/mermaid/mermaid.min.js", here).href : null;
  var loading = null;
  var counter = 0;

  function loadMermaid() {
    if (window.mermaid) return Promise.resolve(window.mermaid);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = mermaidUrl;
        script.onload = function () {
          window.mermaid.initialize({
            startOnLoad: false,
            securityLevel: "strict",
            theme: "neutral",
            fontFamily: getComputedStyle(document.body).fontFamily,
          });
          resolve(window.mermaid);
        };
        script.onerror = function () { reject(new Error("could not load " + mermaidUrl)); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function drawAll() {
    var figures = document.querySelectorAll("[data-hb-diagram]:not([data-hb-drawn])");
    if (!figures.length || !mermaidUrl) return;
    loadMermaid().then(function (mermaid) {
      figures.forEach(function (figure) {
        var source = figure.querySelector(".hb-diagram__source").textContent;
        figure.setAttribute("data-hb-drawn", "");
        mermaid.render("hb-diagram-" + ++counter, source).then(function (result) {
          var holder = document.createElement("div");
          holder.className = "hb-diagram__svg";
          holder.innerHTML = result.svg;
          var caption = figure.querySelector("figcaption");
          var svg = holder.querySelector("svg");
          if (svg && caption) {
            svg.setAttribute("role", "img");
            svg.setAttribute("aria-label", caption.textContent);
          }
          figure.insertBefore(holder, caption);
          figure.hidden = false;
        });
      });
    });
  }

  // Material's instant navigation swaps pages without reloading: redraw on each page.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(drawAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
