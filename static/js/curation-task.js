/*
 * Keyboard shortcuts of the task page. The keys live in the page (data-key on each decision
 * option, data-cycle-key on checklists, data-note-key on the form) and are listed in it; this
 * file only wires them. No key acts while a text field has focus, and leaving a task (skip,
 * next) asks first when a note was typed, since the note would be lost.
 */
(function () {
  "use strict";

  var NOT_TYPING = /^(radio|checkbox|button|submit|reset|image|file|color|range|hidden)$/;

  // Any field that takes text, whatever its type: a key pressed there is text, never a command.
  function isTyping(element) {
    if (!element) return false;
    if (element.isContentEditable) return true;
    if (element.tagName === "TEXTAREA" || element.tagName === "SELECT") return true;
    return element.tagName === "INPUT" && !NOT_TYPING.test(element.type);
  }

  function note() {
    return document.querySelector("#decision-form textarea[name=note]");
  }

  function noteTyped() {
    var field = note();
    return Boolean(field && field.value.trim());
  }

  function submit(id) {
    var form = document.getElementById(id);
    if (form) form.requestSubmit();
    return Boolean(form);
  }

  // Skip and pass throw the typed note away: they ask first (by key or by mouse).
  function confirmLeaving(message, then) {
    var dialog = document.getElementById("confirm-leave");
    dialog.querySelector("p").textContent = dialog.dataset[message];
    dialog.returnValue = "";
    dialog.onclose = function () { if (dialog.returnValue === "leave") then(); };
    dialog.showModal();
  }

  function askBeforeLeaving(formId, message) {
    var form = document.getElementById(formId);
    if (!form) return;
    form.addEventListener("submit", function (event) {
      if (!noteTyped() || form.dataset.confirmed) return;
      event.preventDefault();
      confirmLeaving(message, function () {
        form.dataset.confirmed = "1";
        form.requestSubmit();
      });
    });
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

  function openSkip() {
    var section = document.getElementById("skip-section");
    section.hidden = false;
    section.querySelector("input[type=text], textarea").focus();
  }

  function showSkip() {
    if (!document.getElementById("skip-section")) return;
    if (noteTyped()) confirmLeaving("skip", openSkip);
    else openSkip();
  }

  function focusNote() {
    var field = note();
    if (field) field.focus();
  }

  function toggleKeymap() {
    var keymap = document.getElementById("keymap");
    if (keymap.open) keymap.close();
    else keymap.showModal();
  }

  function pickByKey(key) {
    var selector = "[data-key=\"" + CSS.escape(key) + "\"]";
    var radio = document.querySelector("#decision-form input" + selector);
    if (radio) {
      pick(radio);
      return true;
    }
    var checklist = document.querySelector("#decision-form [data-cycle-key=\"" + CSS.escape(key) + "\"]");
    if (checklist) cycle(checklist);
    return Boolean(checklist);
  }

  var ACTIONS = {
    n: function () { submit("next-form"); },
    s: showSkip,
    t: toggleDocument,
    "?": toggleKeymap,
  };
  var decisionForm = document.getElementById("decision-form");
  if (decisionForm) ACTIONS[decisionForm.dataset.noteKey] = focusNote;

  function onKey(event) {
    if (event.altKey || event.metaKey || event.isComposing) return;
    var openDialog = document.querySelector("dialog[open]");
    if (openDialog) {
      if (event.key === "?" && openDialog.id === "keymap") openDialog.close();
      return;  // a dialog takes its own keys (Escape closes it)
    }
    var target = document.activeElement || event.target;
    var typing = isTyping(target);
    if (event.key === "Escape") {
      event.preventDefault();
      if (typing) target.blur();  // leaves the field; never releases the task
      else submit("release-form");
      return;
    }
    if (event.key === "Enter") {
      var inTextarea = target.tagName === "TEXTAREA";
      if ((inTextarea && event.ctrlKey) || !typing) {
        event.preventDefault();
        submit("decision-form");
      }
      return;  // in a one-line field Enter submits that field's own form
    }
    if (typing || event.ctrlKey) return;
    if (pickByKey(event.key)) {
      event.preventDefault();
      return;
    }
    var action = ACTIONS[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  }

  // "Check now": the result replaces the line when the check is stored, without a reload.
  function pollUrlCheck(url, before, triesLeft) {
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("url-check");
        var current = document.getElementById("url-check");
        if (fresh && (fresh.dataset.checked !== before || triesLeft <= 0)) {
          current.replaceWith(fresh);
        } else if (triesLeft > 0) {
          window.setTimeout(function () { pollUrlCheck(url, before, triesLeft - 1); }, 1500);
        }
      });
  }

  function watchUrlCheck() {
    var form = document.getElementById("check-url-form");
    var status = document.getElementById("url-check");
    if (!form || !status) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var before = document.getElementById("url-check").dataset.checked;
      document.getElementById("url-check").textContent = form.dataset.waiting;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      }).then(function () { pollUrlCheck(status.dataset.url, before, 20); });
    });
  }

  document.addEventListener("keydown", onKey);
  watchUrlCheck();
  askBeforeLeaving("next-form", "next");
  askBeforeLeaving("skip-form", "skip");
  var details = document.getElementById("document");
  if (details) details.addEventListener("toggle", function () { loadDocument(details); });
})();
