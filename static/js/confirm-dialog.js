// Deletions ask first (templates/negotiations/confirm_delete.html). Without JavaScript a
// "Poista" link opens the confirmation page; with htmx it fetches the same question as a
// <dialog>, which this script opens as a modal: the focus goes into it (to its question,
// read first), Escape or "Peruuta" closes it, and the focus returns to the link that opened
// it. The confirmation is then a normal POST and redirect: the page after it shows
// what happened where the focus lands.
(function () {
  "use strict";

  const OPENER = "[data-confirm-opener]";
  const DIALOG = "dialog[data-confirm-dialog]";
  let lastOpener = null;

  function isOpener(element) {
    return element && element.matches && element.matches(OPENER);
  }

  document.addEventListener(
    "click",
    function (event) {
      const link = event.target.closest && event.target.closest(OPENER);
      if (link) {
        lastOpener = link;
      }
    },
    true
  );

  // One question at a time: a second click before the first answer came, or while a dialog
  // is open, asks nothing more.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    const element = event.detail.elt;
    if (!isOpener(element)) {
      return;
    }
    if (element.hasAttribute("data-confirm-loading") || document.querySelector(DIALOG)) {
      event.preventDefault();
      return;
    }
    element.setAttribute("data-confirm-loading", "");
    lastOpener = element;
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    const element = event.detail.elt;
    if (isOpener(element)) {
      element.removeAttribute("data-confirm-loading");
    }
  });

  function open(dialog) {
    const opener = lastOpener;
    dialog.addEventListener("close", function () {
      dialog.remove();
      if (opener && opener.isConnected) {
        opener.focus();
      }
    });
    dialog.showModal();
  }

  document.body.addEventListener("htmx:load", function (event) {
    const element = event.detail.elt;
    if (!element.matches || !element.matches(DIALOG) || element.open) {
      return;
    }
    if (document.querySelectorAll(DIALOG).length > 1) {
      element.remove();
      return;
    }
    open(element);
  });

  // A confirmation sent twice (a double click) deletes once and is answered once.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("form[data-confirm-form]")) {
      return;
    }
    const submitter = event.submitter;
    if (submitter && submitter.getAttribute("formmethod") === "dialog") {
      return;
    }
    if (form.hasAttribute("data-submitted")) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-submitted", "");
    if (submitter) {
      submitter.setAttribute("aria-disabled", "true");
    }
  });
})();
