/* Search runs in our worker, which wraps Material's (../workers/hb-search.js): point the
   theme's configuration at it, naming Material's worker (?material=). Loaded by
   overrides/main.html right after the configuration and before Material's bundle reads it.
   A file, not an inline script, so that the Content-Security-Policy (deploy/) allows only
   the site's own scripts. This folder (theme/): scripts of the theme's templates, not
   components (those are ../<name>.js, listed in mkdocs.yml). */
(function () {
  "use strict";
  var el = document.getElementById("__config");
  var config = JSON.parse(el.textContent);
  var material = config.search.split("/").pop();
  config.search = config.search.replace(material, "hb-search.js?material=" + material);
  el.textContent = JSON.stringify(config);
})();
