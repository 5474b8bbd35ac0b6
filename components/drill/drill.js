/* Drill (訓練): a record of its own kind (record-format.js: kind "drill", scenario, started,
   and events "e:report", "e:inject-<n>", "e:end"). Mounts on section[data-hb-module=drill]
   (components/drill/drill.html, at the top of a type page) and drives the 「訓練を始める」
   block further down ([data-hb-drill-start], drill-start.html).
   While the tab shows a drill: a banner (role=alert) and the tab's title say 【訓練】, the
   scenario's card is shown (the manual's 事故事例 and 発覚のきっかけ as written, the office's
   words marked 「事務局が作成」), and each inject appears once its time has come. Times come
   from timestamps (Date.now() - started), checked every second while visible and at once
   when the tab is shown again: a locked screen or a background tab misses nothing.
   The 第一報 counts as ready when it is first copied or printed (its buttons, record.js).
   「訓練を終える」 records the end and shows the 振り返り (HB.drill.review: pure), exported as
   text or JSON and printed on one sheet, with the past drills of the same scenario. */
(function (HB) {
  "use strict";

  var T = function () { return HB.report.time; };
  var MINUTE = 60000;

  function ms(value) { var t = T().parse(value); return t ? t.ms : null; }

  /** "12分05秒" for a duration in ms (null: 「—」). */
  function duration(d) {
    if (d === null || d === undefined || isNaN(d)) return "—";
    var s = Math.max(0, Math.floor(d / 1000));
    var m = Math.floor(s / 60);
    return HB.t("drill.duration", { minutes: m, seconds: ("0" + (s % 60)).slice(-2) });
  }

  /** The 振り返り of a drill record (pure). doc: the session's view (kind, started, steps,
      events, answers, notes); plan: {phases: [{id, title, steps}], scenario: the card};
      words: step id -> its words; questions: [{name, label}] of the record's form. */
  function review(doc, plan, words, questions) {
    var start = ms(doc.started);
    var events = doc.events || {};
    var scenario = plan.scenario || { injects: [], targets: [] };
    var targets = {};
    (scenario.targets || []).forEach(function (t) { targets[t.phase] = t.minutes; });
    function since(at) { var t = ms(at); return t === null || start === null ? null : t - start; }
    var phases = plan.phases.map(function (p) {
      var times = p.steps.map(function (id) { return doc.steps[id] ? ms(doc.steps[id].at) : null; })
        .filter(function (t) { return t !== null; }).sort(function (a, b) { return a - b; });
      var first = times.length ? times[0] : null, last = times.length ? times[times.length - 1] : null;
      var out = {
        id: p.id, title: p.title, ticked: times.length, steps: p.steps.length,
        first: first === null ? "" : T().normal(new Date(first).toISOString()),
        last: last === null ? "" : T().normal(new Date(last).toISOString()),
        seconds: first === null ? null : Math.round((last - first) / 1000),
        fromStart: last === null || start === null ? null : Math.round((last - start) / 1000),
      };
      if (targets[p.id]) {
        out.targetMinutes = targets[p.id];
        out.met = out.fromStart !== null && out.steps === out.ticked && out.fromStart <= targets[p.id] * 60;
      }
      return out;
    });
    var notDone = [];
    plan.phases.forEach(function (p) {
      p.steps.forEach(function (id) {
        if (!doc.steps[id]) notDone.push({ phase: p.title, stepId: id, text: words[id] || id });
      });
    });
    var unanswered = questions.filter(function (q) {
      var v = doc.answers[q.name];
      return Array.isArray(v) ? !v.length : !(typeof v === "string" && v.trim());
    }).map(function (q) { return q.label; });
    var report = since(events.report);
    return {
      scenario: scenario.title || doc.scenario,
      scenarioId: doc.scenario,
      name: doc.name,
      started: doc.started,
      ended: events.end || "",
      firstReport: events.report || "",
      firstReportSeconds: report === null ? null : Math.round(report / 1000),
      phases: phases,
      injects: (scenario.injects || []).map(function (inj, i) {
        var at = events["inject-" + (i + 1)] || "";
        return { number: i + 1, afterMinutes: inj.after, text: inj.text, shown: at };
      }),
      notDone: notDone,
      unanswered: unanswered,
      notes: doc.notes.map(function (n) { return { at: n.at, text: n.text }; }),
    };
  }

  function secs(s) { return s === null ? null : s * 1000; }

  /** The 振り返り as plain text (every value one line). */
  function reviewText(r) {
    var L = HB.report.oneLine, Z = T().zoned;
    var lines = [
      HB.t("drill.review_heading"),
      HB.recordFormat.DRILL_NOTICE,
      HB.t("drill.scenario", { title: L(r.scenario) }),
      HB.t("drill.review_record", { name: L(r.name || HB.t("drill.no_name")) }),
      HB.t("drill.review_started", { at: Z(r.started) }),
      HB.t("drill.review_ended", { at: r.ended ? Z(r.ended) : HB.t("drill.not_ended") }),
      r.firstReport ? HB.t("drill.review_first_report", { duration: duration(secs(r.firstReportSeconds)), at: Z(r.firstReport) })
        : HB.t("drill.review_no_first_report"),
      "",
      HB.t("drill.review_phases_heading"),
    ];
    r.phases.forEach(function (p) {
      var line = p.ticked
        ? HB.t("drill.review_phase", { phase: L(p.title), duration: duration(secs(p.seconds)), ticked: p.ticked, steps: p.steps, from_start: duration(secs(p.fromStart)) })
        : HB.t("drill.review_phase_none", { phase: L(p.title), steps: p.steps });
      if (p.targetMinutes) {
        line += p.met ? HB.t("drill.review_target_met", { minutes: p.targetMinutes })
          : HB.t("drill.review_target_missed", { minutes: p.targetMinutes });
      }
      lines.push(line);
    });
    lines.push("", HB.t("drill.review_injects_heading"));
    if (!r.injects.length) lines.push(HB.t("drill.review_none"));
    r.injects.forEach(function (i) {
      var values = { number: i.number, minutes: i.afterMinutes, text: L(i.text) };
      if (i.shown) values.at = T().dateTime(i.shown);
      lines.push(i.shown ? HB.t("drill.review_inject_shown", values) : HB.t("drill.review_inject_not_shown", values));
    });
    lines.push("", HB.t("drill.review_not_done_heading", { count: r.notDone.length }));
    r.notDone.forEach(function (s) { lines.push(L(s.phase) + " " + L(s.text)); });
    lines.push("", HB.t("drill.review_unanswered_heading", { count: r.unanswered.length }));
    r.unanswered.forEach(function (q) { lines.push(L(q)); });
    lines.push("", HB.t("drill.review_notes_heading", { count: r.notes.length }));
    r.notes.forEach(function (n) { lines.push(T().dateTime(n.at) + " " + L(n.text)); });
    return lines.join("\n") + "\n";
  }

  function reviewJson(r, page) {
    return JSON.stringify(Object.assign({
      format: "hb-drill-review", version: 1, kind: "drill", notice: HB.recordFormat.DRILL_NOTICE, page: page,
      exported: T().now(),
    }, r), null, 1);
  }

  // the header's 【訓練】 mark (drill.css) only while a drill is shown: a page without one
  // (instant navigation elsewhere) takes it off
  document.addEventListener("hb:page-mounted", function () {
    if (!document.querySelector("[data-hb-module=drill]:not([hidden])")) document.body.classList.remove("hb-drilling");
  });

  HB.register("drill", function (section) {
    var pageId = section.getAttribute("data-hb-page");
    var page = HB.pageOf(section);
    var data = JSON.parse(section.getAttribute("data-hb-drill"));
    data.phases.forEach(function (p) { // the titles as the page's headings say them
      var heading = document.getElementById(p.id);
      p.title = heading ? heading.textContent.trim() : p.id;
    });
    var session = HB.storage.session(pageId);
    var banner = section.querySelector("[data-hb-drill-banner]");
    var run = section.querySelector("[data-hb-drill-run]");
    var elapsed = section.querySelector("[data-hb-drill-elapsed]");
    var card = section.querySelector("[data-hb-drill-card]");
    var injectList = section.querySelector("[data-hb-drill-injects]");
    var injectAlert = section.querySelector("[data-hb-drill-inject-alert]");
    var reviewBox = section.querySelector("[data-hb-drill-review]");
    var reviewBody = section.querySelector("[data-hb-drill-review-body]");
    var history = section.querySelector("[data-hb-drill-history]");
    var start = page.querySelector("[data-hb-drill-start]");
    var mark = HB.t("report.drill_mark");
    var title = document.title.indexOf(mark) === 0 ? document.title.slice(mark.length) : document.title;
    var timer = null;
    var announced = { id: null, n: 0 }; // injects shown so far: a new one is announced

    function scenarioOf(id) {
      return data.scenarios.filter(function (s) { return s.id === id; })[0] ||
        { id: id, title: id || HB.t("drill.unknown_scenario"), case: "", triggers: [], text: "", injects: [], targets: [] };
    }
    function el(tag, text, cls) {
      var e = document.createElement(tag);
      if (text !== undefined) e.textContent = text;
      if (cls) e.className = cls;
      return e;
    }
    function say(text) { session.notify({ type: "message", text: text }); }

    function drawCard(s) {
      card.textContent = "";
      card.appendChild(el("p", HB.t("drill.scenario", { title: s.title }), "hb-drill__title"));
      if (s.case) {
        card.appendChild(el("p", HB.t("drill.card_case"), "hb-drill__label"));
        card.appendChild(el("p", s.case, "hb-drill__case"));
      }
      if (s.triggers.length) {
        card.appendChild(el("p", HB.t("drill.triggers_label"), "hb-drill__label"));
        card.appendChild(el("p", s.triggers.join(HB.t("drill.trigger_separator")), "hb-drill__trigger"));
      }
      if (s.text) {
        card.appendChild(el("p", HB.t("drill.situation_label"), "hb-drill__label"));
        card.appendChild(el("p", s.text, "hb-drill__own"));
      }
    }

    /** Injects whose time has come are written (once: the earliest write is the one). */
    function check() {
      var doc = session.doc;
      if (!doc.kind) return stopTimer();
      var t0 = ms(doc.started);
      var now = Date.now();
      elapsed.textContent = t0 === null ? "—" : duration(now - t0);
      if (doc.events.end || t0 === null) return;
      var s = scenarioOf(doc.scenario);
      s.injects.forEach(function (inj, i) {
        var key = "inject-" + (i + 1);
        if (!doc.events[key] && now - t0 >= inj.after * MINUTE) session.set("e:" + key, { at: T().now() });
      });
    }

    function stopTimer() { clearInterval(timer); timer = null; }

    function drawInjects() {
      var doc = session.doc;
      var s = scenarioOf(doc.scenario);
      var shown = s.injects.map(function (inj, i) { return { inj: inj, n: i + 1, at: doc.events["inject-" + (i + 1)] }; })
        .filter(function (x) { return x.at; });
      var before = announced.id === session.id ? announced.n : shown.length; // a record met anew: no alert
      announced = { id: session.id, n: shown.length };
      injectList.textContent = "";
      shown.forEach(function (x) {
        var li = el("li");
        li.setAttribute("data-hb-inject", String(x.n));
        li.appendChild(el("span", HB.t("drill.inject_label", { number: x.n, minutes: x.inj.after }), "hb-drill__label"));
        li.appendChild(document.createTextNode(x.inj.text));
        injectList.appendChild(li);
      });
      if (!shown.length) injectList.appendChild(el("li", HB.t("drill.injects_none"), "hb-drill__none"));
      if (shown.length > before) {
        var last = shown[shown.length - 1];
        injectAlert.textContent = HB.t("drill.inject_alert", { number: last.n, text: last.inj.text });
      }
    }

    function questions() {
      var form = page.querySelector("[data-hb-record-form]");
      if (!form) return [];
      var seen = {};
      var out = [];
      form.querySelectorAll(".hb-field").forEach(function (field) {
        var control = field.querySelector("[name]");
        if (!control || seen[control.name]) return;
        seen[control.name] = true;
        var caption = field.tagName === "FIELDSET" ? field.querySelector("legend") : field.querySelector("label");
        out.push({ name: control.name, label: caption ? caption.textContent.trim() : control.name });
      });
      return out;
    }

    function currentReview() {
      var doc = session.doc;
      return review(doc, { phases: data.phases, scenario: scenarioOf(doc.scenario) }, session.steps, questions());
    }

    function drawReview() {
      var r = currentReview();
      reviewBody.textContent = "";
      var pre = el("pre", reviewText(r), "hb-drill__review-text");
      reviewBody.appendChild(pre);
      drawHistory();
    }

    function drawHistory() {
      var doc = session.doc;
      var rows = HB.storage.records(pageId).filter(function (r) { return r.kind && r.scenario === doc.scenario; });
      history.textContent = "";
      var table = el("table", undefined, "hb-drill__table");
      var head = el("tr");
      [HB.t("drill.history_record"), HB.t("drill.history_started"), HB.t("drill.history_first_report"),
        HB.t("drill.history_steps"), HB.t("drill.history_unanswered"), HB.t("drill.history_ended")].forEach(function (h) { head.appendChild(el("th", h)); });
      var thead = el("thead");
      thead.appendChild(head);
      table.appendChild(thead);
      var body = el("tbody");
      rows.forEach(function (row) {
        var stored = row.id === session.id ? null : HB.storage.load(pageId, row.id);
        var view = row.id === session.id ? session.doc : stored && Object.assign(HB.crdt.view(stored), {
          kind: HB.recordFormat.kindOf(stored), scenario: stored.scenario || "", started: stored.started || "",
        });
        if (!view) return;
        var r = review(view, { phases: data.phases, scenario: scenarioOf(view.scenario) }, session.steps, questions());
        var done = r.phases.reduce(function (n, p) { return n + p.ticked; }, 0);
        var all = r.phases.reduce(function (n, p) { return n + p.steps; }, 0);
        var tr = el("tr");
        [r.name || HB.t("drill.no_name"), T().dateTime(r.started), r.firstReport ? duration(secs(r.firstReportSeconds)) : "—",
          done + "/" + all, String(r.unanswered.length), r.ended ? T().dateTime(r.ended) : HB.t("drill.not_ended")].forEach(function (c) {
          tr.appendChild(el("td", c));
        });
        if (row.id === session.id) tr.setAttribute("aria-current", "true");
        body.appendChild(tr);
      });
      table.appendChild(body);
      history.appendChild(table);
    }

    function draw() {
      if (!document.contains(section)) return stopTimer();
      var doc = session.doc;
      var drill = !!doc.kind;
      section.hidden = !drill;
      if (start) start.hidden = false;
      document.title = (drill ? mark : "") + title;
      document.body.classList.toggle("hb-drilling", drill);
      if (!drill) {
        stopTimer();
        banner.textContent = "";
        return;
      }
      var s = scenarioOf(doc.scenario);
      var ended = !!doc.events.end;
      banner.textContent = ended ? HB.t("drill.banner_ended", { scenario: s.title }) : HB.t("drill.banner_running", { scenario: s.title });
      drawCard(s);
      run.hidden = ended;
      drawInjects();
      reviewBox.hidden = !ended;
      if (ended) drawReview();
      check();
      if (!ended && !timer) timer = setInterval(function () {
        if (!document.contains(section)) stopTimer(); // the page was left (instant navigation)
        else if (document.visibilityState !== "hidden") check();
      }, 1000);
    }

    session.watch(section, function (news) {
      if (news.type === "switched" || news.type === "synced" || news.type === "changed" || news.type === "list") draw();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && document.contains(section)) check();
    });
    page.addEventListener("hb:steps-changed", function (event) {
      if (event.detail.pageId === pageId && session.doc.kind && session.doc.events.end) drawReview();
    });

    // the 第一報 is ready when it is first copied or printed
    page.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-hb-copy], [data-hb-print-record]");
      if (!button || !session.doc.kind || session.doc.events.report) return;
      session.set("e:report", { at: T().now() });
    }, true);

    section.querySelector("[data-hb-drill-end]").addEventListener("click", function () {
      if (!session.doc.kind || session.doc.events.end) return;
      check(); // injects due by now are recorded first
      session.set("e:end", { at: T().now() });
      say(HB.t("drill.ended_message"));
      var heading = section.querySelector("#drill-review");
      if (heading && heading.scrollIntoView) heading.scrollIntoView();
    });

    var download = HB.download;
    function fileName(ext) {
      return "drill-review-" + pageId.split("/").pop() + "-" + (session.doc.scenario || "x") + "-" +
        T().dateTime(session.doc.started).replace(/[^0-9]/g, "") + "." + ext;
    }
    section.querySelector("[data-hb-drill-review-text]").addEventListener("click", function () {
      download(fileName("txt"), "text/plain;charset=utf-8", reviewText(currentReview()));
    });
    section.querySelector("[data-hb-drill-review-json]").addEventListener("click", function () {
      download(fileName("json"), "application/json", reviewJson(currentReview(), pageId));
    });
    section.querySelector("[data-hb-drill-review-print]").addEventListener("click", function () {
      drawReview();
      HB.printWith("hb-print-review");
    });

    if (start) {
      var choice = start.querySelector("[data-hb-drill-scenario]");
      start.querySelector("[data-hb-drill-start-button]").addEventListener("click", function () {
        var s = scenarioOf(choice.value);
        var name = HB.report.uniqueName(HB.t("drill.record_name", { at: T().dateTime(T().now()), scenario: s.title }),
          HB.storage.records(pageId).map(function (r) { return r.name; }));
        var error = session.create(name, null, { scenario: s.id });
        say(error ? HB.t("drill.start_not_saved", { name: name, why: HB.storage.why(error) })
          : HB.t("drill.started_message", { name: name }));
        if (section.scrollIntoView) section.scrollIntoView();
      });
      start.hidden = false;
    }
    draw();
  });
})((window.HB = window.HB || {}));
