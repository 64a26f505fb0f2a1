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
// Capture: before htmx, on the form itself, reads the fields to send.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.querySelector("[data-similar-hint]")) return;
  if (form.querySelector("input[name=similar_hinted]")) return;
  const hinted = document.createElement("input");
  hinted.type = "hidden";
  hinted.name = "similar_hinted";
  hinted.value = "1";
  form.appendChild(hinted);
}, true);
// Forms that take files (data-upload) are sent by htmx: the page says it is busy, the form's
// <progress> follows the upload, and a refused form (422) comes back in place with its reasons.
document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail.elt;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload")) return;
  form.setAttribute("aria-busy", "true");
  const sending = form.querySelector(".upload-progress");
  const hasFiles = Array.from(form.querySelectorAll("input[type=file]"))
    .some((input) => input.files && input.files.length);
  if (sending && hasFiles) {
    sending.querySelector("progress").value = 0;
    sending.hidden = false;
  }
});
document.addEventListener("htmx:xhr:progress", (event) => {
  const form = event.detail.elt || event.target;
  const bar = form instanceof HTMLFormElement && form.querySelector(".upload-progress progress");
  if (!bar || !event.detail.lengthComputable || !event.detail.total) return;
  const percent = Math.round((event.detail.loaded / event.detail.total) * 100);
  bar.value = percent;
  bar.textContent = `${percent}%`;
});
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  if (form instanceof HTMLFormElement && form.isConnected) form.removeAttribute("aria-busy");
});
let refusedUpload = false;
document.addEventListener("htmx:beforeSwap", (event) => {
  const form = event.detail.requestConfig && event.detail.requestConfig.elt;  // elt: the target
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload")) return;
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    refusedUpload = true;
  } else if (event.detail.xhr.getResponseHeader("HX-Retarget")) {
    event.detail.selectOverride = "unset";  // a fragment for elsewhere (429: the flash region)
  }
});
document.addEventListener("htmx:afterSettle", () => {
  if (!refusedUpload) return;
  refusedUpload = false;
  const alert = document.getElementById("form-alert");
  if (alert) alert.focus();  // the reasons first, as when the page is loaded whole
});

// An htmx request that fails on the server's side (5xx) or never reaches it: htmx 2 swaps
// nothing, so the patron would see no reaction. The app's own 5xx names where its message goes
// (HX-Retarget: the flash region), whatever the element meant to select; any other 5xx (a proxy's
// own page) or a lost connection shows the page's own translated message there instead.
document.addEventListener("htmx:beforeSwap", (event) => {
  const xhr = event.detail.xhr;
  if (xhr.status < 500 || !xhr.getResponseHeader("HX-Retarget")) return;
  event.detail.shouldSwap = true;
  event.detail.selectOverride = "unset";
});
function sayItFailed() {
  const region = document.getElementById("flash");
  if (!region || !region.dataset.failed) return;
  const message = document.createElement("p");
  message.className = "flash flash-error";
  message.textContent = region.dataset.failed;
  region.replaceChildren(message);
}
document.addEventListener("htmx:responseError", (event) => {
  const xhr = event.detail.xhr;
  if (xhr.status >= 500 && !xhr.getResponseHeader("HX-Retarget")) sayItFailed();
});
document.addEventListener("htmx:sendError", sayItFailed);
