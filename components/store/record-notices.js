/* Record notices: what a page says about storage, above its content (.hb-storage-notice,
   styled in components/hb/hb.css), one per kind: "fault" (writes fail), "orphaned" (the record shown
   was deleted elsewhere and no record view says so), "migrate" (records of the old format
   could not be written in the new one). Also HB.notices.why(error): a failed write in words. */
(function (HB) {
  "use strict";

  function show(kind, text) {
    var content = document.querySelector("article.md-content__inner") || document.body;
    if (content.querySelector(".hb-storage-notice[data-kind=" + kind + "]")) return;
    var notice = document.createElement("p");
    notice.className = "hb-storage-notice";
    notice.setAttribute("data-kind", kind);
    notice.setAttribute("role", "status");
    var h1 = content.querySelector("h1");
    if (h1) h1.insertAdjacentElement("afterend", notice); else content.prepend(notice);
    // Screen readers announce a change in a live region they have seen, not one that
    // arrives with its text: the region comes first, its words a moment later.
    setTimeout(function () { notice.textContent = text; }, 100);
  }

  function hide(kind) {
    document.querySelectorAll(".hb-storage-notice[data-kind=" + kind + "]").forEach(function (n) { n.remove(); });
  }

  var shown = {}; // kind -> text: shown again on every page while it holds
  HB.notices = {
    // the notices' words (store/words.yml), read when shown
    get NOTICE() { return HB.t("store.notice_no_storage"); },
    get ORPHANED() { return HB.t("store.notice_orphaned"); },
    get UNMIGRATED() { return HB.t("store.notice_unmigrated"); },
    show: function (kind, text) {
      if (kind === "migrate") shown[kind] = text;
      show(kind, text);
    },
    hide: hide,
    /** Show again the notices that hold for the whole visit (after a page change). */
    again: function () { Object.keys(shown).forEach(function (k) { show(k, shown[k]); }); },
    /** Why a write failed, in a few words. */
    why: function (error) {
      var name = error && error.name;
      if (name === "QuotaExceededError") return HB.t("store.storage_full");
      if (name === "SecurityError") return HB.t("store.storage_not_allowed");
      return HB.t("store.cannot_save", { reason: name || HB.t("store.unknown_reason") });
    },
  };
})((window.HB = window.HB || {}));
