// Keeps the admin's progress figures of a send current while it runs.
(function () {
  const section = document.querySelector("[data-progress-url]");
  if (!section || section.dataset.done === "true") return;
  const bar = section.querySelector("[data-progress-bar]");

  async function update() {
    const response = await fetch(section.dataset.progressUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return true;
    const progress = await response.json();
    document.querySelectorAll("[data-progress]").forEach((element) => {
      const value = progress[element.dataset.progress];
      element.textContent = value === null ? "–" : value;
    });
    bar.max = progress.total;
    bar.value = progress.total - progress.remaining;
    return !progress.done;
  }

  async function poll() {
    let again = true;
    try {
      again = await update();
    } catch (error) {
      again = true;
    }
    if (again) setTimeout(poll, 1000);
    else window.location.reload();
  }
  poll();
})();
