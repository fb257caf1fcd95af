// The header's disclosures (search, menu) work without this; with it, one is open at a
// time, Escape closes it, and opening search puts the cursor in its field.
document.addEventListener("DOMContentLoaded", () => {
  const disclosures = document.querySelectorAll(".site-header details.disclosure");
  for (const details of disclosures) {
    details.addEventListener("toggle", () => {
      if (!details.open) return;
      for (const other of disclosures) if (other !== details) other.open = false;
      details.querySelector("input[type=search]")?.focus();
    });
  }
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const details of disclosures) {
      if (details.open) {
        details.open = false;
        details.querySelector("summary").focus();
      }
    }
  });
});
