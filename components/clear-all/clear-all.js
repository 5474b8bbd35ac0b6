/* Clear-all: the home page's button (docs/index.md, [data-hb-module=clear-all], hidden
   without JavaScript) that erases this handbook's records in this browser (its store:
   HB.storage.scope, the storage id of data/organization.yml and the site's path) and nothing
   else, after asking with each record's name and page and their count, and saying what it
   leaves (records of another copy, of another store or of an older scheme: store-finder.js
   offers those for import). Then sends hb:storage-cleared (see hb.js). Other tabs stop
   writing the records they showed and say so (storage.js). */
(function (HB) {
  "use strict";

  var LISTED = 15; // names in the question; the rest counted

  function titleOf(pageId) { return HB.pageTitle(pageId); } // hb.js

  /** Records on this origin kept by another store (another copy, another storage id, the
      title-based scope of earlier builds): left as they are. */
  function elsewhere() {
    var mine = "hb:v2:" + HB.storage.scope.key + "|";
    var n = 0;
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var k = localStorage.key(i) || "";
        if (/^hb:v2:/.test(k) && k.indexOf("|record|") > 0 && k.indexOf(mine) !== 0) n++;
      }
    } catch (ignored) { /* no storage: nothing to leave */ }
    return n;
  }

  /** The question, naming what is erased and what is left. */
  function question() {
    var pages = HB.storage.count();
    var lines = [];
    var records = 0, checks = 0;
    Object.keys(pages).sort().forEach(function (pageId) {
      HB.storage.records(pageId).forEach(function (r) {
        if (pageId.indexOf("types/") === 0) {
          records++;
          var name = r.id ? HB.t("store.named_record", { name: r.name || r.id }) : HB.t("store.default_record");
          lines.push(HB.t("store.record_item", { name: HB.report.clip(name, 60), page: titleOf(pageId) }));
        } else {
          checks++;
        }
      });
    });
    var shown = lines.slice(0, LISTED);
    if (lines.length > LISTED) shown.push(HB.t("store.more_records", { count: lines.length - LISTED }));
    var counts = { handbook: HB.storage.scope.legacy, records: records, checks: checks };
    var text = checks ? HB.t("clear_all.erase_records_and_checks", counts) : HB.t("clear_all.erase_records", counts);
    if (shown.length) text += "\n" + shown.join("\n");
    var others = elsewhere();
    text += "\n\n" + (others ? HB.t("clear_all.others_kept_counted", { count: others }) : HB.t("clear_all.others_kept"));
    return text;
  }

  HB.register("clear-all", function (button) {
    button.addEventListener("click", function () {
      if (!window.confirm(question())) return;
      HB.storage.clear();
      try { // what store-finder.js imported or hid, for this store: its records are gone
        localStorage.removeItem("hb:store-finder:" + HB.storage.scope.key);
      } catch (ignored) { /* nothing kept */ }
      HB.emit(button, "hb:storage-cleared");
    });
    button.hidden = false;
  });
})((window.HB = window.HB || {}));
