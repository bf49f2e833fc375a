// Device page: refresh the "latest values" block from the API every few seconds.
// Progressive enhancement only: without JavaScript the page shows the values of its last load.
(() => {
  const block = document.querySelector("[data-latest-url]");
  if (!block || !window.fetch) return;
  const refreshMs = Number(block.dataset.refreshMs) || 10000;
  const lang = document.documentElement.lang || "nl";
  const numbers = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const pad = (n) => String(n).padStart(2, "0");

  function amsterdam(iso) {
    // e.g. 2026-11-22 10:00:05 in Amsterdam time, as the server renders it.
    const parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
    }).formatToParts(new Date(iso));
    const get = (type) => parts.find((p) => p.type === type).value;
    return `${get("year")}-${get("month")}-${get("day")} ${pad(get("hour") % 24)}:${get("minute")}:${get("second")}`;
  }

  function update(item) {
    const row = block.querySelector(`tr[data-sensor="${item.sensor_id}"]`);
    if (!row || item.value === null) return;
    const value = row.querySelector(".value");
    const text = numbers.format(item.value);
    if (value.textContent !== text) {
      value.textContent = text;
      row.classList.add("updated");
      setTimeout(() => row.classList.remove("updated"), 1500);
    }
    row.querySelector(".time").textContent = amsterdam(item.ts);
  }

  async function refresh() {
    if (document.hidden) return;
    try {
      const response = await fetch(block.dataset.latestUrl, {
        credentials: "same-origin", headers: { Accept: "application/json" },
      });
      if (response.ok) (await response.json()).items.forEach(update);
    } catch (error) {
      // Offline or server restarting: keep the values shown and try again later.
    }
  }

  setInterval(refresh, refreshMs);
})();
