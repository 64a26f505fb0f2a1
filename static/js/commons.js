// Small progressive enhancements; every action also works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const alert = document.getElementById("form-alert");
  if (alert) alert.focus();
});

// An htmx swap replaces the pressed control, and data-hx-disabled-elt blurs it even before:
// a keyboard user would be thrown back to the top of the page. Put the focus back on the new
// control with the same id (the support or join button), else on the swapped region.
let focusBeforeSwap = null;
document.addEventListener("htmx:beforeRequest", (event) => {
  const active = document.activeElement;
  focusBeforeSwap = active && active !== document.body
    ? {id: active.id, region: event.detail.target && event.detail.target.id} : null;
});
document.addEventListener("htmx:afterSettle", () => {
  const wanted = focusBeforeSwap;
  focusBeforeSwap = null;
  const active = document.activeElement;
  if (!wanted || (active && active !== document.body && active.isConnected)) return;
  const control = wanted.id && document.getElementById(wanted.id);
  const region = wanted.region && document.getElementById(wanted.region);
  if (control && !control.disabled) {
    control.focus();
  } else if (region) {
    if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "-1");
    region.focus();
  }
});

// Photos chosen in a proposal form: a preview of each, in the order their descriptions follow.
// Data URLs, which the Content-Security-Policy's img-src allows (blob: it does not).
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.photoPreview) return;
  const preview = document.getElementById(input.dataset.photoPreview);
  if (!preview) return;
  preview.replaceChildren();
  Array.from(input.files || []).forEach((file, index) => {
    if (!file.type.startsWith("image/")) return;
    const reader = new FileReader();
    reader.addEventListener("load", () => {
      const image = new Image();
      image.src = reader.result;
      image.alt = `${index + 1}: ${file.name}`;
      preview.appendChild(image);
    });
    reader.readAsDataURL(file);
  });
});

// The header's menus are <details>: Escape closes the one holding the focus and gives the focus back to its summary.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const menu = document.activeElement && document.activeElement.closest("details.header-menu[open]");
  if (!menu) return;
  menu.open = false;
  menu.querySelector("summary").focus();
});

// A proposal form whose title shows similar proposals while it is typed: the patron has had
// the hint, so the server sends the proposal without the step that shows them first.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.querySelector("[data-similar-hint]")) return;
  if (form.querySelector("input[name=similar_hinted]")) return;
  const hinted = document.createElement("input");
  hinted.type = "hidden";
  hinted.name = "similar_hinted";
  hinted.value = "1";
  form.appendChild(hinted);
});
