// Admin, adding an election: choosing Pilkada or Pemilu fills in that kind's statutory deadline rules
// (the figures come from the server in data-default-rules; an admin can still change each one).
document.addEventListener("DOMContentLoaded", () => {
  const kind = document.getElementById("id_kind");
  if (!kind || !kind.dataset.defaultRules || !window.location.pathname.endsWith("/add/")) {
    return;
  }
  const rules = JSON.parse(kind.dataset.defaultRules);
  kind.addEventListener("change", () => {
    const values = rules[kind.value];
    if (!values) {
      return;
    }
    for (const [name, value] of Object.entries(values)) {
      const input = document.getElementById(`id_${name}`);
      if (input) {
        input.value = value;
      }
    }
  });
});
