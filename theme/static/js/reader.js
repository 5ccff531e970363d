/* ขนาดตัวอักษรและความเปรียบต่างสูง: the reader's text size and contrast, on every page.
 *
 * A classic script, not a module and not deferred: partials/head.html loads it in <head>, so it
 * runs before the body is parsed and the page is first drawn. The chosen size and contrast are
 * on <html> from the first paint (no flash of the wrong size, nothing moves); the site's CSP
 * allows no inline script, so this small file is the one blocking request that costs.
 *
 *   <html data-js>                      scripts run: parts marked data-js-shown show from the first
 *                                       paint (site.css), so revealing them later moves nothing
 *   <html data-text-size="115">         one of SIZES, in per cent; site.css sets the root font size
 *   <html data-contrast="more|normal">  the reader's choice, else the system's prefers-contrast
 *
 * The controls (partials/reader_tools.html): [data-reader-tools] (shown here),
 * [data-text-size-step="-1|0|1"] (smaller, normal, larger), [data-contrast-toggle] (aria-pressed),
 * [data-reader-status] (what changed, for screen readers). The choice is kept in this browser's
 * localStorage ("text-size", "contrast"), never in a cookie, and nothing leaves the browser; other
 * tabs and pages brought back by the back button follow it.
 */
(() => {
  "use strict";

  const SIZES = [90, 100, 115, 130, 150];
  const NORMAL = 100;
  const KEYS = { size: "text-size", contrast: "contrast" };
  const root = document.documentElement;
  const systemContrast = typeof window.matchMedia === "function" ? window.matchMedia("(prefers-contrast: more)") : null;

  // Storage may be switched off or full (private windows): then a choice lasts for this page.
  const read = (key) => {
    try { return window.localStorage.getItem(key); } catch { return null; }
  };
  const write = (key, value) => {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch { /* not kept: nothing else to do */ }
  };

  let size = NORMAL;
  let contrast = "normal";

  /** The choice in storage; anything else found there (an old or edited value) counts as none. */
  function load() {
    const stored = Number(read(KEYS.size));
    size = SIZES.includes(stored) ? stored : NORMAL;
    const chosen = read(KEYS.contrast);
    contrast = chosen === "more" || chosen === "normal" ? chosen
      : systemContrast && systemContrast.matches ? "more" : "normal";
  }

  function apply() {
    root.dataset.textSize = String(size);
    root.dataset.contrast = contrast;
  }

  root.dataset.js = "";
  load();
  apply();

  function say(status, message) {
    if (!status) return;
    status.textContent = "";
    // A fresh text node a moment later: screen readers announce a repeated message again.
    window.setTimeout(() => { status.textContent = message; }, 50);
  }

  function sizeMessage(step) {
    if (step < 0 && size === SIZES[0]) return `ตัวอักษรเล็กที่สุดแล้ว ${size}%`;
    if (step > 0 && size === SIZES[SIZES.length - 1]) return `ตัวอักษรใหญ่ที่สุดแล้ว ${size}%`;
    return size === NORMAL ? `ขนาดตัวอักษรปกติ ${size}%` : `ขนาดตัวอักษร ${size}%`;
  }

  function start() {
    const tools = document.querySelector("[data-reader-tools]");
    if (!tools) return;
    const steps = [...tools.querySelectorAll("[data-text-size-step]")];
    const toggle = tools.querySelector("[data-contrast-toggle]");
    const status = tools.querySelector("[data-reader-status]");

    const show = () => {
      const at = SIZES.indexOf(size);
      for (const button of steps) {
        const step = Number(button.dataset.textSizeStep);
        if (step === 0) button.setAttribute("aria-pressed", String(size === NORMAL));
        else button.setAttribute("aria-disabled", String(step < 0 ? at === 0 : at === SIZES.length - 1));
      }
      if (toggle) toggle.setAttribute("aria-pressed", String(contrast === "more"));
    };

    for (const button of steps) {
      button.addEventListener("click", () => {
        const step = Number(button.dataset.textSizeStep);
        const at = SIZES.indexOf(size);
        size = step === 0 ? NORMAL : SIZES[Math.min(SIZES.length - 1, Math.max(0, at + Math.sign(step)))];
        write(KEYS.size, size === NORMAL ? null : String(size));
        apply();
        show();
        say(status, sizeMessage(step));
      });
    }
    if (toggle) {
      toggle.addEventListener("click", () => {
        contrast = contrast === "more" ? "normal" : "more";
        write(KEYS.contrast, contrast);
        apply();
        show();
        say(status, contrast === "more" ? "เปิดความเปรียบต่างสูงแล้ว" : "ปิดความเปรียบต่างสูงแล้ว");
      });
    }

    // Another tab changed the choice, the page came back from the back-forward cache, or the
    // system's contrast changed (followed while the reader has not chosen): show the choice.
    const follow = () => { load(); apply(); show(); };
    window.addEventListener("storage", (event) => {
      if (event.key === null || event.key === KEYS.size || event.key === KEYS.contrast) follow();
    });
    window.addEventListener("pageshow", (event) => { if (event.persisted) follow(); });
    if (systemContrast && typeof systemContrast.addEventListener === "function") {
      systemContrast.addEventListener("change", follow);
    }

    show();
    tools.hidden = false;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
