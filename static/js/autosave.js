// Autosave of an application section (templates/applications/drafting/section.html).
//
// htmx posts the form on change and after a pause in typing, and puts the server's status fragment
// (with the new hidden base_version) into the form's live region. Two things htmx cannot know:
// - a save queued while another was under way carries the base_version read when it was queued;
//   it is sent with the one the previous save just returned, so nobody conflicts with themselves;
// - pressing «Lagre» while a background save is under way waits for it, then posts with its version;
// - an answer that is not the status fragment (logged out: the login page; a server error) or no
//   answer at all is not swapped in: the live region says so, in the page's language (data-*-message).
(function () {
  "use strict";

  function setUp(form) {
    var inFlight = 0;
    var submitting = false;
    var submitted = false;
    var version = function () {
      var field = form.querySelector("input[name=base_version]");
      return field ? field.value : "";
    };

    form.addEventListener("htmx:before:request", function (event) {
      if (submitting) {
        event.preventDefault();
        return;
      }
      var request = event.detail && event.detail.ctx && event.detail.ctx.request;
      if (request && request.body && typeof request.body.set === "function") {
        request.body.set("base_version", version());
      }
      inFlight += 1;
      event.detail.ctx.autosaveCounted = true;
    });

    var say = function (message) {
      var region = form.querySelector("#lagrestatus");
      if (!region || !message) return;
      var input = region.querySelector("input[name=base_version]");
      region.replaceChildren();
      if (input) region.appendChild(input);
      var paragraph = document.createElement("p");
      paragraph.className = "ds-validation-message";
      paragraph.setAttribute("data-color", "danger");
      paragraph.textContent = message;
      region.appendChild(paragraph);
    };

    form.addEventListener("htmx:after:request", function (event) {
      var response = event.detail && event.detail.ctx && event.detail.ctx.response;
      if (response && (response.status >= 400 || (response.raw && response.raw.redirected))) {
        event.preventDefault();
        say(form.dataset.notSavedMessage);
      }
    });

    form.addEventListener("htmx:error", function () {
      say(form.dataset.notSavedMessage);
    });

    form.addEventListener("htmx:finally:request", function (event) {
      if (event.detail && event.detail.ctx && event.detail.ctx.autosaveCounted) {
        inFlight -= 1;
      }
      if (submitting && inFlight === 0 && !submitted) {
        submitted = true;
        form.submit();
      }
    });

    form.addEventListener("submit", function (event) {
      submitting = true;
      if (inFlight > 0) {
        event.preventDefault();
      } else {
        submitted = true;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave]").forEach(setUp);
  });
})();
