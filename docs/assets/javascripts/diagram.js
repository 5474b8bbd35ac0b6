/* Diagram: draws a Mermaid diagram (macros/templates/diagram.html: a hidden figure with
   the Mermaid text in pre.hb-diagram__source) with the vendored Mermaid, loaded from this
   site (no CDN) and only on pages that have a diagram.
   If Mermaid cannot be loaded or cannot draw the text, the figure is shown anyway, with a
   message and the text itself (.hb-diagram--failed), and the error goes to the console. */
(function (HB) {
  "use strict";

  var FAILED = "図を表示できませんでした。内容は次のとおりです。";
  var here = document.currentScript && document.currentScript.src;
  var mermaidUrl = here ? new URL("../vendor/mermaid/mermaid.min.js", here).href : null;
  var loading = null;
  var counter = 0;

  function loadMermaid() {
    if (window.mermaid) return Promise.resolve(window.mermaid);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (!mermaidUrl) throw new Error("the address of Mermaid is unknown");
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
    figure.insertBefore(holder, caption);
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
    message.textContent = FAILED;
    figure.insertBefore(message, figure.firstChild);
    figure.classList.add("hb-diagram--failed");
    figure.hidden = false;
    console.error("hb: a diagram could not be drawn:", error);
  }

  HB.register("diagram", function (figure) {
    var source = figure.querySelector(".hb-diagram__source").textContent;
    var id = "hb-diagram-" + ++counter;
    loadMermaid()
      .then(function (mermaid) { return mermaid.render(id, source); })
      .then(function (result) { draw(figure, result.svg); })
      .catch(function (error) { fail(figure, id, error); });
  });
})((window.HB = window.HB || {}));
