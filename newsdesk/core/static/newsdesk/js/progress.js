// Follows a background job on its admin page (a subscriber import, a content import):
// polls the JSON endpoint named by data-progress, moves the bar, writes each field of
// the answer into the [data-progress-field] element of that name, and reloads the page
// when the job has moved on (its report, or the next step). Without JavaScript the page
// says to reload it.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var status = box.querySelector("[role=status]");

  function poll() {
    fetch(box.dataset.progress, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (state) {
        if (state.finished) {
          window.location.reload();
          return;
        }
        if (state.percent !== null) {  // null: how much is left is not known yet
          bar.value = state.percent;
          bar.textContent = state.percent + "%";
        }
        box.querySelectorAll("[data-progress-field]").forEach(function (field) {
          field.textContent = state[field.dataset.progressField];
        });
        status.firstChild.nodeValue = state.status_text + ": ";
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000); // a restarting server or a lost connection: try again, less often
      });
  }
  window.setTimeout(poll, 1000);
})();
