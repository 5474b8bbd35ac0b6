/* Record fields: the questions of a 事故対応記録's form ([data-hb-record-form], macros/
   templates/record.html), read once: each field's name, label, controls and kind (text,
   time, choices), the form's sections, and how a value is read from, shown in and written
   to its controls. HB.recordFields(form) → {fields, sections, labelOf, valueOf, shown, set,
   fill}. A value written while its control has the focus keeps the caret, and never lands
   while an input method is composing. Used by record.js. */
(function (HB) {
  "use strict";

  HB.recordFields = function (form) {
    var T = HB.report.time;
    var composing = false; // an input method is composing text in a field
    form.addEventListener("compositionstart", function () { composing = true; });
    form.addEventListener("compositionend", function () { composing = false; });

    var fields = {};
    form.querySelectorAll(".hb-field").forEach(function (el) {
      var controls = Array.prototype.slice.call(el.querySelectorAll("input, textarea"));
      var caption = el.tagName === "FIELDSET" ? el.querySelector("legend") : el.querySelector("label");
      fields[controls[0].name] = {
        name: controls[0].name,
        label: caption.textContent.trim(),
        controls: controls,
        kind: controls[0].type === "checkbox" ? "choices" : controls[0].type === "datetime-local" ? "time" : "text",
      };
    });
    var sections = Array.prototype.map.call(form.querySelectorAll(":scope > fieldset"), function (fieldset) {
      return {
        title: fieldset.querySelector("legend").textContent.trim(),
        names: Array.prototype.map.call(fieldset.querySelectorAll(":scope > .hb-field"), function (el) {
          return el.querySelector("input, textarea").name;
        }),
      };
    });

    function valueOf(field) {
      if (field.kind === "choices") {
        return field.controls.filter(function (c) { return c.checked; }).map(function (c) { return c.value; });
      }
      if (field.kind === "time") return T.fromInput(field.controls[0].value) || "";
      return field.controls[0].value;
    }

    function set(field, value) {
      if (field.kind === "choices") {
        field.controls.forEach(function (c) { c.checked = Array.isArray(value) && value.indexOf(c.value) >= 0; });
        return;
      }
      var control = field.controls[0];
      var want = field.kind === "time" ? T.toInput(value) : typeof value === "string" ? value : "";
      if (control.value === want) return;
      if (field.kind === "time" && control.validity.badInput && document.activeElement === control) return;
      if (document.activeElement === control) {
        if (composing) return; // never under an input method's feet
        var start = control.selectionStart, end = control.selectionEnd;
        control.value = want;
        control.setSelectionRange(Math.min(start, want.length), Math.min(end, want.length));
      } else {
        control.value = want;
      }
    }

    return {
      fields: fields,
      sections: sections,
      labelOf: function (name) { return fields[name] ? fields[name].label : name; },
      valueOf: valueOf,
      /** A value as words: choices joined, a time in Japan time. */
      shown: function (name, value) {
        if (Array.isArray(value)) return value.join(HB.t("record.list_separator"));
        return fields[name] && fields[name].kind === "time" && value ? T.zoned(value) : String(value);
      },
      set: set,
      /** Every field from answers ({name: value}). */
      fill: function (answers) {
        Object.keys(fields).forEach(function (name) { set(fields[name], answers[name]); });
      },
    };
  };
})((window.HB = window.HB || {}));
