// The share row's "Copy link" button: shown only where JavaScript runs, as the
// other ways to share are plain links that need none.
document.querySelectorAll(".share").forEach((share) => {
  const item = share.querySelector("[data-copy-link]");
  const button = item.querySelector("button");
  const status = share.querySelector("[data-copy-status]");
  if (!navigator.clipboard) return;
  item.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.url);
      status.textContent = "Link copied.";
    } catch {
      status.textContent = `Copying was refused: the link is ${button.dataset.url}`;
    }
  });
});
