/* Record CRDT: the pure merge of a record's versions (no DOM, no storage).

   A state is {clock: {replica: n}, items: {key: [entry]}}, entry = {dot: "replica:n", at,
   value}. Each JS context (a tab's visit) is one replica with a counter; every write or
   delete it makes takes the next number (a "dot"), and clock[replica] is the highest number
   of that replica whose effects the state holds (a version vector: a state is always
   made of whole states, so holding n means holding everything that replica did up to n).
     write(K, V): items[K] = [one new entry]   (covers every value K had here)
     remove(K):   items[K] gone, clock bumped  (its dots stay covered by the clock: a stale
                                               copy that still has them can never bring them back)
   merge(A, B) keeps an entry when both have it, or when the other side's clock has not seen
   its dot (an addition the other side never knew about); clocks take the pointwise max.
   That is a join: commutative, associative, idempotent (components/store/test_record_merge.py), so tabs
   that merge whatever they read converge whatever the order. A key left with two entries
   was written in two tabs that had not seen each other's write: a conflict to show. */
(function (HB) {
  "use strict";

  var OWN = Object.prototype.hasOwnProperty;

  function has(map, key) { return OWN.call(map, key); }
  function split(dot) {
    var i = dot.lastIndexOf(":");
    return { r: dot.slice(0, i), n: +dot.slice(i + 1) };
  }
  function covers(clock, dot) {
    var d = split(dot);
    return has(clock, d.r) && clock[d.r] >= d.n;
  }
  function byDot(a, b) { return a.dot < b.dot ? -1 : a.dot > b.dot ? 1 : 0; }

  /** Key written anew by replica at counter n (n above every number it used before). */
  function write(state, replica, n, key, value, at) {
    state.items[key] = [{ dot: replica + ":" + n, at: at || "", value: value }];
    state.clock[replica] = Math.max(state.clock[replica] || 0, n);
    return state;
  }

  /** Key removed by replica at counter n: what it held is covered, so it stays removed. */
  function remove(state, replica, n, key) {
    delete state.items[key];
    state.clock[replica] = Math.max(state.clock[replica] || 0, n);
    return state;
  }

  /** The join of two states (new object; entries are shared, never mutated). */
  function merge(a, b) {
    var out = { clock: {}, items: {} };
    [a.clock, b.clock].forEach(function (c) {
      Object.keys(c).forEach(function (r) { out.clock[r] = Math.max(out.clock[r] || 0, c[r]); });
    });
    var keys = {};
    Object.keys(a.items).forEach(function (k) { keys[k] = true; });
    Object.keys(b.items).forEach(function (k) { keys[k] = true; });
    Object.keys(keys).forEach(function (k) {
      var ea = has(a.items, k) ? a.items[k] : [], eb = has(b.items, k) ? b.items[k] : [];
      var inA = {}, inB = {};
      ea.forEach(function (e) { inA[e.dot] = true; });
      eb.forEach(function (e) { inB[e.dot] = true; });
      var kept = ea.filter(function (e) { return inB[e.dot] || !covers(b.clock, e.dot); })
        .concat(eb.filter(function (e) { return !inA[e.dot] && !covers(a.clock, e.dot); }));
      if (kept.length) out.items[k] = kept.sort(byDot);
    });
    return out;
  }

  /** Whether a holds an event b has not seen (then b must be told: a write). */
  function ahead(a, b) {
    return Object.keys(a.clock).some(function (r) { return a.clock[r] > (b.clock[r] || 0); });
  }

  /** One text per state, whatever the order of its keys: for comparing states. */
  function canonical(state) {
    var clock = {}, items = {};
    Object.keys(state.clock).sort().forEach(function (r) { clock[r] = state.clock[r]; });
    Object.keys(state.items).sort().forEach(function (k) {
      if (state.items[k].length) items[k] = state.items[k].slice().sort(byDot);
    });
    return JSON.stringify({ clock: clock, items: items });
  }

  function earliest(a, b) {
    var x = a.value && a.value.at || "", y = b.value && b.value.at || "";
    var tx = HB.report.time.parse(x), ty = HB.report.time.parse(y);
    return ((tx ? tx.ms : Infinity) - (ty ? ty.ms : Infinity)) || byDot(a, b);
  }
  function latest(a, b) {
    var tx = HB.report.time.parse(a.at), ty = HB.report.time.parse(b.at);
    return ((ty ? ty.ms : 0) - (tx ? tx.ms : 0)) || byDot(b, a);
  }

  /** What one key shows: {key, value, at, others: [entry]} (others: the values a conflict
      holds besides the one shown). mine(replica): whether this tab typed it; its entry is
      shown first, so that a conflict never takes a value from under the user's cursor. */
  function shown(key, entries, mine) {
    var kind = key.slice(0, 2);
    if (kind === "n:" || kind === "s:" || kind === "e:") { // a note or a tick: the earliest is the one
      var first = entries.slice().sort(earliest)[0];
      return { value: first.value, others: [] };
    }
    var sorted = entries.slice().sort(latest);
    var own = sorted.filter(function (e) { return mine(split(e.dot).r); });
    var top = own.length ? own[0] : sorted[0];
    var others = sorted.filter(function (e) { return e !== top; });
    if (Array.isArray(top.value) && others.every(function (e) { return Array.isArray(e.value); })) {
      var union = top.value.slice(); // choices: every one ticked in some tab
      others.forEach(function (e) { e.value.forEach(function (x) { if (union.indexOf(x) < 0) union.push(x); }); });
      return { value: union, others: [] };
    }
    var seen = {};
    seen[JSON.stringify(top.value)] = true;
    others = others.filter(function (e) { // the same text typed twice is no conflict
      var s = JSON.stringify(e.value);
      if (seen[s]) return false;
      seen[s] = true;
      return true;
    });
    return { value: top.value, at: top.at, dot: top.dot, others: others };
  }

  /** A state as the page uses it: {name, answers, notes: [{id, at, text}], steps: {id: {at,
      text}}, conflicts: [{field, values: [{value, at, mine}]}]}. mine(replica) → bool. */
  function view(state, mine) {
    mine = mine || function () { return false; };
    var out = { name: "", answers: {}, notes: [], steps: {}, events: {}, conflicts: [] };
    Object.keys(state.items).sort().forEach(function (key) {
      var entries = state.items[key];
      if (!entries.length) return;
      var s = shown(key, entries, mine);
      var kind = key.slice(0, 2), id = key.slice(2);
      if (key === "name") {
        out.name = typeof s.value === "string" ? s.value : "";
      } else if (kind === "a:") {
        out.answers[id] = s.value;
        if (s.others.length) {
          out.conflicts.push({
            field: id,
            values: [{ value: s.value, at: s.at, mine: mine(split(s.dot).r) }].concat(s.others.map(function (e) {
              return { value: e.value, at: e.at, mine: mine(split(e.dot).r) };
            })),
          });
        }
      } else if (kind === "n:") {
        out.notes.push({ id: id, at: s.value.at, text: s.value.text, dot: entries[0].dot });
      } else if (kind === "s:") {
        out.steps[id] = s.value.text ? { at: s.value.at, text: s.value.text } : { at: s.value.at };
      } else if (kind === "e:") {
        out.events[id] = s.value.at; // a drill's event: when it first happened
      }
    });
    // notes in time order; at one time, in the order they were written (by one replica)
    var ms = {};
    out.notes.forEach(function (n) { var t = HB.report.time.parse(n.at); ms[n.id] = t ? t.ms : Infinity; });
    out.notes.sort(function (a, b) {
      var x = split(a.dot), y = split(b.dot);
      return (ms[a.id] - ms[b.id]) || (x.r < y.r ? -1 : x.r > y.r ? 1 : x.n - y.n) || 0;
    }).forEach(function (n) { delete n.dot; });
    return out;
  }

  HB.crdt = {
    write: write, remove: remove, merge: merge, ahead: ahead, canonical: canonical, covers: covers,
    view: view,
  };
})((window.HB = window.HB || {}));
