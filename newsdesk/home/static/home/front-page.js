// The admin's Front page (admin_views.py): order the lists by dragging or with the arrow buttons, remove,
// and add recent stories found by their headline. The form sends each list's story ids in order.
(() => {
  const desk = document.querySelector("[data-front-desk]");
  if (!desk) return;
  const status = desk.querySelector("[data-front-desk-status]");
  const itemTemplate = document.querySelector("[data-front-desk-item]");
  const list = (name) => desk.querySelector(`[data-list="${name}"]`);
  const names = { stories: "top stories", picks: "Editors' Picks" };

  const announce = (text) => {
    status.textContent = text;
  };
  const titleOf = (item) => item.querySelector("[data-title]").textContent;

  function makeItem(story, listName) {
    const item = itemTemplate.content.firstElementChild.cloneNode(true);
    item.dataset.id = story.id;
    item.querySelector("input").name = listName;
    item.querySelector("input").value = story.id;
    item.querySelector("[data-title]").textContent = story.title;
    item.querySelector('[data-move="up"]').setAttribute("aria-label", `Move “${story.title}” up`);
    item.querySelector('[data-move="down"]').setAttribute("aria-label", `Move “${story.title}” down`);
    item.querySelector("[data-remove]").setAttribute("aria-label", `Remove “${story.title}”`);
    return item;
  }

  // Keyboard and pointer alike: the arrow buttons and Remove.
  desk.addEventListener("click", (event) => {
    const button = event.target.closest("[data-move], [data-remove]");
    if (!button) return;
    const item = button.closest("li");
    if (button.hasAttribute("data-remove")) {
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      announce(`Removed “${titleOf(item)}”.`);
      if (next) next.querySelector("[data-remove]").focus();
      return;
    }
    const up = button.dataset.move === "up";
    const sibling = up ? item.previousElementSibling : item.nextElementSibling;
    if (!sibling) return;
    sibling.insertAdjacentElement(up ? "beforebegin" : "afterend", item);
    button.focus();
    const position = [...item.parentElement.children].indexOf(item) + 1;
    announce(`“${titleOf(item)}” is now number ${position}.`);
  });

  // Dragging within a list.
  let dragged = null;
  desk.addEventListener("dragstart", (event) => {
    dragged = event.target.closest(".front-desk__item");
    if (!dragged) return;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.id);
    dragged.classList.add("front-desk__item--dragged");
  });
  desk.addEventListener("dragover", (event) => {
    const over = event.target.closest(".front-desk__item");
    if (!dragged || !over || over === dragged || over.parentElement !== dragged.parentElement) return;
    event.preventDefault();
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    over.insertAdjacentElement(after ? "afterend" : "beforebegin", dragged);
  });
  desk.addEventListener("drop", (event) => {
    if (dragged) event.preventDefault();
  });
  desk.addEventListener("dragend", () => {
    if (!dragged) return;
    dragged.classList.remove("front-desk__item--dragged");
    const position = [...dragged.parentElement.children].indexOf(dragged) + 1;
    announce(`“${titleOf(dragged)}” is now number ${position}.`);
    dragged = null;
  });

  // Recent stories, found by headline; a top story joins the end of its list, a new pick the top of its own.
  const query = desk.querySelector("[data-front-desk-query]");
  const results = desk.querySelector("[data-front-desk-results]");
  let asked = 0;
  async function search() {
    const number = ++asked;
    const url = `${desk.dataset.storiesUrl}?${new URLSearchParams({ q: query.value })}`;
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok || number !== asked) return;
    const { stories } = await response.json();
    results.replaceChildren(
      ...stories.map((story) => {
        const row = document.createElement("li");
        const title = document.createElement("span");
        title.textContent = story.title;
        row.append(title);
        for (const [listName, label] of [
          ["stories", "Add to top stories"],
          ["picks", "Add to picks"],
        ]) {
          const add = document.createElement("button");
          add.type = "button";
          add.className = "button button-small button-secondary";
          add.textContent = label;
          add.setAttribute("aria-label", `${label}: “${story.title}”`);
          add.addEventListener("click", () => {
            const target = list(listName);
            const present = target.querySelector(`[data-id="${story.id}"]`);
            if (present) present.remove();
            const item = makeItem(story, listName);
            if (listName === "picks") target.prepend(item);
            else target.append(item);
            announce(`Added “${story.title}” to ${names[listName]}.`);
          });
          row.append(add);
        }
        return row;
      }),
    );
  }
  let timer;
  query.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  search();
})();
