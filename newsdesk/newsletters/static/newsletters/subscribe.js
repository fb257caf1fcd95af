// Subscribe forms answer in place when JavaScript runs; without it they post and reload.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-subscribe-form]");
  if (!form) return;
  event.preventDefault();
  const status = form.querySelector("[data-status]");
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  let answer;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    answer = await response.json();
  } catch (error) {
    // No usable answer (offline, a CSRF page, a proxy error): let the browser post the form itself.
    form.submit();
    return;
  } finally {
    button.disabled = false;
  }
  const errors = answer.errors || {};
  for (const slot of form.querySelectorAll("[data-error-for]")) {
    slot.textContent = errors[slot.dataset.errorFor] || "";
  }
  const email = form.querySelector("input[name=email]");
  if (errors.email) email.setAttribute("aria-invalid", "true");
  else email.removeAttribute("aria-invalid");
  // Errors without a slot of their own (a single newsletter, an expired form) go in the status line.
  const general = Object.entries(errors)
    .filter(([field]) => !form.querySelector(`[data-error-for="${field}"]`))
    .map(([, message]) => message);
  status.textContent = answer.ok ? answer.message : general.join(" ");
  status.classList.toggle("subscribe-form__status--error", !answer.ok && general.length > 0);
  if (answer.ok) {
    form.querySelector("[data-fields]").hidden = true;
    status.focus();
  } else if (errors.email) {
    email.focus();
  } else {
    status.focus();
  }
});

// The consent line names the newsletters ticked; without JavaScript it says "the newsletters you tick".
function nameTicked(form) {
  const names = form.querySelector("[data-consent-names]");
  const boxes = form.querySelectorAll("input[type=checkbox][name=newsletter]");
  if (!names || !boxes.length) return;
  const ticked = Array.from(boxes, (box) => (box.checked ? box.dataset.name : null)).filter(Boolean);
  names.textContent =
    ticked.length === 0
      ? names.dataset.unticked
      : ticked.length === 1
        ? ticked[0]
        : `${ticked.slice(0, -1).join(", ")} and ${ticked[ticked.length - 1]}`;
}

document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-subscribe-form]");
  if (form && event.target.name === "newsletter") nameTicked(form);
});
// Browsers bring back ticks on a return visit: name what they brought back.
document.querySelectorAll("form[data-subscribe-form]").forEach(nameTicked);
