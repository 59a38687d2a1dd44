// Autosave of situation report sections: when a save cannot reach the server, say so in the
// section's live status and keep the typed text (htmx leaves the textarea untouched).
(function () {
  "use strict";

  function statusFor(element) {
    const target = element.getAttribute("data-hx-target");
    return target ? document.querySelector(target) : null;
  }

  function report(event, messageAttribute) {
    const form = event.target.closest("form[data-autosave]");
    const status = statusFor(event.target);
    if (!form || !status) {
      return;
    }
    status.textContent = form.getAttribute(messageAttribute);
    status.classList.add("section-status-error");
  }

  // What the section's status says between saves: "unsaved change" as soon as the writer
  // types, "saving…" while the request runs; the server's answer replaces it. A conflict shown
  // in the status (with its merge button) stays until the writer resolves it.
  function show(element, messageAttribute) {
    const form = element.closest("form[data-autosave]");
    const status = statusFor(element);
    if (!form || !status || status.querySelector(".conflict")) {
      return;
    }
    const text = form.getAttribute(messageAttribute);
    if (text && status.textContent.trim() !== text) {
      status.textContent = text;
      status.classList.remove("section-status-error");
    }
  }

  document.body.addEventListener("input", function (event) {
    if (event.target.matches("textarea[data-hx-target]")) {
      show(event.target, "data-status-unsaved");
    }
  });
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.target.matches("textarea[data-hx-target]")) {
      show(event.target, "data-status-saving");
    }
  });

  document.body.addEventListener("htmx:sendError", function (event) {
    report(event, "data-error-network");
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    report(event, "data-error-server");
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    event.target.classList.remove("section-status-error");
  });
})();
