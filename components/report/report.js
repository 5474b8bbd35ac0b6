/* Report: what is made from an incident record, and read back from a file. Pure functions.
     HB.report.time           instants: stored as ISO 8601 with their offset, shown in Japan
                              time (Asia/Tokyo) whatever the PC's zone; a date alone stays a date
     firstReport, timeline    the 第一報 (a snapshot in, text out; unanswered: 「未確認」;
                              every field one line: nothing typed can forge a line)
     removedAnswers           answers to questions this edition no longer asks
     clip, uniqueName,        names: cut by grapheme, never two records named alike, and
       listLabels, latest     the record a new tab opens (never one dated in the future)
     changes, entryText       ticks of steps this edition removed or reworded, and how an
                              entry of the timeline reads
     text                     the text export: plain text (.txt), never HTML
   The document itself, the JSON export and its import: record-format.js. */
(function (HB) {
  "use strict";

  var ZONE = "Asia/Tokyo";

  /* --- time ------------------------------------------------------------------------ */

  /* The one parser and formatter of every time of a record (fields, notes, ticks, imports).
     Years 1 to 9999, in Japan time (a year outside is refused with report.year_range,
     never mapped: no two-digit years). Japan time is Asia/Tokyo's rules from 1888 (Intl: JST, and the
     summer time of 1948-1951); before 1888, +09:00 (JST, proleptic), not the local mean
     time the zone database keeps. A stored or imported time may state any offset (Z,
     +09:00, -0500, +09); one without an offset is read as Japan time (fromJson says so). */
  var DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
  var INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
  var JST_FROM = -2587712400000; // 1888-01-01T00:00+09:00: from here on, the zone's rules
  var clock = null; // Intl.DateTimeFormat of the zone, made once (making one is slow)

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function pad4(n) { return ("000" + n).slice(-4); }

  /** The instant of a UTC wall clock, years 0-99 included (Date.UTC maps them to 19xx). */
  function utc(y, m, d, h, mi, s, ms) {
    var t = new Date(0);
    t.setUTCFullYear(y, m - 1, d);
    t.setUTCHours(h, mi, s, ms || 0);
    return t.getTime();
  }

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
    return Math.round((utc(+p.year, +p.month, +p.day, +p.hour % 24, +p.minute, +p.second) -
      Math.floor(ms / 1000) * 1000) / 60000);
  }

  var offsets = {}; // hour since 1970 -> offset: Intl is asked once per hour of the timeline
  var known = 0;

  /** Minutes Japan time is ahead of UTC at instant ms. */
  function offsetAt(ms) {
    if (ms < JST_FROM) return 540;
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

  /** Whether y-m-d h:mi:s is a real date and time (the calendar's, not a rolled-over one). */
  function real(y, m, d, h, mi, s) {
    var t = new Date(utc(y, m, d, 0, 0, 0));
    return y >= 1 && y <= 9999 && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 &&
      t.getUTCDate() === d && h <= 23 && mi <= 59 && s <= 59;
  }

  /** The instant a Japan wall clock names (NaN when the date does not exist). */
  function fromWall(y, m, d, h, mi, s, ms) {
    if (!real(y, m, d, h, mi, s)) return NaN;
    var at = utc(y, m, d, h, mi, s, ms);
    return at - offsetAt(at - offsetAt(at) * 60000) * 60000;
  }

  /** Minutes of an offset written "Z", "+09:00", "-0500" or "+09"; NaN when impossible. */
  function offsetOf(text) {
    if (/^z$/i.test(text)) return 0;
    var m = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
    var h = +m[2], mi = +(m[3] || 0);
    if (h > 23 || mi > 59) return NaN;
    return (m[1] === "-" ? -1 : 1) * (h * 60 + mi);
  }

  /** A stored time read: {ms, date: false, zoned} an instant (zoned: its offset was
      stated), {ms, date: true, text} a date alone (ms: that day's start in Japan), or null
      (not a time, or outside years 1-9999 in Japan time). */
  function parse(value) {
    if (typeof value !== "string") return null;
    var m = DATE.exec(value);
    if (m) {
      var day = fromWall(+m[1], +m[2], +m[3], 0, 0, 0);
      return isNaN(day) ? null : { ms: day, date: true, text: value };
    }
    m = INSTANT.exec(value);
    if (!m) return null;
    var milli = m[7] ? +(m[7] + "00").slice(0, 3) : 0;
    var at;
    if (m[8]) {
      var off = offsetOf(m[8]);
      if (isNaN(off) || !real(+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] || 0))) return null;
      at = utc(+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] || 0), milli) - off * 60000;
      var y = wall(at).y;
      if (y < 1 || y > 9999) return null; // shown in Japan time, it must stay in range
    } else {
      at = fromWall(+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] || 0), milli);
    }
    return isNaN(at) ? null : { ms: at, date: false, zoned: !!m[8] };
  }

  /** "2026-11-26T19:05:00+09:00": instant ms in Japan time, with its offset (and its
      milliseconds, ".123", when there are any: the order of two writes in one second). */
  function iso(ms) {
    var w = wall(ms);
    var off = offsetAt(ms);
    var sign = off < 0 ? "-" : "+";
    var milli = ((ms % 1000) + 1000) % 1000;
    off = Math.abs(off);
    return pad4(w.y) + "-" + pad(w.m) + "-" + pad(w.d) + "T" + pad(w.h) + ":" + pad(w.mi) + ":" + pad(w.s) +
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
    if (!t) return HB.t("report.unknown");
    if (t.date) return HB.t("report.date_only", { date: t.text });
    var w = wall(t.ms);
    return pad4(w.y) + "-" + pad(w.m) + "-" + pad(w.d) + " " + pad(w.h) + ":" + pad(w.mi);
  }

  /** Whether a stored time lies after now (nowMs; a minute's grace: inputs have minutes). */
  function future(value, nowMs) {
    var t = parse(value);
    return !!t && t.ms > nowMs + 60000;
  }

  var time = {
    zone: ZONE,
    parse: parse,
    normal: normal,
    future: future,
    /** Now, as stored. */
    now: function () { return iso(Date.now()); },
    dateTime: dateTime,
    /** dateTime with the zone named: "2026-11-26 19:05（日本時間）". */
    zoned: function (value) {
      var t = parse(value);
      return t && !t.date ? HB.t("report.zoned", { time: dateTime(value) }) : dateTime(value);
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
      return pad4(w.y) + "-" + pad(w.m) + "-" + pad(w.d) + "T" + pad(w.h) + ":" + pad(w.mi);
    },
    /** What a datetime-local input holds (Japan time), as stored; null when empty or bad. */
    fromInput: function (text) {
      var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/.exec(text || "");
      if (!m) return null;
      var ms = fromWall(+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] || 0));
      return isNaN(ms) ? null : iso(ms);
    },
    /** Why a datetime-local input's text (Japan time) is no time to store, in words; ""
        when it is one (or empty). A year of 5 digits or 0000 is refused, never stored. */
    problem: function (text) {
      if (!text || time.fromInput(text)) return "";
      var y = /^\+?(\d+)-/.exec(text);
      return y && (y[1].length !== 4 || +y[1] < 1) ? HB.t("report.year_range") : HB.t("report.date_and_time_needed");
    },
    /** A warning for a field's stored value: 発見日時 after now (nowMs), else "". */
    warning: function (name, value, nowMs) {
      if (name !== "discovered" || !future(value, nowMs)) return "";
      return HB.t("report.discovered_in_future", { time: dateTime(value) });
    },
  };

  /* --- the 第一報 and the text export ----------------------------------------------------- */

  /** Text as one line of a report: line breaks (of any kind) become " ／ ", other control
      characters a space, and bidirectional controls go (they could reorder what is shown).
      Nothing typed or imported can start a line of its own: no forged field or entry. */
  function oneLine(value) {
    return String(value === undefined || value === null ? "" : value)
      .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "")
      .split(/\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/)
      .map(function (line) { return line.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").trim(); })
      .filter(function (line) { return line; })
      .join(HB.t("report.line_break"));
  }

  /** An answer as one value: choices joined, unanswered 未確認. */
  function answer(value) {
    if (Array.isArray(value)) value = value.map(oneLine).filter(Boolean).join(HB.t("report.choice_separator"));
    return oneLine(value) || HB.t("report.unknown");
  }

  /** Answers to questions this edition's form no longer asks (known: its field names), in
      the order of their names: [{name, value}]; unanswered ones left out. */
  function removedAnswers(answers, known) {
    var here = {};
    known.forEach(function (n) { here[n] = true; });
    return Object.keys(answers || {}).filter(function (n) {
      var v = answers[n];
      return !here[n] && (Array.isArray(v) ? v.length : typeof v === "string" && v.trim());
    }).sort().map(function (n) { return { name: n, value: answers[n] }; });
  }

  /* --- names ---------------------------------------------------------------------------- */

  /** text cut to at most n characters as a person counts them (grapheme clusters: an emoji,
      a letter with its marks), with "…" when cut. */
  function clip(text, n) {
    text = String(text);
    var parts;
    if (typeof Intl !== "undefined" && Intl.Segmenter) {
      parts = Array.from(new Intl.Segmenter("ja", { granularity: "grapheme" }).segment(text),
        function (x) { return x.segment; });
    } else {
      parts = Array.from(text); // code points: never half a surrogate pair
    }
    return parts.length > n ? parts.slice(0, n).join("") + "…" : text;
  }

  /** "name（2）": the name numbered. */
  function numbered(name, i) { return HB.t("report.numbered", { name: name, number: i }); }

  /** name, or "name（2）", "name（3）"… when a record of the page (taken: their names) has it. */
  function uniqueName(name, taken) {
    var used = {};
    taken.forEach(function (t) { used[t] = true; });
    if (!used[name]) return name;
    var i = 2;
    while (used[numbered(name, i)]) i++;
    return numbered(name, i);
  }

  /** What a list shows for each of names: every label distinct, a name met again numbered
      （2）, （3）… with a number no record's name or label holds. */
  function listLabels(names) {
    var used = {}, seen = {};
    names.forEach(function (n) { used[n] = true; });
    return names.map(function (n) {
      if (!seen[n]) { seen[n] = true; return n; }
      var i = 2;
      while (used[numbered(n, i)]) i++;
      used[numbered(n, i)] = true;
      return numbered(n, i);
    });
  }

  /** The record a new tab opens (list: [{id, updated}]): the one updated last, where a time
      after now (nowMs: an import from a PC whose clock ran ahead, a typo) counts as none;
      a named record before 既定の記録 at the same time. undefined for an empty list. */
  function latest(list, nowMs) {
    function at(r) { var t = parse(r.updated); return t && t.ms <= nowMs + 60000 ? t.ms : 0; }
    return list.slice().sort(function (a, b) {
      return at(b) - at(a) || (b.id ? 1 : 0) - (a.id ? 1 : 0);
    })[0];
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
      return { stepId: id, text: tick.text || HB.t("report.unworded_step", { id: id }), at: tick.at };
    });
    var reworded = ticked.filter(function (s) { return s.was; });
    return { removed: inOrder(removed), reworded: inOrder(reworded) };
  }

  /** A timeline entry in words: a note marked （メモ）, a step of an earlier edition
      marked, a reworded step with the words it had when ticked. */
  function entryText(e) {
    if (e.kind === "note") return HB.t("report.note_entry", { text: oneLine(e.text) });
    if (e.kind === "removed") return HB.t("report.removed_entry", { text: oneLine(e.text) });
    return e.was ? HB.t("report.reworded_entry", { text: oneLine(e.text), was: oneLine(e.was) }) : oneLine(e.text);
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
                 removed: [{at, text}], notes: [{at, text}],
                 removedAnswers: [{name, value}] (answers to questions this edition removed)}
      Every field is one line, its label and one value (oneLine). */
  function drillMark(drill) { return drill ? HB.t("report.drill_mark") : ""; }

  function firstReport(snapshot) {
    var drill = !!snapshot.drill; // a drill's record: every heading says so
    var lines = [
      HB.t("report.to", { to: oneLine(snapshot.to) }),
      "",
      drillMark(drill) + HB.t("report.title"),
      HB.t("report.type", { type: oneLine(snapshot.type) }),
      HB.t("report.discovered", { time: time.zoned(snapshot.discovered) }),
      HB.t("report.department", { answer: answer(snapshot.department) }),
      HB.t("report.reporter", { answer: answer(snapshot.reporter) }),
    ];
    snapshot.sections.forEach(function (section) {
      lines.push("", "■" + oneLine(section.title));
      section.fields.forEach(function (f) { lines.push(oneLine(f.label) + " " + answer(f.value)); });
    });
    var gone = snapshot.removedAnswers || [];
    if (gone.length) {
      lines.push("", HB.t("report.removed_answers_heading"));
      gone.forEach(function (a) {
        lines.push(HB.t("report.removed_answer", { name: oneLine(a.name), answer: answer(a.value) }));
      });
    }
    if (drill) {
      lines.splice(2, 0, HB.t("report.drill_line"), HB.t("report.drill_scenario", { scenario: oneLine(snapshot.drill) }));
    }
    lines.push("", drillMark(drill) + HB.t("report.timeline_heading"));
    var entries = timeline(snapshot);
    if (!entries.length) lines.push(HB.t("report.unknown"));
    entries.forEach(function (e) {
      lines.push(dateTime(e.at) + " " + entryText(e));
    });
    return lines.join("\n");
  }

  /** The text export: plain text, for any viewer (nothing in it is markup). */
  function text(snapshot) {
    var name = oneLine(snapshot.name) || HB.t("store.default_record");
    var head = [
      snapshot.drill ? drillMark(true) + HB.t("report.drill_record_name", { name: name }) : HB.t("report.record_name", { name: name }),
      HB.t("report.exported_at", { time: time.zoned(time.now()) }),
    ];
    if (oneLine(snapshot.edition)) head.push(HB.t("report.edition", { edition: oneLine(snapshot.edition) }));
    var body = firstReport(snapshot);
    var removed = snapshot.removed || [];
    var reworded = snapshot.steps.filter(function (s) { return s.was; });
    if (removed.length || reworded.length) {
      body += "\n\n" + HB.t("report.changed_steps_heading");
      removed.forEach(function (s) {
        body += "\n" + HB.t("report.removed_step", { text: oneLine(s.text), time: time.zoned(s.at) });
      });
      reworded.forEach(function (s) {
        body += "\n" + HB.t("report.reworded_step", { was: oneLine(s.was), time: time.zoned(s.at), text: oneLine(s.text) });
      });
    }
    if (snapshot.conflicts && snapshot.conflicts.length) {
      body += "\n\n" + HB.t("report.conflicts_heading") + "\n" + snapshot.conflicts.map(function (c) {
        return HB.t("report.conflict", { label: oneLine(c.label), answer: answer(c.value) });
      }).join("\n");
    }
    return head.join("\n") + "\n\n" + body + "\n";
  }

  HB.report = {
    time: time,
    clip: clip,
    uniqueName: uniqueName,
    listLabels: listLabels,
    latest: latest,
    removedAnswers: removedAnswers,
    firstReport: firstReport,
    timeline: timeline,
    changes: changes,
    entryText: entryText,
    text: text,
    oneLine: oneLine,
    /** 【訓練】: what marks a drill's headings (a word: read when used). */
    get DRILL() { return HB.t("report.drill_mark"); },
  };
})((window.HB = window.HB || {}));
