// Netralitas: behaviour shared by every page. No inline scripts: this file is the place for them.
document.addEventListener("htmx:responseError", (event) => {
  const target = event.detail.target;
  if (target) {
    target.innerHTML =
      '<div class="alert alert-danger" role="alert">Permintaan gagal diproses server. Coba lagi; isian Anda tidak hilang.</div>';
  }
});
document.addEventListener("htmx:sendError", (event) => {
  const target = event.detail.target;
  if (target) {
    target.innerHTML =
      '<div class="alert alert-warning" role="alert">Server tidak dapat dihubungi. Periksa koneksi lalu coba lagi.</div>';
  }
});

// A button with data-confirm asks before it submits (deleting, for instance).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
