// The story editor's desk (panels.py): a live count of the headline, previews of the story in search
// results and as a social card, and the publish dialog with its checklist. Without it, Wagtail's own
// editor works as before.
function startEditorDesk() {
  const desk = document.querySelector("[data-editor-desk]");
  if (!desk) return;
  const form = desk.closest("form");
  const field = (name) => form.querySelector(`[name="${name}"]`);
  const headline = field("title");
  const standfirst = field("standfirst");
  const slug = field("slug");
  const leadImage = field("lead_image");
  const creditOverride = field("lead_image_credit");
  const preview = (name) => desk.querySelector(`[data-preview="${name}"]`);
  const searchLength = Number(desk.dataset.searchTitleLength);
  const maxLength = Number(desk.dataset.headlineMaxLength);
  const count = desk.querySelector("[data-editor-desk-count]");
  const dialog = desk.querySelector("[data-editor-desk-dialog]");
  const timeBox = dialog.querySelector("[data-editor-desk-time]");
  const timeInput = timeBox.querySelector("input");
  const publishButton = dialog.querySelector("[data-editor-desk-publish]");
  let facts = null; // the chosen picture's alt text and credit, as the server has them

  // The count sits under the headline, where the editor looks while typing.
  headline.insertAdjacentElement("afterend", count);
  count.hidden = false;
  count.id = "editor-desk-count";
  headline.setAttribute("aria-describedby", count.id);

  const shorten = (text, length) => (text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text);

  function showText() {
    const title = headline.value.trim();
    const length = title.length;
    count.textContent =
      length > searchLength
        ? `${length} of ${maxLength} characters: search results cut it after about ${searchLength}`
        : `${length} of ${maxLength} characters`;
    preview("search-title").textContent = shorten(title, searchLength) || "Headline";
    preview("title").textContent = title || "Headline";
    preview("standfirst").textContent = standfirst.value;
    preview("description").textContent = shorten(standfirst.value, 160);
    preview("url").textContent = `${desk.dataset.sectionUrl}${slug ? slug.value : ""}/`;
  }

  function showPicture() {
    const image = preview("image");
    image.hidden = !(facts && facts.card_url);
    preview("no-image").hidden = !image.hidden;
    if (facts && facts.card_url) {
      image.src = facts.card_url;
      image.alt = facts.alt;
    }
    check();
  }

  let chosen = "";
  async function readPicture() {
    if (leadImage.value === chosen) return;
    chosen = leadImage.value;
    facts = null;
    if (chosen) {
      const url = desk.dataset.imageFactsUrl.replace("/0/", `/${encodeURIComponent(chosen)}/`);
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok && leadImage.value === chosen) facts = await response.json();
    }
    showPicture();
  }

  function mark(name, ok, text) {
    const item = dialog.querySelector(`[data-check="${name}"]`);
    item.dataset.ok = ok ? "true" : "false";
    item.textContent = `${ok ? "✓" : "⚠"} ${text}`;
    return ok;
  }

  function check() {
    const picture = Boolean(leadImage.value);
    const credit = (creditOverride && creditOverride.value.trim()) || (facts && facts.credit);
    const results = [
      dialog.querySelector('[data-check="section"]').dataset.ok === "true",
      mark("standfirst", standfirst.value.trim(), standfirst.value.trim() ? "Standfirst written" : "No standfirst"),
      mark(
        "alt",
        picture && facts && facts.alt,
        !picture ? "No lead picture" : facts && facts.alt ? "Lead picture has alt text" : "Lead picture has no alt text",
      ),
      mark(
        "credit",
        picture && credit,
        !picture ? "No credit: no lead picture" : credit ? "Lead picture has a credit" : "Lead picture has no credit",
      ),
    ];
    dialog.querySelector("[data-editor-desk-warning]").hidden = results.every(Boolean);
  }

  function showWhen() {
    const later = dialog.querySelector("[data-editor-desk-when]:checked").value === "later";
    timeBox.hidden = !later;
    timeInput.required = later;
    publishButton.textContent = later ? "Schedule" : "Publish now";
  }

  function openDialog() {
    check();
    showWhen();
    dialog.showModal();
  }

  // Wagtail's own Publish buttons open the dialog; the dialog's button sends the form.
  form.addEventListener(
    "click",
    (event) => {
      const button = event.target.closest('button[name="action-publish"]');
      if (!button || dialog.contains(button)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      openDialog();
    },
    true,
  );
  dialog.querySelector("[data-editor-desk-cancel]").addEventListener("click", () => dialog.close());
  dialog.querySelectorAll("[data-editor-desk-when]").forEach((radio) => radio.addEventListener("change", showWhen));

  [headline, standfirst, slug].filter(Boolean).forEach((input) => input.addEventListener("input", showText));
  // A headline is one line: Enter does not break it.
  headline.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });
  if (creditOverride) creditOverride.addEventListener("input", check);
  // The chooser sets the picture's id, and Wagtail's w-sync the slug from the headline (a moment
  // after typing), without an event to listen to.
  let shownSlug = slug ? slug.value : "";
  setInterval(() => {
    readPicture();
    if (slug && slug.value !== shownSlug) {
      shownSlug = slug.value;
      showText();
    }
  }, 500);

  // "Now" sends no time, whatever was typed before changing one's mind.
  publishButton.addEventListener("click", () => {
    if (dialog.querySelector("[data-editor-desk-when]:checked").value === "now") timeInput.value = "";
  });

  showText();
  readPicture();
  if (dialog.hasAttribute("data-open-on-load")) {
    dialog.querySelector('[data-editor-desk-when][value="later"]').checked = true;
    openDialog();
  }
}

// Wagtail puts the editor's scripts in the page's head: the desk waits for the form below.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startEditorDesk);
else startEditorDesk();
