// Brings new news-feed items into open pages without a reload.
// Without JavaScript the feed still works: this only adds what arrived since the page loaded.
(function () {
  "use strict";
  var feeds = document.querySelectorAll("[data-live-feed]");
  if (!feeds.length || !window.fetch) return;
  var since = feeds[0].getAttribute("data-since") || "";
  var url = feeds[0].getAttribute("data-updates-url");
  var interval = 5000;

  function insert(feed, items) {
    var list = feed.querySelector("ol");
    for (var i = items.length - 1; i >= 0; i--) {
      var holder = document.createElement("template");
      holder.innerHTML = items[i].html.trim();
      list.insertBefore(holder.content.firstElementChild, list.firstElementChild);
    }
    var limit = Number(feed.getAttribute("data-limit"));
    while (limit && list.children.length > limit) list.removeChild(list.lastElementChild);
    var status = feed.querySelector("[data-live-status]");
    if (status) status.textContent = items.length === 1 ? "1 new item in the news feed" : items.length + " new items in the news feed";
  }

  function poll() {
    fetch(url + "?after=" + encodeURIComponent(since), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.items.length) {
          since = data.latest;
          feeds.forEach(function (feed) { insert(feed, data.items); });
        }
      })
      .catch(function () {})
      .then(function () { window.setTimeout(poll, interval); });
  }
  window.setTimeout(poll, interval);
})();
