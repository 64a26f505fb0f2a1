// Small progressive enhancements; every action also works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const alert = document.getElementById("form-alert");
  if (alert) alert.focus();
});
