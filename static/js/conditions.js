// Conditional questions on an application section (templates/applications/drafting/section.html).
//
// The server decides which questions apply: after each background save its status fragment carries
// <span data-applies="key key ..."> with the section's questions that apply now. This shows and hides
// the wrappers [data-question] to match (what is typed in a hidden question stays in its field), and
// says in the live region #vilkarstatus which questions appeared or went away. Focus stays where the
// person is typing: a condition only names earlier questions, so the focused one never hides itself.
// Without JavaScript, «Lagre» re-renders the section with the questions that apply.
(function () {
  "use strict";

  function labelOf(wrapper) {
    var label = wrapper.querySelector("label, legend, h2, h3");
    return label ? label.textContent.replace(/\s+/g, " ").trim() : wrapper.dataset.question;
  }

  function apply(form, keys) {
    var applies = new Set(keys.split(" ").filter(Boolean));
    var shown = [];
    var hidden = [];
    form.querySelectorAll("[data-question]").forEach(function (wrapper) {
      var wanted = applies.has(wrapper.dataset.question);
      if (wanted && wrapper.hidden) {
        wrapper.hidden = false;
        shown.push(labelOf(wrapper));
      } else if (!wanted && !wrapper.hidden) {
        if (wrapper.contains(document.activeElement)) return;  // never hide what is being typed in
        wrapper.hidden = true;
        hidden.push(labelOf(wrapper));
      }
    });
    var region = form.querySelector("#vilkarstatus");
    if (!region || (!shown.length && !hidden.length)) return;
    var lines = [];
    shown.forEach(function (label) { lines.push(region.dataset.shown + " " + label); });
    hidden.forEach(function (label) { lines.push(region.dataset.hidden + " " + label); });
    region.textContent = lines.join(". ");
  }

  function setUp(form) {
    var status = form.querySelector("#lagrestatus");
    if (!status || !form.querySelector("[data-question]")) return;
    new MutationObserver(function () {
      var marker = status.querySelector("[data-applies]");
      if (marker) apply(form, marker.dataset.applies || "");
    }).observe(status, { childList: true, subtree: true });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave]").forEach(setUp);
  });
})();
