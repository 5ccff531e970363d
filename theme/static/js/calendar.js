/* ปฏิทินความดี: the calendar pages, the "next events" blocks and the event pages.
 *
 * The site is built ahead of time, so it cannot know today's date: every event is in the HTML
 * with its first and last day (ISO, Bangkok) in data attributes, and this module decides here,
 * from the reader's clock, which ones are still to come. A site built last week is still right.
 * Filters by network and district live in the URL (?network=religion&district=mae-sai).
 * Nothing is styled from here: elements are shown and hidden with the `hidden` attribute.
 *
 *   [data-calendar-list="upcoming"|"past"|"all"|"next"]  a list; "next" has data-limit
 *   [data-calendar-item]          one event: data-first, data-last, data-networks, data-district
 *   [data-calendar-group]         a month heading and its events: hidden when none shows
 *   [data-calendar-empty]         shown when nothing shows (data-empty-text, data-filtered-text)
 *   [data-calendar-status]        "N กิจกรรม" (data-count-text with {n})
 *   [data-calendar-past-label]    "ผ่านไปแล้ว" on an item that has ended
 *   [data-calendar-reveal]        hidden without JavaScript, shown here
 *   [data-calendar-filters]       the filter form (hidden without JavaScript)
 *   [data-calendar-keep-filters]  links that carry the chosen filters to another calendar page
 *   [data-calendar-event]         an event page: data-first, data-last
 *   [data-calendar-past-notice]   "this event has ended", on an event page
 */

const BANGKOK_OFFSET_MS = 7 * 60 * 60 * 1000; // Asia/Bangkok is UTC+7 all year (no daylight saving)
export const FILTER_KEYS = ["network", "district"];

/** Today's date in Bangkok, "YYYY-MM-DD", whatever the reader's own time zone. */
export function bangkokToday(now = Date.now()) {
  return new Date(now + BANGKOK_OFFSET_MS).toISOString().slice(0, 10);
}

/** An event has ended once its last day is before today (ISO dates compare as strings). */
export function hasEnded(lastDay, today) {
  return typeof lastDay === "string" && lastDay !== "" && lastDay < today;
}

/** The filters named in a query string, keeping only values some option offers. */
export function readFilters(search, allowed = {}) {
  const params = new URLSearchParams(search);
  const filters = {};
  for (const key of FILTER_KEYS) {
    const value = (params.get(key) || "").trim();
    filters[key] = value && (!allowed[key] || allowed[key].has(value)) ? value : "";
  }
  return filters;
}

/** Does an event (its data attributes) match the filters? */
export function matches(data, filters) {
  if (filters.network && !(data.networks || "").split(" ").includes(filters.network)) return false;
  if (filters.district && (data.district || "") !== filters.district) return false;
  return true;
}

/** The same URL with the filters set (empty ones removed), other parameters kept. */
export function withFilters(href, filters, base) {
  const url = new URL(href, base);
  for (const key of FILTER_KEYS) {
    if (filters[key]) url.searchParams.set(key, filters[key]);
    else url.searchParams.delete(key);
  }
  return url;
}

function applyList(list, today, filters) {
  const mode = list.dataset.calendarList;
  const limit = Number.parseInt(list.dataset.limit || "0", 10);
  let shown = 0;
  for (const item of list.querySelectorAll("[data-calendar-item]")) {
    const ended = hasEnded(item.dataset.last, today);
    const label = item.querySelector("[data-calendar-past-label]");
    if (label) label.hidden = !ended;
    let visible = mode === "past" ? ended : mode === "all" ? true : !ended;
    visible = visible && matches(item.dataset, filters);
    if (visible && limit > 0 && shown >= limit) visible = false;
    item.hidden = !visible;
    if (visible) shown += 1;
  }
  for (const group of list.querySelectorAll("[data-calendar-group]")) {
    group.hidden = !group.querySelector("[data-calendar-item]:not([hidden])");
  }
  for (const reveal of list.querySelectorAll("[data-calendar-reveal]")) {
    reveal.hidden = shown === 0;
  }
  const filtered = FILTER_KEYS.some((key) => filters[key]);
  const empty = list.querySelector("[data-calendar-empty]");
  if (empty) {
    const text = filtered ? empty.dataset.filteredText : empty.dataset.emptyText;
    if (text) empty.textContent = text;
    empty.hidden = shown > 0;
  }
  const status = list.querySelector("[data-calendar-status]");
  if (status && status.dataset.countText) {
    status.textContent = shown > 0 ? status.dataset.countText.replace("{n}", String(shown)) : "";
  }
}

function optionValues(select) {
  return new Set([...select.options].map((option) => option.value).filter(Boolean));
}

export function start(doc = document, now = Date.now()) {
  const today = bangkokToday(now);
  const form = doc.querySelector("[data-calendar-filters]");
  const lists = [...doc.querySelectorAll("[data-calendar-list]")];
  let filters = { network: "", district: "" };

  const apply = () => {
    for (const list of lists) applyList(list, today, form ? filters : { network: "", district: "" });
    if (form) {
      for (const link of doc.querySelectorAll("a[data-calendar-keep-filters]")) {
        const target = withFilters(link.getAttribute("href"), filters, doc.location.href);
        link.setAttribute("href", target.origin === doc.location.origin ? target.pathname + target.search + target.hash : target.href);
      }
    }
    doc.documentElement.dataset.calendarToday = today; // for tests and for styling, if ever needed
  };

  if (form) {
    const selects = Object.fromEntries(FILTER_KEYS.map((key) => [key, form.elements.namedItem(key)]).filter(([, el]) => el));
    const allowed = Object.fromEntries(Object.entries(selects).map(([key, el]) => [key, optionValues(el)]));
    filters = readFilters(doc.location.search, allowed);
    for (const [key, select] of Object.entries(selects)) select.value = filters[key];
    const update = () => {
      filters = readFilters(
        "?" + new URLSearchParams(Object.entries(selects).map(([key, el]) => [key, el.value])).toString(),
        allowed,
      );
      const url = withFilters(doc.location.href, filters, doc.location.href);
      doc.defaultView.history.replaceState(null, "", url.pathname + url.search + url.hash);
      apply();
    };
    form.addEventListener("change", update);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      update();
    });
    form.hidden = false;
  }

  const page = doc.querySelector("[data-calendar-event]");
  if (page) {
    const notice = page.querySelector("[data-calendar-past-notice]");
    if (notice) notice.hidden = !hasEnded(page.dataset.last, today);
  }
  apply();
}

if (typeof document !== "undefined") start();
