/* Diagram, the fallback only. A diagram is drawn at build time and inlined as SVG
   (macros/diagrams.py); such a figure has no data-hb-module and nothing here runs for it,
   so its page never requests Mermaid. A figure whose SVG could not be made at build time
   (no browser on the build machine: the build says so) comes as a hidden figure with the
   Mermaid text in pre.hb-diagram__source and Mermaid's settings in data-hb-mermaid
   (components/diagram/diagram.html); this draws it with the vendored Mermaid, loaded from
   this site (no CDN) and only on pages that have such a figure.
   If Mermaid cannot be loaded or cannot draw the text, the figure is shown anyway, with a
   message and the text itself (.hb-diagram--failed), and the error goes to the console. */
(function (HB) {
  "use strict";

  var here = document.currentScript && document.currentScript.src;
  var mermaidUrl = here ? new URL("../vendor/mermaid/mermaid.min.js", here).href : null;
  var loading = null;
  var counter = 0;

  function loadMermaid(settings) {
    if (!loading) {
      loading = (window.mermaid ? Promise.resolve(window.mermaid) : new Promise(function (resolve, reject) {
        if (!mermaidUrl) throw new Error("the address of Mermaid is unknown");
        var script = document.createElement("script");
        script.src = mermaidUrl;
        script.onload = function () { resolve(window.mermaid); };
        script.onerror = function () { reject(new Error("could not load " + mermaidUrl)); };
        document.head.appendChild(script);
      })).then(function (mermaid) {
        // The build's settings, with the fonts of this browser.
        mermaid.initialize(Object.assign({}, settings, {
          startOnLoad: false,
          securityLevel: "strict",
          fontFamily: getComputedStyle(document.body).fontFamily,
        }));
        return mermaid;
      });
    }
    return loading;
  }

  function settingsOf(figure) {
    try {
      return JSON.parse(figure.getAttribute("data-hb-mermaid") || "{}");
    } catch (error) {
      return {};
    }
  }

  function draw(figure, svgText) {
    var holder = document.createElement("div");
    holder.className = "hb-diagram__svg";
    holder.innerHTML = svgText;
    var caption = figure.querySelector("figcaption");
    var svg = holder.querySelector("svg");
    if (svg && caption) {
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", caption.textContent);
    }
    figure.insertBefore(holder, figure.querySelector(".hb-diagram__text") || caption);
    figure.hidden = false;
  }

  function fail(figure, id, error) {
    // Mermaid may leave its scratch element behind when it gives up.
    ["d" + id, id].forEach(function (leftover) {
      var el = document.getElementById(leftover);
      if (el && !figure.contains(el)) el.remove();
    });
    var message = document.createElement("p");
    message.className = "hb-diagram__message";
    message.textContent = HB.t("diagram.failed");
    figure.insertBefore(message, figure.firstChild);
    figure.classList.add("hb-diagram--failed");
    figure.hidden = false;
    console.error("hb: a diagram could not be drawn:", error);
  }

  HB.register("diagram", function (figure) {
    var source = figure.querySelector(".hb-diagram__source").textContent;
    var id = "hb-diagram-" + ++counter;
    loadMermaid(settingsOf(figure))
      .then(function (mermaid) { return mermaid.render(id, source); })
      .then(function (result) { draw(figure, result.svg); })
      .catch(function (error) { fail(figure, id, error); });
  });
})((window.HB = window.HB || {}));
