// "Copy" buttons next to read-only fields: copy the field's text, say so on the button.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    document.execCommand("copy"); // http:// pages have no clipboard API
  }
  button.textContent = button.dataset.copied;
});
