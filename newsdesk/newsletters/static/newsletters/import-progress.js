// Follows a subscriber import on its progress page: polls the JSON endpoint,
// moves the bar, and reloads the page for the report when the import is over.
// Without JavaScript the page says to reload it.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var rows = box.querySelector("[data-rows-read]");
  var status = box.querySelector("[role=status]");

  function poll() {
    fetch(box.dataset.importProgress, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (state) {
        if (state.finished) {
          window.location.reload();
          return;
        }
        bar.value = state.percent;
        bar.textContent = state.percent + "%";
        rows.textContent = state.rows_read;
        status.firstChild.nodeValue = state.status_text + ": ";
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000); // a restarting server or a lost connection: try again, less often
      });
  }
  window.setTimeout(poll, 1000);
})();
