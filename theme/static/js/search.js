// Search page (search.html): loads the parts of the static index a query needs
// (docs/search.md), ranks, and shows results. Every string from the index or the query is
// inserted as text, never as HTML.
import {
  decodePostings,
  isRelativeSiteUrl,
  makeSnippet,
  normalizeText,
  queryWords,
  rankDocuments,
  shardKeyFor,
  shardKeysForWord,
  wordTerms,
} from "./search-text.js";

export const PAGE_SIZE = 10;
const MAX_QUERY_LENGTH = 200; // characters; longer queries are cut
const PART_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.json$/;
const FORMAT_VERSION = 2; // search_index.py FORMAT_VERSION

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

async function fetchJson(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/**
 * The index: the manifest, and the parts it names, each fetched once and kept in a Map for
 * the session. `load(url, init)` returns parsed JSON (injectable for tests in Node).
 */
export class SearchIndex {
  constructor(manifestUrl, load = fetchJson) {
    this.manifestUrl = String(manifestUrl);
    this.load = load;
    this.manifest = null;
    this.parts = new Map(); // file -> Promise of the converted part
    this.shards = new Map(); // shard key -> Map(term -> raw entry), once loaded
    this.filed = new Map(); // term -> raw postings fetched from the file its entry names
    this.decoded = new Map(); // term -> [ids, scores]
  }

  /** Fetch the manifest (revalidated every time: it is the one file without a hash). */
  async open() {
    if (this.manifest) return this.manifest;
    const raw = await this.load(this.manifestUrl, { cache: "no-cache" });
    if (!isObject(raw) || raw.version !== FORMAT_VERSION || !isObject(raw.shards) || !Array.isArray(raw.cards)) {
      throw new Error("search manifest: unexpected format");
    }
    const keys = new Map(Object.entries(raw.shards));
    let maxKeyLength = 0;
    for (const key of keys.keys()) maxKeyLength = Math.max(maxKeyLength, key.length);
    const networks = new Map();
    for (const network of Array.isArray(raw.networks) ? raw.networks : []) {
      if (isObject(network) && typeof network.slug === "string") networks.set(network.slug, network);
    }
    const years = (Array.isArray(raw.years) ? raw.years : []).filter(
      (entry) => Array.isArray(entry) && entry.length === 3 && entry.every(Number.isInteger),
    );
    this.manifest = {
      docs: Number(raw.docs) || 0,
      cardChunk: Number(raw.card_chunk) || 1,
      cards: raw.cards,
      keys,
      maxKeyLength,
      networks,
      years,
      suggest: typeof raw.suggest === "string" ? raw.suggest : null, // the suggestion vocabulary's manifest
    };
    return this.manifest;
  }

  /** One part of the index, fetched once; a failed fetch may be tried again later. */
  part(file, convert = (value) => value) {
    if (typeof file !== "string" || !PART_NAME.test(file)) {
      return Promise.reject(new Error(`search index: bad part name ${file}`));
    }
    let promise = this.parts.get(file);
    if (!promise) {
      const url = new URL(file, this.manifestUrl).href;
      promise = this.load(url).then(convert);
      promise.catch(() => this.parts.delete(file));
      this.parts.set(file, promise);
    }
    return promise;
  }

  async shard(key) {
    if (this.shards.has(key)) return this.shards.get(key);
    const terms = await this.part(this.manifest.keys.get(key), (raw) =>
      new Map(isObject(raw) ? Object.entries(raw) : []),
    );
    this.shards.set(key, terms);
    return terms;
  }

  /** What the loaded shard of `term` says of it (undefined: not there, or not loaded). */
  entry(term) {
    const key = shardKeyFor(term, this.manifest.keys, this.manifest.maxKeyLength);
    const terms = key === null ? null : this.shards.get(key);
    return terms ? terms.get(term) : undefined;
  }

  hasTerm(term) {
    return this.entry(term) !== undefined;
  }

  /**
   * Fetch the postings of the terms whose shard names a file for them instead of listing them
   * (a term in many documents: docs/search.md): only the terms a query ranks with.
   */
  async fetchPostings(terms) {
    await Promise.all(
      terms.map(async (term) => {
        const file = this.entry(term);
        if (typeof file === "string" && !this.filed.has(term)) this.filed.set(term, await this.part(file));
      }),
    );
  }

  /** [ids, scores, inAttachment] of a term in a loaded shard (or its fetched file), decoded once. */
  postings(term) {
    let postings = this.decoded.get(term);
    if (!postings) {
      let raw = this.entry(term);
      const loaded = typeof raw === "string" ? this.filed.has(term) : raw !== undefined;
      if (typeof raw === "string") raw = this.filed.get(term);
      postings = decodePostings(raw);
      if (loaded) this.decoded.set(term, postings);
    }
    return postings;
  }

  /** The ids in a network, as a Set (empty for a network the index does not list). */
  async networkIds(slug) {
    const network = this.manifest.networks.get(slug);
    if (!network) return new Set();
    return this.part(network.file, (ids) => new Set(Array.isArray(ids) ? ids : []));
  }

  /** Load the shards needed to read `words` (normalised query words). */
  async loadFor(words) {
    const { keys, maxKeyLength } = this.manifest;
    const needed = new Set();
    for (const word of words) for (const key of shardKeysForWord(word, keys, maxKeyLength)) needed.add(key);
    await Promise.all([...needed].map((key) => this.shard(key)));
  }

  /** Does any document hold `term`? (A term of the index may be a known word of no document.) */
  hasDocuments(term) {
    if (typeof this.entry(term) === "string") return true; // postings in a file of their own: many documents
    return this.postings(term)[0].length > 0;
  }

  /**
   * Run a query: {words: [{terms, unknown, text}], terms: [every known term], ranked: [{id, ...}],
   * missing: [words of the query that matched no document], corrected: null or {from, to, reason}
   * (the query searched instead: "layout", typed with the keyboard set to English, or "typo", a
   * misspelling certain enough), suggestions: [queries offered instead]}.
   * `filters`: {network: slug or "", year: CE year or 0}.
   */
  async search(query, filters = {}) {
    await this.open();
    const typed = String(query).slice(0, MAX_QUERY_LENGTH);
    const words = queryWords(normalizeText(typed));
    const result = await this.run(words, filters);
    if (result.empty.length === 0) return { ...result, corrected: null, suggestions: [] };
    // A word no document holds: corrected by search-typos.js, loaded only now (most queries never need it).
    const { correctQuery } = await import("./search-typos.js");
    return correctQuery(this, typed, words, result, filters);
  }

  /** Does some document hold all of `terms` (their shards loaded; their postings fetched here)? */
  async anyDocument(terms) {
    await this.fetchPostings(terms);
    return rankDocuments([terms], (term) => this.postings(term)).length > 0;
  }

  /** The query's words, searched: search()'s result, and `empty`: the words no document holds. */
  async run(words, filters) {
    const manifest = this.manifest;
    const networkIds = filters.network ? this.networkIds(filters.network) : null;
    await this.loadFor(words);
    const allowedNetwork = networkIds ? await networkIds : null;

    const parsed = [];
    const seen = new Set();
    for (const word of words) {
      const terms = wordTerms(word, (term) => this.hasTerm(term));
      if (terms.terms.length === 0 && terms.unknown.length === 0) continue; // punctuation only
      const signature = JSON.stringify([terms.terms, terms.unknown]);
      if (seen.has(signature)) continue;
      seen.add(signature);
      parsed.push({ ...terms, text: word });
    }
    let range = null;
    if (filters.year) {
      const entry = manifest.years.find(([year]) => year === filters.year);
      range = entry ? [entry[1], entry[2]] : [1, 0]; // a year without documents allows nothing
    }
    const allowed =
      allowedNetwork || range
        ? (id) => (!range || (id >= range[0] && id <= range[1])) && (!allowedNetwork || allowedNetwork.has(id))
        : null;
    const matchable = parsed.filter((word) => word.unknown.length === 0 && word.terms.length > 0);
    const terms = [...new Set(matchable.flatMap((word) => word.terms))];
    await this.fetchPostings(terms);
    const matched = [];
    const ranked = rankDocuments(
      matchable.map((word) => word.terms),
      (term) => this.postings(term),
      allowed,
      matched,
    );
    // Found in the attachment: a word of the query that this document holds only in the text
    // of its attached documents (every term of the word marked so in its postings).
    for (const entry of ranked) {
      entry.inAttachment = matchable.some((word) =>
        word.terms.every((term) => {
          const attached = this.postings(term)[2];
          return Boolean(attached && attached.has(entry.id));
        }),
      );
    }
    // Words that found nothing (with the filters): the reader is told, as results then match
    // the other words only.
    const missing = parsed
      .filter((word) => !matchable.includes(word) || matched[matchable.indexOf(word)] === 0)
      .map((word) => word.text);
    // Words that no document holds at all, whatever the filters: the ones to correct.
    const empty = [];
    for (const word of parsed) {
      const k = matchable.indexOf(word);
      if (k === -1 || (matched[k] === 0 && (allowed === null || !(await this.anyDocument(word.terms))))) {
        empty.push(word.text);
      }
    }
    return { words: parsed, terms, ranked, missing, empty };
  }

  /** The cards of some ids, in the same order (null for one the index lacks). */
  async cards(ids) {
    const { cardChunk, cards } = this.manifest;
    const chunks = [...new Set(ids.map((id) => Math.floor(id / cardChunk)))];
    const loaded = new Map();
    await Promise.all(
      chunks.map(async (chunk) => {
        loaded.set(chunk, chunk < cards.length ? await this.part(cards[chunk]) : []);
      }),
    );
    return ids.map((id) => {
      const chunk = loaded.get(Math.floor(id / cardChunk));
      const card = Array.isArray(chunk) ? chunk[id % cardChunk] : null;
      return isObject(card) ? card : null;
    });
  }
}

// -------------------------------------------------------------------------------------------
// The page.

function element(name, className, text) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function text(value) {
  return typeof value === "string" ? value : "";
}

/**
 * One result: title linked to the article, Thai date, networks, snippet with <mark>s; with
 * `inAttachment`, a note that the words were found in its attached document.
 */
export function resultItem(card, terms, base, inAttachment = false) {
  const item = element("li", "search-result");
  const heading = element("h2", "search-result-title");
  const url = text(card.u);
  const title = text(card.t).trim() || url;
  if (isRelativeSiteUrl(url)) {
    const link = element("a", null, title);
    link.setAttribute("href", base + url);
    heading.append(link);
  } else {
    heading.textContent = title;
  }
  item.append(heading);

  const meta = element("p", "meta");
  if (card.k === "event") meta.append("กิจกรรม · ");
  if (text(card.td)) {
    const time = element("time", null, card.td);
    if (text(card.d)) time.setAttribute("datetime", card.d);
    meta.append(time);
  } else if (card.k === "page") {
    meta.append("หน้าข้อมูล");
  }
  const networks = (Array.isArray(card.n) ? card.n : []).filter((name) => typeof name === "string" && name);
  if (networks.length) {
    if (meta.childNodes.length) meta.append(" · ");
    meta.append(element("span", "search-networks", networks.join(", ")));
  }
  if (meta.childNodes.length) item.append(meta);

  const snippet = element("p", "search-snippet");
  for (const piece of makeSnippet(text(card.x), terms)) {
    snippet.append(piece.mark ? element("mark", null, piece.text) : piece.text);
  }
  if (snippet.childNodes.length) item.append(snippet);
  if (inAttachment) item.append(element("p", "search-in-attachment", "พบในเอกสารแนบ"));
  return item;
}

function readParams(search) {
  const params = new URLSearchParams(search);
  const year = Number.parseInt(params.get("year") || "", 10);
  return {
    q: (params.get("q") || "").trim(),
    network: params.get("network") || "",
    year: Number.isInteger(year) && String(year) === (params.get("year") || "").trim() ? year : 0,
  };
}

/** The address's query string for a search: q, then the filters that are set. */
function queryString({ q, network, year }) {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (network) params.set("network", network);
  if (year) params.set("year", String(year));
  return params.toString();
}

function hasOption(select, value) {
  return Array.from(select.options).some((option) => option.value === value);
}

function initPage() {
  const results = document.getElementById("search-results");
  const form = document.getElementById("search-form");
  if (!results || !form) return;
  const status = document.getElementById("search-status");
  const suggestion = document.getElementById("search-suggestion");
  const more = document.getElementById("search-more");
  const input = form.querySelector('input[name="q"]');
  const networkSelect = form.querySelector('select[name="network"]');
  const yearSelect = form.querySelector('select[name="year"]');
  const base = results.dataset.base || "/";
  const index = new SearchIndex(new URL(results.dataset.index, document.baseURI));
  const pageTitle = document.title;
  let current = null; // {found, shown, terms}
  let generation = 0; // a newer search makes older ones drop their results

  const say = (message) => {
    if (status) status.textContent = message;
  };
  const busy = (value) => results.setAttribute("aria-busy", value ? "true" : "false");
  const failed = (error) => {
    console.error(error);
    say("ขออภัย โหลดข้อมูลการค้นหาไม่สำเร็จ กรุณาลองใหม่อีกครั้ง");
    busy(false);
  };

  // Filters: only values the form offers; anything else in the URL is ignored.
  const applyParams = (params) => {
    if (input) input.value = params.q;
    if (networkSelect) networkSelect.value = hasOption(networkSelect, params.network) ? params.network : "";
    if (yearSelect) yearSelect.value = hasOption(yearSelect, String(params.year)) ? String(params.year) : "";
    return {
      q: params.q,
      network: networkSelect ? networkSelect.value : "",
      year: yearSelect && yearSelect.value ? Number(yearSelect.value) : 0,
    };
  };

  const showMore = async () => {
    const run = generation;
    const { found, terms } = current;
    const entries = found.slice(current.shown, current.shown + PAGE_SIZE);
    const ids = entries.map((entry) => entry.id);
    busy(true);
    const cards = await index.cards(ids);
    if (run !== generation) return null;
    const items = [];
    cards.forEach((card, k) => {
      if (card) items.push(resultItem(card, terms, base, Boolean(entries[k].inAttachment)));
    });
    results.append(...items);
    current.shown += ids.length;
    if (more) more.hidden = current.shown >= found.length;
    busy(false);
    return items;
  };

  // What was searched instead of the query, or the spellings offered (links to those queries).
  const suggest = (params, result) => {
    if (!suggestion) return;
    suggestion.replaceChildren();
    const { corrected, suggestions } = result || {};
    if (corrected && corrected.reason === "layout") {
      suggestion.append(`ค้นหา “${corrected.to}” แทน “${corrected.from}” (แป้นพิมพ์ภาษาอังกฤษ)`);
    } else if (corrected) {
      suggestion.append(`ไม่พบ “${corrected.from}” จึงค้นหา “${corrected.to}” แทน`);
    } else if (suggestions && suggestions.length) {
      suggestion.append("หมายถึง ");
      suggestions.forEach((q, k) => {
        const link = element("a", null, q);
        link.setAttribute("href", `?${queryString({ ...params, q })}`);
        suggestion.append(k ? " หรือ “" : "“", link, "”");
      });
      suggestion.append(" หรือไม่?");
    }
  };

  const runSearch = async (params) => {
    const run = ++generation;
    current = null;
    if (more) more.hidden = true;
    results.replaceChildren();
    suggest(params, null);
    document.title = params.q ? `${params.q} · ${pageTitle}` : pageTitle;
    if (!params.q) {
      say("");
      busy(false);
      return;
    }
    busy(true);
    say("กำลังค้นหา…");
    const result = await index.search(params.q, params);
    if (run !== generation) return;
    suggest(params, result);
    current = { found: result.ranked, shown: 0, terms: result.terms };
    if (result.ranked.length === 0) {
      say(`ไม่พบผลลัพธ์สำหรับ “${params.q}”${params.network || params.year ? " ตามตัวกรองที่เลือก" : ""}`);
      busy(false);
      return;
    }
    await showMore();
    if (run !== generation) return;
    const count = `พบ ${result.ranked.length.toLocaleString("th-TH")} รายการ`;
    const missing = result.missing.map((word) => `“${word}”`).join(" ");
    say(missing ? `${count} (ไม่พบคำว่า ${missing} ผลลัพธ์ตรงกับคำอื่นเท่านั้น)` : count);
  };

  const start = (params) => runSearch(applyParams(params)).catch(failed);

  // The first search may start before the manifest is known (filters then wait for it).
  const initial = readParams(window.location.search);
  if (initial.q) busy(true);
  index
    .open()
    .then((manifest) => {
      if (yearSelect) {
        for (const [year] of manifest.years) {
          const option = element("option", null, `พ.ศ. ${year + 543}`);
          option.value = String(year);
          yearSelect.append(option);
        }
      }
      return start(initial);
    })
    .catch(failed);

  // A new query: into the address (so Back returns to the last one), then searched.
  const go = (params) => {
    const search = queryString(params);
    const url = `${window.location.pathname}${search ? `?${search}` : ""}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.pushState(null, "", url);
    start(readParams(search));
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    go({
      q: input ? input.value.trim() : "",
      network: networkSelect ? networkSelect.value : "",
      year: yearSelect ? yearSelect.value : "",
    });
  });

  if (suggestion) {
    suggestion.addEventListener("click", (event) => {
      const link = event.target instanceof Element ? event.target.closest("a") : null;
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault(); // the same page: searched here, without loading it again
      go(readParams(link.search));
    });
  }

  window.addEventListener("popstate", () => start(readParams(window.location.search)));

  if (more) {
    more.addEventListener("click", () => {
      if (!current) return;
      showMore()
        .then((items) => {
          const link = items && items.length ? items[0].querySelector("a") : null;
          if (link) link.focus(); // keyboard users continue at the first new result
        })
        .catch(failed);
    });
  }
}

if (typeof document !== "undefined") initPage();
