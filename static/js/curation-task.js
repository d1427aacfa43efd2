/*
 * Keyboard shortcuts of the task page. The keys live in the page (data-key on each decision
 * option, data-cycle-key on checklists) and are listed in it; this file only wires them.
 */
(function () {
  "use strict";

  var TYPING = /^(TEXTAREA|SELECT)$/;
  var TEXT_INPUTS = /^(text|url|email|search|number|password)$/;

  function isTyping(element) {
    if (!element) return false;
    if (TYPING.test(element.tagName)) return true;
    return element.tagName === "INPUT" && TEXT_INPUTS.test(element.type);
  }

  function submit(id) {
    var form = document.getElementById(id);
    if (form) form.requestSubmit();
    return Boolean(form);
  }

  function pick(radio) {
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    radio.closest("label").classList.add("picked");
    window.setTimeout(function () { radio.closest("label").classList.remove("picked"); }, 250);
  }

  function cycle(fieldset) {
    var radios = Array.prototype.slice.call(fieldset.querySelectorAll("input[type=radio]"));
    var current = radios.findIndex(function (radio) { return radio.checked; });
    pick(radios[(current + 1) % radios.length]);
  }

  function toggleDocument() {
    var details = document.getElementById("document");
    if (details) details.open = !details.open;
  }

  function loadDocument(details) {
    if (!details.open || details.dataset.loaded) return;
    details.dataset.loaded = "1";
    fetch(details.dataset.url, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (text) { details.querySelector("pre").textContent = text; });
  }

  function showSkip() {
    var section = document.getElementById("skip-section");
    if (!section) return;
    section.hidden = false;
    section.querySelector("input[type=text], textarea").focus();
  }

  function onKey(event) {
    if (event.altKey || event.metaKey || event.isComposing) return;
    var typing = isTyping(event.target);
    if (event.key === "Escape") {
      if (typing) event.target.blur();
      else submit("release-form");
      return;
    }
    if (event.key === "Enter") {
      var inTextarea = event.target.tagName === "TEXTAREA";
      if ((inTextarea && event.ctrlKey) || !typing) {
        event.preventDefault();
        submit("decision-form");
      }
      return;  // in a one-line field Enter submits that field's own form
    }
    if (typing || event.ctrlKey) return;
    var key = event.key;
    var selector = "[data-key=\"" + CSS.escape(key) + "\"]";
    var radio = document.querySelector("#decision-form input" + selector);
    if (radio) {
      event.preventDefault();
      pick(radio);
      return;
    }
    var checklist = document.querySelector("#decision-form [data-cycle-key=\"" + CSS.escape(key) + "\"]");
    if (checklist) {
      event.preventDefault();
      cycle(checklist);
      return;
    }
    var actions = {
      n: function () { submit("next-form"); },
      s: showSkip,
      t: toggleDocument,
      "?": function () { document.getElementById("shortcuts").classList.toggle("collapsed"); },
    };
    if (actions[key]) {
      event.preventDefault();
      actions[key]();
    }
  }

  document.addEventListener("keydown", onKey);
  var details = document.getElementById("document");
  if (details) details.addEventListener("toggle", function () { loadDocument(details); });
})();
