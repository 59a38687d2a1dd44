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
