/* Report: what is made from an incident record, and read back from a file. Pure functions.
     HB.report.time           instants: stored as ISO 8601 with their offset, shown in Japan
                              time (Asia/Tokyo) whatever the PC's zone; a date alone stays a date
     firstReport, timeline    the 第一報 (a snapshot in, text out; unanswered: 「未確認」)
     changes, entryText       ticks of steps this edition removed or reworded, and how an
                              entry of the timeline reads
     text                     the text export: plain text (.txt), never HTML
   The document itself, the JSON export and its import: record-format.js. */
(function (HB) {
  "use strict";

  var UNKNOWN = "未確認";
  var ZONE = "Asia/Tokyo";
  var ZONE_NAME = "日本時間";

  /* --- time ------------------------------------------------------------------------ */

  var DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
  var WALL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;
  var ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
  var clock = null; // Intl.DateTimeFormat of the zone, made once (making one is slow)

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /** Minutes Japan time is ahead of UTC at instant ms, from Intl (the zone's rules). */
  function zoneOffset(ms) {
    if (!clock) {
      clock = new Intl.DateTimeFormat("en-US", {
        timeZone: ZONE, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", second: "2-digit",
      });
    }
    var p = {};
    clock.formatToParts(new Date(ms)).forEach(function (part) { p[part.type] = part.value; });
    return Math.round((Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second) -
      Math.floor(ms / 1000) * 1000) / 60000);
  }

  var offsets = {}; // hour since 1970 -> offset: Intl is asked once per hour of the timeline
  var known = 0;

  /** Minutes Japan time is ahead of UTC at instant ms. */
  function offsetAt(ms) {
    var hour = Math.floor(ms / 3600000);
    if (!(hour in offsets)) {
      if (++known > 10000) { offsets = {}; known = 1; }
      offsets[hour] = zoneOffset(hour * 3600000);
    }
    return offsets[hour];
  }

  /** The wall clock of instant ms in Japan: {y, m, d, h, mi, s}. */
  function wall(ms) {
    var d = new Date(ms + offsetAt(ms) * 60000);
    return {
      y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(),
      h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds(),
    };
  }

  /** The instant a Japan wall clock names (NaN when the date does not exist). */
  function fromWall(y, m, d, h, mi, s) {
    var utc = Date.UTC(y, m - 1, d, h, mi, s);
    var check = new Date(utc);
    if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return NaN;
    var ms = utc - offsetAt(utc) * 60000;
    return utc - offsetAt(ms) * 60000;
  }

  /** A stored time read: {ms, date: false} an instant, {ms, date: true, text} a date alone
      (ms: that day's start in Japan), or null. Without an offset, a date-time is Japan time. */
  function parse(value) {
    if (typeof value !== "string") return null;
    var m = DATE.exec(value);
    if (m) {
      var day = fromWall(+m[1], +m[2], +m[3], 0, 0, 0);
      return isNaN(day) ? null : { ms: day, date: true, text: value };
    }
    if (ZONED.test(value)) {
      var ms = Date.parse(value);
      return isNaN(ms) ? null : { ms: ms, date: false };
    }
    m = WALL.exec(value);
    if (m) {
      var at = fromWall(+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] || 0));
      return isNaN(at) ? null : { ms: at, date: false };
    }
    return null;
  }

  /** "2026-11-26T19:05:00+09:00": instant ms in Japan time, with its offset (and its
      milliseconds, ".123", when there are any: the order of two writes in one second). */
  function iso(ms) {
    var w = wall(ms);
    var off = offsetAt(ms);
    var sign = off < 0 ? "-" : "+";
    var milli = ((ms % 1000) + 1000) % 1000;
    off = Math.abs(off);
    return w.y + "-" + pad(w.m) + "-" + pad(w.d) + "T" + pad(w.h) + ":" + pad(w.mi) + ":" + pad(w.s) +
      (milli ? "." + String(1000 + milli).slice(1) : "") + sign + pad(Math.floor(off / 60)) + ":" + pad(off % 60);
  }

  /** The stored form of a time: an instant with its offset, a date alone, or null. */
  function normal(value) {
    var t = parse(value);
    return !t ? null : t.date ? t.text : iso(t.ms);
  }

  /** "2026-11-26 19:05" in Japan time; a date alone: "2026-11-26（時刻なし）"; else 未確認. */
  function dateTime(value) {
    var t = parse(value);
    if (!t) return UNKNOWN;
    if (t.date) return t.text + "（時刻なし）";
    var w = wall(t.ms);
    return w.y + "-" + pad(w.m) + "-" + pad(w.d) + " " + pad(w.h) + ":" + pad(w.mi);
  }

  var time = {
    zone: ZONE,
    parse: parse,
    normal: normal,
    /** Now, as stored. */
    now: function () { return iso(Date.now()); },
    dateTime: dateTime,
    /** dateTime with the zone named: "2026-11-26 19:05（日本時間）". */
    zoned: function (value) {
      var t = parse(value);
      return t && !t.date ? dateTime(value) + "（" + ZONE_NAME + "）" : dateTime(value);
    },
    /** "11/26 10:42": when a step was ticked, in Japan time. */
    short: function (value) {
      var t = parse(value);
      if (!t) return "";
      var w = wall(t.ms);
      return w.m + "/" + w.d + (t.date ? "" : " " + pad(w.h) + ":" + pad(w.mi));
    },
    /** What a datetime-local input shows for a stored time ("2026-11-26T19:05", Japan time). */
    toInput: function (value) {
      var t = parse(value);
      if (!t) return "";
      var w = wall(t.ms);
      return w.y + "-" + pad(w.m) + "-" + pad(w.d) + "T" + pad(w.h) + ":" + pad(w.mi);
    },
    /** What a datetime-local input holds (Japan time), as stored; null when empty or bad. */
    fromInput: function (text) {
      var m = WALL.exec(text || "");
      if (!m) return null;
      var ms = fromWall(+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] || 0));
      return isNaN(ms) ? null : iso(ms);
    },
  };

  /* --- the 第一報 and the text export ----------------------------------------------------- */

  function answer(value) {
    if (Array.isArray(value)) return value.length ? value.join("、") : UNKNOWN;
    return value && String(value).trim() ? String(value).trim() : UNKNOWN;
  }

  /** What a record's ticks say that this edition's page no longer does. stored: the
      record's steps {stepId: {at, text}}; ticked: the page's ticked steps [{stepId, text,
      at, was}] (was: the words when ticked, where they differ); known: every step id of
      the page. {removed: [{stepId, text, at}] (ticks of steps no longer on the page, with
      their words when ticked), reworded: the ticked steps with was}, each earliest first. */
  function changes(stored, ticked, known) {
    var here = {};
    known.forEach(function (id) { here[id] = true; });
    var removed = Object.keys(stored).filter(function (id) { return !here[id]; }).map(function (id) {
      var tick = stored[id];
      return { stepId: id, text: tick.text || "（文言の記録なし）手順 " + id, at: tick.at };
    });
    var reworded = ticked.filter(function (s) { return s.was; });
    return { removed: inOrder(removed), reworded: inOrder(reworded) };
  }

  /** A timeline entry in words: a note marked （メモ）, a step of an earlier edition
      marked, a reworded step with the words it had when ticked. */
  function entryText(e) {
    if (e.kind === "note") return "（メモ）" + e.text;
    if (e.kind === "removed") return "（この版で削除された手順）" + e.text;
    return e.was ? e.text + "（チェックした時の文言: " + e.was + "）" : e.text;
  }

  /** Entries earliest instant first (a date alone: the start of its day; no time: last). */
  function inOrder(entries) {
    var keyed = entries.map(function (e, i) {
      var t = parse(e.at);
      return { e: e, ms: t ? t.ms : Infinity, i: i };
    });
    keyed.sort(function (a, b) { return (a.ms - b.ms) || a.i - b.i; }); // NaN (two unknowns): by order
    return keyed.map(function (k) { return k.e; });
  }

  /** Ticked steps, ticks of steps no longer in this edition (snapshot.removed) and notes,
      earliest first: [{at, text, kind: "step" | "removed" | "note", was, id}]. */
  function timeline(snapshot) {
    var entries = snapshot.steps.map(function (s) { return { at: s.at, text: s.text, kind: "step", was: s.was }; })
      .concat((snapshot.removed || []).map(function (s) { return { at: s.at, text: s.text, kind: "removed" }; }))
      .concat(snapshot.notes.map(function (n) { return { at: n.at, text: n.text, kind: "note", id: n.id }; }));
    return inOrder(entries);
  }

  /** snapshot: {to, type, name, discovered, department, reporter,
                 sections: [{title, fields: [{label, value}]}], steps: [{at, text, was}],
                 removed: [{at, text}], notes: [{at, text}]} */
  function firstReport(snapshot) {
    var lines = [
      "宛先: " + snapshot.to,
      "",
      "【第一報】情報セキュリティ事故の発生について",
      "事故のタイプ: " + snapshot.type,
      "発見日時: " + time.zoned(snapshot.discovered),
      "所属: " + answer(snapshot.department),
      "報告者: " + answer(snapshot.reporter),
    ];
    snapshot.sections.forEach(function (section) {
      lines.push("", "■" + section.title);
      section.fields.forEach(function (f) { lines.push(f.label + " " + answer(f.value)); });
    });
    lines.push("", "■これまでの対応と経過（" + ZONE_NAME + "）");
    var entries = timeline(snapshot);
    if (!entries.length) lines.push(UNKNOWN);
    entries.forEach(function (e) {
      lines.push(dateTime(e.at) + " " + entryText(e));
    });
    return lines.join("\n");
  }

  /** The text export: plain text, for any viewer (nothing in it is markup). */
  function text(snapshot) {
    var head = [
      "事故対応記録: " + (snapshot.name || "既定の記録"),
      "書き出した日時: " + time.zoned(time.now()),
    ];
    if (snapshot.edition) head.push("記録を始めた版: " + snapshot.edition);
    var body = firstReport(snapshot);
    var removed = snapshot.removed || [];
    var reworded = snapshot.steps.filter(function (s) { return s.was; });
    if (removed.length || reworded.length) {
      body += "\n\n■この版で削除・変更された手順（チェックした時の文言）";
      removed.forEach(function (s) {
        body += "\n削除: " + s.text + "（チェック: " + time.zoned(s.at) + "）";
      });
      reworded.forEach(function (s) {
        body += "\n変更: " + s.was + "（チェック: " + time.zoned(s.at) + "）→ 今の版: " + s.text;
      });
    }
    if (snapshot.conflicts && snapshot.conflicts.length) {
      body += "\n\n■2つのタブで別々に入力された値（未解決）\n" + snapshot.conflicts.map(function (c) {
        return c.label + " 別のタブの値: " + answer(c.value);
      }).join("\n");
    }
    return head.join("\n") + "\n\n" + body + "\n";
  }

  HB.report = {
    time: time,
    firstReport: firstReport,
    timeline: timeline,
    changes: changes,
    entryText: entryText,
    text: text,
  };
})((window.HB = window.HB || {}));
