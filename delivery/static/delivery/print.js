// The patient page's "Print" button: shown only when scripts run, since it needs one.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("button.print");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
