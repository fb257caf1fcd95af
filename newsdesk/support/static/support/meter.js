// Brings the campaign meters of a page kept in the cache up to date, once a
// minute while the page is shown. Without JavaScript the meter reads as it was
// when the page was rendered.
(function () {
  "use strict";
  var meters = document.querySelectorAll(".campaign-meter[data-meter-url]");
  if (!meters.length || !window.fetch) return;
  var url = meters[0].getAttribute("data-meter-url");
  function refresh() {
    if (document.hidden) return;
    fetch(url, { headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".campaign-meter");
        if (!fresh) return;
        document.querySelectorAll(".campaign-meter[data-meter-url]").forEach(function (meter) {
          if (meter.getAttribute("aria-label") === fresh.getAttribute("aria-label")) {
            meter.replaceWith(fresh.cloneNode(true));
          }
        });
      })
      .catch(function () {});
  }
  setInterval(refresh, 60000);
})();
