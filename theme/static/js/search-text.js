// The query side of the Thai search (docs/search.md): text pipeline, terms, ranking and
// snippets. Pure functions only (no DOM, no fetch), so that Node can import and test them.
//
// The index side is plugins/thainews/search_text.py; both must give the same terms.

// ---------------------------------------------------------------------------------------------
// Character classes, from pythainlp/__init__.py (PyThaiNLP 5.4).
const THAI_CONSONANTS = "กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ";
const THAI_VOWELS =
  "\u0e24\u0e26\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37" +
  "\u0e38\u0e39\u0e40\u0e41\u0e42\u0e43\u0e44\u0e45\u0e4d\u0e47";
const LEAD_V = "\u0e40\u0e41\u0e42\u0e43\u0e44";
const FOLLOW_V = "\u0e30\u0e32\u0e33\u0e45";
const ABOVE_V = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e4d\u0e47";
const BELOW_V = "\u0e38\u0e39";
const TONEMARKS = "\u0e48\u0e49\u0e4a\u0e4b";

// ---------------------------------------------------------------------------------------------
// Port of pythainlp/util/normalize.py `normalize` (5.4). Python `re` and these JavaScript
// patterns behave alike here: plain character classes, greedy backtracking, leftmost
// non-overlapping replacement; the `u` flag makes both work on code points.
const EXACT = "="; // a shard key "=term" holds that one term (search_index.py EXACT)
const DANGLING_CHARS = `${ABOVE_V}${BELOW_V}${TONEMARKS}\u0e3a\u0e4c\u0e4d\u0e4e`;
const RE_REMOVE_DANGLINGS = new RegExp(`^[${DANGLING_CHARS}]+`, "u");
const RE_REMOVE_DANGLINGS_AFTER_SPACE = new RegExp(` +[${DANGLING_CHARS}]+`, "gu");
const ZERO_WIDTH = /[\u200b\u200c]/g; // ZWSP, ZWNJ
const REORDER_PAIRS = [
  [/\u0e40\u0e40/gu, "\u0e41"], // Sara E + Sara E -> Sara Ae
  [new RegExp(`([${TONEMARKS}\u0e4c]+)([${ABOVE_V}${BELOW_V}]+)`, "gu"), "$2$1"],
  [new RegExp(`\u0e4d([${TONEMARKS}]*)\u0e32`, "gu"), "$1\u0e33"], // Nikhahit (+ tone) + Sara Aa -> Sara Am
  [new RegExp(`([${FOLLOW_V}]+)([${TONEMARKS}]+)`, "gu"), "$2$1"],
  [/([^\u0e24\u0e26])\u0e45/gu, "$1\u0e32"], // Lakkhangyao -> Sara Aa
];
// Vowels + Phinthu, Thanthakhat, Nikhahit, Yamakkan (Nikhahit twice, as in PyThaiNLP).
const NOREPEAT_CHARS = `${FOLLOW_V}${LEAD_V}${ABOVE_V}${BELOW_V}\u0e3a\u0e4c\u0e4d\u0e4e`;
const NOREPEAT_PAIRS = Array.from(NOREPEAT_CHARS, (ch) => [new RegExp(`(${ch}[ ]*)+${ch}`, "gu"), ch]);
const RE_TONEMARKS = new RegExp(`[${TONEMARKS}]+`, "gu");
const RE_REMOVE_NEWLINES = /[ \n]*\n[ \n]*/g;
const RE_REMOVE_SPACES_BEFORE_NONBASE = new RegExp(
  `([${THAI_CONSONANTS}])(?<![${THAI_VOWELS}][${THAI_CONSONANTS}]) ([${DANGLING_CHARS}])`,
  "gu",
);
// Python's str.strip() removes what str.isspace() calls whitespace: not U+FEFF (which
// String.prototype.trim removes) but U+001C–U+001F and U+0085 (which trim keeps).
const PY_SPACE = "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
const RE_PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "g");

export function removeZw(text) {
  return text.replace(ZERO_WIDTH, "");
}

export function removeDupSpaces(text) {
  return text.replace(/ {2,}/g, " ").replace(RE_REMOVE_NEWLINES, "\n").replace(RE_PY_STRIP, "");
}

export function removeSpacesBeforeMarks(text) {
  return text.replace(RE_REMOVE_SPACES_BEFORE_NONBASE, "$1$2");
}

export function reorderVowels(text) {
  for (const [pattern, replacement] of REORDER_PAIRS) text = text.replace(pattern, replacement);
  return text;
}

export function removeRepeatVowels(text) {
  text = reorderVowels(text);
  for (const [pattern, replacement] of NOREPEAT_PAIRS) text = text.replace(pattern, replacement);
  return text.replace(RE_TONEMARKS, (marks) => marks[marks.length - 1]); // keep the last tone mark
}

export function removeDangling(text) {
  return text.replace(RE_REMOVE_DANGLINGS, "").replace(RE_REMOVE_DANGLINGS_AFTER_SPACE, " ");
}

/** PyThaiNLP 5.4 `pythainlp.util.normalize`, step by step in the same order. */
export function thaiNormalize(text) {
  text = removeZw(text);
  text = removeDupSpaces(text);
  text = removeSpacesBeforeMarks(text);
  text = removeRepeatVowels(text);
  return removeDangling(text);
}

// ---------------------------------------------------------------------------------------------
// The pipeline (docs/search.md, "One text pipeline, two implementations").
const THAI_DIGITS = /[\u0e50-\u0e59]/g;

function arabicDigit(digit) {
  return String.fromCharCode(digit.charCodeAt(0) - 0x0e50 + 48);
}

/** Steps 1–2: NFC and PyThaiNLP normalize. The form of card text ("x"). */
export function normalizeForDisplay(text) {
  return thaiNormalize(String(text ?? "").normalize("NFC"));
}

/** Steps 1–4: as display, plus Thai digits → Arabic and lower case. The form of terms. */
export function normalizeText(text) {
  return normalizeForDisplay(text).replace(THAI_DIGITS, arabicDigit).toLowerCase();
}

/**
 * Steps 3–4 applied one character at a time, so the result has exactly the length of the
 * input (a character whose lower case is longer, such as "İ", is kept as it is). Used to find
 * terms in card text and highlight the same positions in the original.
 */
export function foldForMatch(text) {
  let out = "";
  for (const ch of text) {
    if (ch >= "\u0e50" && ch <= "\u0e59") {
      out += arabicDigit(ch);
    } else {
      const lower = ch.toLowerCase();
      out += lower.length === ch.length ? lower : ch;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Character clusters: a word boundary never falls inside one.
const ATTACHES_TO_PREVIOUS = new Set(
  "\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e45" +
    "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e",
);
const LEADING_VOWELS = new Set(LEAD_V);

/** May a boundary fall before text[position]? Always at the ends. */
export function cutAllowed(text, position) {
  if (position <= 0 || position >= text.length) return true;
  const code = text.charCodeAt(position);
  if (code >= 0xdc00 && code <= 0xdfff) return false; // never split a surrogate pair
  return !ATTACHES_TO_PREVIOUS.has(text[position]) && !LEADING_VOWELS.has(text[position - 1]);
}

// ---------------------------------------------------------------------------------------------
// Terms. Runs as in search_text.py: Thai letters (U+0E01–U+0E4E, Thai digits) and
// Latin/digit runs; everything else separates. Inside a Thai run, ฯ and ๆ are dropped by the
// index (they never form terms), so on the query side they separate too.
const RE_RUNS = /([\u0e01-\u0e4e\u0e50-\u0e59]+)|([0-9a-z]+(?:[.\-][0-9a-z]+)*)/g;
const RE_THAI_NOISE = /[\u0e2f\u0e46\u0e4f\u0e5a\u0e5b.]+/;

/** The query split on spaces into words (the input is already normalised). */
export function queryWords(normalized) {
  return String(normalized ?? "").split(/\s+/u).filter((word) => word !== "");
}

/** The runs of one word: [{kind: "thai" | "latin", text}], in order. */
export function wordRuns(word) {
  const runs = [];
  for (const match of word.matchAll(RE_RUNS)) {
    if (match[2]) {
      runs.push({ kind: "latin", text: match[2] });
    } else {
      for (const piece of match[1].split(RE_THAI_NOISE)) {
        if (piece) runs.push({ kind: "thai", text: piece });
      }
    }
  }
  return runs;
}

/** The parts of a Latin/digit run that holds "." or "-" (`pm2.5` → `pm2`, `5`). */
export function latinParts(token) {
  return token.split(/[.\-]/).filter((part) => part !== "");
}

/**
 * Segment a Thai run against a vocabulary: the split that leaves the fewest characters
 * unmatched, then uses the fewest pieces; boundaries only between character clusters.
 * Adjacent unmatched characters form one unknown piece. Ties go to the longer first piece.
 * Returns [{text, known}] in order.
 */
export function segment(run, hasTerm) {
  const n = run.length;
  if (n === 0) return [];
  const boundary = [];
  for (let i = 0; i <= n; i++) boundary.push(cutAllowed(run, i));
  // best[i]: the best split of run[i:], as [unmatched, pieces, next, known]
  const best = new Array(n + 1).fill(null);
  best[n] = [0, 0, n, true];
  for (let i = n - 1; i >= 0; i--) {
    if (!boundary[i]) continue;
    let choice = null;
    const consider = (unmatched, pieces, next, known) => {
      if (choice === null || unmatched < choice[0] || (unmatched === choice[0] && pieces < choice[1])) {
        choice = [unmatched, pieces, next, known];
      }
    };
    for (let j = n; j > i; j--) {
      if (boundary[j] && best[j] && hasTerm(run.slice(i, j))) consider(best[j][0], best[j][1] + 1, j, true);
    }
    // An unknown piece runs to a boundary where a known piece (or the end) follows.
    for (let j = i + 1; j <= n; j++) {
      if (boundary[j] && best[j] && (j === n || best[j][3])) consider(best[j][0] + j - i, best[j][1] + 1, j, false);
    }
    best[i] = choice;
  }
  const pieces = [];
  for (let i = 0; i < n; i = best[i][2]) pieces.push({ text: run.slice(i, best[i][2]), known: best[i][3] });
  return pieces;
}

/**
 * The terms of one space-separated word: {terms: [...distinct known terms], unknown: [...]}.
 * A Latin/digit run is one term; one with "." or "-" that the index does not hold as a whole
 * is replaced by its parts (all required).
 */
export function wordTerms(word, hasTerm) {
  const terms = [];
  const unknown = [];
  const add = (term, known) => {
    const list = known ? terms : unknown;
    if (!list.includes(term)) list.push(term);
  };
  for (const run of wordRuns(word)) {
    if (run.kind === "latin") {
      const token = run.text;
      if (hasTerm(token) || !/[.\-]/.test(token)) {
        add(token, hasTerm(token));
      } else {
        for (const part of latinParts(token)) add(part, hasTerm(part));
      }
    } else {
      for (const piece of segment(run.text, hasTerm)) add(piece.text, piece.known);
    }
  }
  return { terms, unknown };
}

// ---------------------------------------------------------------------------------------------
// Shards: every term lives in the shard whose key is the longest manifest key that is a
// prefix of it.

/** The shard key of `term` in `keys` (a Set or Map): its own key "=" + term if the index gives
 * it one (a common word with a shard of its own), else the longest key that is a prefix of
 * it, or null. */
export function shardKeyFor(term, keys, maxKeyLength) {
  if (keys.has(`${EXACT}${term}`)) return `${EXACT}${term}`; // a common word with a shard of its own
  for (let length = Math.min(maxKeyLength, term.length); length > 0; length--) {
    const key = term.slice(0, length);
    if (keys.has(key)) return key;
  }
  return null;
}

/** Every key needed to look up the terms of a word (all prefixes at every cluster start). */
export function shardKeysForWord(word, keys, maxKeyLength) {
  const needed = new Set();
  const prefixesAt = (text, start) => {
    for (let length = 1; length <= maxKeyLength && start + length <= text.length; length++) {
      const key = text.slice(start, start + length);
      if (keys.has(key)) needed.add(key);
      if (keys.has(`${EXACT}${key}`)) needed.add(`${EXACT}${key}`);
    }
  };
  for (const run of wordRuns(word)) {
    if (run.kind === "latin") {
      prefixesAt(run.text, 0);
      for (const part of latinParts(run.text)) prefixesAt(part, 0);
    } else {
      for (let i = 0; i < run.text.length; i++) if (cutAllowed(run.text, i)) prefixesAt(run.text, i);
    }
  }
  return needed;
}

// ---------------------------------------------------------------------------------------------
// Ranking.

/**
 * Decode one term's postings as written in a shard, [[gap, gap, …], [score, score, …]] (ids
 * ascending, each the gap from the one before, the first as is), into [ids, scores,
 * inAttachment]. A negative score marks a document that holds the term only in its attached
 * documents (a PDF's text): its score is the absolute value, its id is in the Set inAttachment.
 * Anything malformed gives no postings.
 */
export function decodePostings(raw) {
  const none = [[], [], new Set()];
  if (!Array.isArray(raw) || raw.length !== 2 || !Array.isArray(raw[0]) || !Array.isArray(raw[1])) return none;
  const [gaps, written] = raw;
  if (gaps.length !== written.length) return none;
  const ids = new Array(gaps.length);
  const scores = new Array(gaps.length);
  const inAttachment = new Set();
  let id = 0;
  for (let k = 0; k < gaps.length; k++) {
    id += gaps[k];
    ids[k] = id;
    scores[k] = Math.abs(written[k]);
    if (written[k] < 0) inAttachment.add(id);
  }
  return [ids, scores, inAttachment];
}

/**
 * Rank documents. `words` is a list of term lists (one per space-separated word; a word with
 * an unknown term matches nothing, so the caller leaves it out). `postings(term)` gives
 * [ids, scores] (decoded). `allowed(id)` (optional) filters candidates.
 * Within a word all terms must match (score = sum); across words, documents matching more
 * words first, then higher total score, then larger id (newer: ids follow dates, oldest first).
 * Returns [{id, words, score}], best first. `matchedPerWord` (optional array) receives, for
 * each word in order, how many documents matched it.
 */
export function rankDocuments(words, postings, allowed = null, matchedPerWord = null) {
  const total = new Map(); // id -> [words matched, score]
  for (const terms of words) {
    if (!terms || terms.length === 0) {
      if (matchedPerWord) matchedPerWord.push(0);
      continue;
    }
    const lists = terms.map((term) => postings(term) || [[], []]);
    lists.sort((a, b) => a[0].length - b[0].length); // start from the rarest term
    let current = new Map();
    const [firstIds, firstScores] = lists[0];
    for (let k = 0; k < firstIds.length; k++) {
      const id = firstIds[k];
      if (allowed === null || allowed(id)) current.set(id, (current.get(id) || 0) + firstScores[k]);
    }
    for (let l = 1; l < lists.length && current.size > 0; l++) {
      const [ids, scores] = lists[l];
      const next = new Map();
      for (let k = 0; k < ids.length; k++) {
        const sofar = current.get(ids[k]);
        if (sofar !== undefined) next.set(ids[k], sofar + scores[k]);
      }
      current = next;
    }
    if (matchedPerWord) matchedPerWord.push(current.size);
    for (const [id, score] of current) {
      const entry = total.get(id);
      if (entry) {
        entry[0] += 1;
        entry[1] += score;
      } else {
        total.set(id, [1, score]);
      }
    }
  }
  const ranked = [];
  for (const [id, [matched, score]] of total) ranked.push({ id, words: matched, score });
  ranked.sort((a, b) => b.words - a.words || b.score - a.score || b.id - a.id);
  return ranked;
}

// ---------------------------------------------------------------------------------------------
// Snippets.

/**
 * Occurrences of terms in `folded` that do not split a character cluster, as [start, end]
 * ranges: merged when they overlap, or raw (sorted by start) when `merge` is false.
 */
function occurrences(folded, terms, from = 0, to = folded.length, merge = true) {
  const found = [];
  for (const term of terms) {
    if (!term) continue;
    let at = folded.indexOf(term, from);
    while (at !== -1 && at + term.length <= to) {
      if (cutAllowed(folded, at) && cutAllowed(folded, at + term.length)) found.push([at, at + term.length]);
      at = folded.indexOf(term, at + 1);
    }
  }
  found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  if (!merge) return found;
  const merged = [];
  for (const [start, end] of found) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function isSpace(ch) {
  return ch === " " || ch === "\n" || ch === "\t";
}

/**
 * A snippet of `text` (card "x", pipeline steps 1–2 applied) around the first occurrence of
 * any of `terms` (normalised, steps 1–4), about `size` characters long, cut at spaces where
 * possible. Returns [{text, mark}] pieces, with "…" pieces at cut ends (mark false).
 */
export function makeSnippet(text, terms, size = 160) {
  text = String(text ?? "");
  const folded = foldForMatch(text);
  const hits = occurrences(folded, terms, 0, folded.length, false);
  const first = hits.length ? hits[0] : null; // the earliest (and at that place longest) hit
  const slack = Math.min(40, Math.floor(size / 4));
  let start = 0;
  let end = Math.min(text.length, size);
  if (first) {
    const before = Math.floor(size / 3);
    start = Math.max(0, first[0] - before);
    end = Math.min(text.length, start + size);
    start = Math.max(0, Math.min(start, end - size));
    if (end < first[1]) end = first[1];
  }
  const keepFrom = first ? first[0] : end; // the first hit must stay in the window
  const keepTo = first ? first[1] : start;
  if (start > 0) {
    let cut = -1;
    for (let i = start; i < Math.min(keepFrom, start + slack); i++) {
      if (isSpace(text[i])) {
        cut = i + 1;
        break;
      }
    }
    if (cut === -1) {
      cut = start;
      while (cut > 0 && !cutAllowed(text, cut)) cut--;
    }
    start = cut;
  }
  if (end < text.length) {
    let cut = -1;
    for (let i = end - 1; i >= Math.max(keepTo, end - slack); i--) {
      if (isSpace(text[i])) {
        cut = i;
        break;
      }
    }
    if (cut === -1) {
      cut = end;
      while (cut > keepTo && !cutAllowed(text, cut)) cut--;
      if (!cutAllowed(text, cut)) while (cut < text.length && !cutAllowed(text, cut)) cut++;
    }
    end = cut;
  }
  while (start < end && isSpace(text[start])) start++;
  while (end > start && isSpace(text[end - 1])) end--;

  const pieces = [];
  if (start > 0) pieces.push({ text: "…", mark: false });
  let at = start;
  for (const [from, to] of occurrences(folded, terms, start, end)) {
    if (from > at) pieces.push({ text: text.slice(at, from), mark: false });
    pieces.push({ text: text.slice(from, to), mark: true });
    at = to;
  }
  if (at < end) pieces.push({ text: text.slice(at, end), mark: false });
  if (end < text.length) pieces.push({ text: "…", mark: false });
  return pieces;
}

// ---------------------------------------------------------------------------------------------
// URLs from the index.

/**
 * Is `url` a relative URL inside the site ("news/2024/01/slug/")? No scheme, no leading slash
 * or backslash, no control characters or spaces.
 */
export function isRelativeSiteUrl(url) {
  if (typeof url !== "string" || url === "" || url.length > 2000) return false;
  if (/[\u0000-\u0020\u007f\\]/.test(url)) return false;
  if (url.startsWith("/")) return false;
  const path = url.split(/[/?#]/, 1)[0];
  return !path.includes(":");
}
