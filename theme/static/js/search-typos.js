// Search that forgives typing (docs/search.md, "Typing mistakes"): how near two Thai spellings
// are, the suggestion key, a query typed with the keyboard set to English, and correctQuery,
// which search.js calls (importing this module only then) for a query with a word no document
// holds. No DOM, and no fetch but the index's own (a SearchIndex passed in), so that Node can
// import and test it.
//
// The same rules as plugins/thainews/search_typos.py, which builds the suggestion vocabulary;
// both are run on tests/data/search-typos-cases.json and must agree. Costs are whole numbers
// (tenths of an ordinary edit), so that both sides add them up exactly alike.
import { normalizeText, segment, shardKeyFor, wordRuns, wordTerms } from "./search-text.js";

export const SLIP = 3; // a slip of spelling that sounds the same (ศ ษ ส, ใ ไ, a missing การันต์ …)
export const NEAR = 5; // a tone mark, a vowel's length, a final consonant, ร ล, a doubled letter, a swap
export const VOWEL = 8; // any other vowel
export const EDIT = 10; // a consonant or anything else

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, k) => String.fromCharCode(from + k));
const CONSONANTS = new Set(range(0x0e01, 0x0e2e).filter((ch) => ch !== "ฤ" && ch !== "ฦ"));
const LEAD_VOWELS = new Set("เแโใไ");
const TONES = new Set("\u0e48\u0e49\u0e4a\u0e4b");
const THANTHAKHAT = "\u0e4c";
const SHORT_MARKS = new Set("\u0e31\u0e47\u0e30\u0e4d\u0e3a\u0e4e");
const SARA_AM = "\u0e33";
const MAI_HAN_AKAT = "\u0e31";
const UPPER_LOWER_VOWELS = new Set("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47");
const VOWELS = new Set(
  "\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e40\u0e41\u0e42\u0e43\u0e44\u0e45" +
    "\u0e47\u0e24\u0e26\u0e4d\u0e3a\u0e4e",
);
const SAME_SOUND = ["ขฃ", "คฅฆ", "ชฌ", "ศษส", "ถฐ", "ทธฑฒ", "พภ", "ณน", "ญย", "ลฬ", "ดฎ", "ตฏ"];
const SOUND_GROUPS = {
  k: "ขฃคฅฆ", c: "ฉชฌ", s: "ซศษส", T: "ถฐทธฑฒ", P: "ผพภ", f: "ฝฟ", h: "หฮ",
  y: "ญย", d: "ดฎ", t: "ตฏ", n: "ณน", l: "ลฬ",
};
const OTHER_LETTERS = { ก: "g", ง: "N", จ: "j", บ: "b", ป: "p", ม: "m", ร: "r", ว: "w", อ: "o" };
const FINAL_SOUNDS = ["กขคฆ", "จชซฌฎฏฐฑฒดตถทธศษส", "บปพฟภ", "ญณนรลฬ"];
const NEAR_VOWELS = ["\u0e34\u0e35", "\u0e36\u0e37", "\u0e38\u0e39", "\u0e30\u0e32", "\u0e31\u0e32", "\u0e31\u0e47"];
const SLIP_VOWELS = ["\u0e43\u0e44"];

const code = (ch) => ch.charCodeAt(0);

/** Pairs of different letters of each group, as numbers (two UTF-16 codes): no strings per look-up. */
function pairs(groups) {
  const found = new Set();
  for (const group of groups) for (const a of group) for (const b of group) if (a !== b) found.add(code(a) * 65536 + code(b));
  return found;
}

const SAME_SOUND_PAIRS = pairs(SAME_SOUND);
const SOUND_PAIRS = pairs([...Object.values(SOUND_GROUPS), "รล"]);
const FINAL_PAIRS = pairs(FINAL_SOUNDS);
const NEAR_VOWEL_PAIRS = pairs(NEAR_VOWELS);
const SLIP_VOWEL_PAIRS = pairs(SLIP_VOWELS);
const KEY_LETTER = new Map(Object.entries(OTHER_LETTERS));
for (const [key, group] of Object.entries(SOUND_GROUPS)) for (const letter of group) KEY_LETTER.set(letter, key);

/** Is the consonant text[i] (probably) a final one? */
export function endsSyllable(text, i) {
  if (i === 0 || LEAD_VOWELS.has(text[i - 1])) return false;
  return i + 1 === text.length || CONSONANTS.has(text[i + 1]) || LEAD_VOWELS.has(text[i + 1]);
}

/** A consonant that is not read: under a การันต์, or ร at the end after a final consonant (สมัคร). */
export function silent(text, i) {
  if (!CONSONANTS.has(text[i])) return false;
  if (i + 1 < text.length && text[i + 1] === THANTHAKHAT) return true;
  if (text[i] !== "ร" || i + 1 !== text.length || i < 2 || !CONSONANTS.has(text[i - 1])) return false;
  return UPPER_LOWER_VOWELS.has(text[i - 2]) || (i >= 3 && CONSONANTS.has(text[i - 2]) && LEAD_VOWELS.has(text[i - 3]));
}

function dropCost(text, i) {
  const ch = text[i];
  if (ch === THANTHAKHAT || (ch === "ร" && silent(text, i))) return SLIP;
  if (TONES.has(ch) || SHORT_MARKS.has(ch)) return NEAR;
  if (CONSONANTS.has(ch)) return i > 0 && text[i - 1] === ch ? NEAR : EDIT;
  return VOWELS.has(ch) ? VOWEL : EDIT;
}

/** What distance() needs of each letter of a text, once per text rather than once per cell. */
function letters(text) {
  const n = text.length;
  const codes = new Int32Array(n);
  const drop = new Int32Array(n);
  const final = new Uint8Array(n);
  const kind = new Uint8Array(n); // 1 consonant, 2 vowel, 3 tone mark, 0 other
  for (let i = 0; i < n; i++) {
    codes[i] = text.charCodeAt(i);
    drop[i] = dropCost(text, i);
    final[i] = CONSONANTS.has(text[i]) && endsSyllable(text, i) ? 1 : 0;
    kind[i] = CONSONANTS.has(text[i]) ? 1 : VOWELS.has(text[i]) ? 2 : TONES.has(text[i]) ? 3 : 0;
  }
  return { text, codes, drop, final, kind };
}

function swapCost(a, i, b, j) {
  const x = a.codes[i];
  const y = b.codes[j];
  if (x === y) return 0;
  const pair = x * 65536 + y;
  if (SAME_SOUND_PAIRS.has(pair) || SLIP_VOWEL_PAIRS.has(pair)) return SLIP;
  if (SOUND_PAIRS.has(pair) || NEAR_VOWEL_PAIRS.has(pair) || (a.kind[i] === 3 && b.kind[j] === 3)) return NEAR;
  if (a.final[i] && b.final[j] && FINAL_PAIRS.has(pair)) return NEAR;
  if (a.kind[i] === 2 && b.kind[j] === 2) return VOWEL;
  return EDIT;
}

const CODE_THANTHAKHAT = code(THANTHAKHAT);
const CODE_SARA_AM = code(SARA_AM);
const CODE_MAI_HAN_AKAT = code(MAI_HAN_AKAT);
const CODE_MO = code("ม");
let buffer = new Int32Array(1024); // the table, reused: a query compares a word with hundreds

/**
 * How far apart two spellings are (both normalised by the search pipeline), in tenths of an
 * edit: 0 for the same, SLIP for one slip that sounds the same. Symmetric. With `limit`,
 * anything farther is `limit + 1` (found sooner). search_typos.distance.
 */
export function distance(a, b, limit = Infinity) {
  return tableDistance(letters(a), letters(b), limit);
}

function tableDistance(a, b, limit) {
  const rows = a.codes.length;
  const cols = b.codes.length;
  const width = cols + 1;
  if (buffer.length < (rows + 1) * width) buffer = new Int32Array(2 * (rows + 1) * width);
  const table = buffer;
  let before = Infinity; // the smallest cell of the row before the last, and of the last
  let last = Infinity;
  for (let i = 0; i <= rows; i++) {
    // No step spans more than two rows: two rows past the limit and the end is too.
    if (i >= 2 && before > limit && last > limit) return limit + 1;
    let smallest = Infinity;
    for (let j = 0; j <= cols; j++) {
      let best = 0;
      if (i || j) {
        best = 2 ** 30;
        if (i) {
          best = Math.min(best, table[(i - 1) * width + j] + a.drop[i - 1]);
          if (i >= 2 && a.codes[i - 1] === CODE_THANTHAKHAT && a.kind[i - 2] === 1) {
            best = Math.min(best, table[(i - 2) * width + j] + SLIP); // ธ์ missing
          }
        }
        if (j) {
          best = Math.min(best, table[i * width + j - 1] + b.drop[j - 1]);
          if (j >= 2 && b.codes[j - 1] === CODE_THANTHAKHAT && b.kind[j - 2] === 1) {
            best = Math.min(best, table[i * width + j - 2] + SLIP);
          }
        }
        if (i && j) {
          best = Math.min(best, table[(i - 1) * width + j - 1] + swapCost(a, i - 1, b, j - 1));
          if (j >= 2 && a.codes[i - 1] === CODE_SARA_AM && b.codes[j - 2] === CODE_MAI_HAN_AKAT && b.codes[j - 1] === CODE_MO) {
            best = Math.min(best, table[(i - 1) * width + j - 2] + SLIP); // ำ for ัม
          }
          if (i >= 2 && b.codes[j - 1] === CODE_SARA_AM && a.codes[i - 2] === CODE_MAI_HAN_AKAT && a.codes[i - 1] === CODE_MO) {
            best = Math.min(best, table[(i - 2) * width + j - 1] + SLIP);
          }
          if (i >= 2 && j >= 2 && a.codes[i - 1] === b.codes[j - 2] && a.codes[i - 2] === b.codes[j - 1] &&
              a.codes[i - 1] !== a.codes[i - 2]) {
            best = Math.min(best, table[(i - 2) * width + j - 2] + NEAR); // two letters swapped
          }
        }
      }
      table[i * width + j] = best;
      if (best < smallest) smallest = best;
    }
    before = last;
    last = smallest;
  }
  return Math.min(table[rows * width + cols], limit + 1);
}

/** The farthest a correction may be from a typed word of `length` characters. */
export function correctionLimit(length) {
  if (length <= 3) return SLIP;
  if (length <= 5) return NEAR;
  return length <= 9 ? EDIT : EDIT + SLIP;
}

/** The word's consonants as the letters of their sound groups, silent ones left out. */
export function skeleton(word) {
  let out = "";
  for (let i = 0; i < word.length; i++) {
    const letter = KEY_LETTER.get(word[i]);
    if (letter && !silent(word, i)) out += letter;
  }
  return out;
}

const FIRST_KEY = { l: "r" };
const SECOND_KEY = { g: "k", c: "t", s: "t", T: "t", d: "t", j: "t", P: "p", f: "p", b: "p", l: "n", r: "n" };

/**
 * The name of the vocabulary shard of a word: its first 2 consonants (of the skeleton), the
 * first with ร = ล and the second as it would end a syllable. search_typos.suggest_key.
 */
export function suggestKey(word) {
  const letters = skeleton(word);
  const key = (table, letter) => (Object.hasOwn(table, letter) ? table[letter] : letter);
  return key(FIRST_KEY, letters.slice(0, 1)) + key(SECOND_KEY, letters.slice(1, 2));
}

const seen = new Map(); // word of the vocabulary → its letters(), for the next stretch or query

/**
 * The words of `vocabulary` (a Map word → documents; 0: a real word no document holds) within
 * `limit` of `typed`, nearest first, then the most documents: [{word, cost, docs}]. Words of
 * no document are left out; `typed` itself is never one of them.
 */
export function nearestWords(typed, vocabulary, limit = correctionLimit(typed.length)) {
  const found = [];
  const from = letters(typed);
  for (const [word, docs] of vocabulary) {
    // (each letter more or less costs SLIP / 2 at the least: ธ์ is two letters, one slip)
    if (!docs || word === typed || Math.abs(word.length - typed.length) * SLIP > 2 * limit) continue;
    let to = seen.get(word);
    if (!to) {
      if (seen.size > 100_000) seen.clear();
      seen.set(word, (to = letters(word)));
    }
    const cost = tableDistance(from, to, limit);
    if (cost <= limit) found.push({ word, cost, docs });
  }
  found.sort((x, y) => x.cost - y.cost || y.docs - x.docs || (x.word < y.word ? -1 : x.word > y.word ? 1 : 0));
  return found;
}

// ---------------------------------------------------------------------------------------------
// The wrong keyboard. PyThaiNLP 5.4's eng_to_thai table (pythainlp/util/keyboard.py), key for
// key; tests compare it with Python's, which a test compares with PyThaiNLP.
export const KEDMANEE = {
  Z: "(", z: "ผ", X: ")", x: "ป", C: "ฉ", c: "แ", V: "ฮ", v: "อ", B: "\u0e3a",
  b: "\u0e34", N: "\u0e4c", n: "\u0e37", M: "?", m: "ท", "<": "ฒ", ",": "ม", ">": "ฬ",
  ".": "ใ", "?": "ฦ", "/": "ฝ", A: "ฤ", a: "ฟ", S: "ฆ", s: "ห", D: "ฏ", d: "ก",
  F: "โ", f: "ด", G: "ฌ", g: "เ", H: "\u0e47", h: "\u0e49", J: "\u0e4b", j: "\u0e48",
  K: "ษ", k: "า", L: "ศ", l: "ส", ":": "ซ", ";": "ว", '"': ".", "'": "ง", Q: "๐",
  q: "ๆ", W: '"', w: "ไ", E: "ฎ", e: "\u0e33", R: "ฑ", r: "พ", T: "ธ", t: "ะ",
  Y: "\u0e4d", y: "\u0e31", U: "\u0e4a", u: "\u0e35", I: "ณ", i: "ร", O: "ฯ", o: "น",
  P: "ญ", p: "ย", "{": "ฐ", "[": "บ", "}": ",", "]": "ล", "|": "ฅ", "\\": "ฃ", "~": "%",
  "`": "_", "@": "๑", 2: "/", "#": "๒", 3: "-", $: "๓", 4: "ภ", "%": "๔", 5: "ถ",
  "^": "\u0e39", 6: "\u0e38", "&": "฿", 7: "\u0e36", "*": "๕", 8: "ค", "(": "๖", 9: "ต",
  ")": "๗", 0: "จ", _: "๘", "-": "ข", "+": "๙", "=": "ช",
};

/** What `text`, typed with the keyboard set to English, would be in Thai Kedmanee. */
export function fromEnglishLayout(text) {
  let out = "";
  for (const ch of String(text)) out += Object.hasOwn(KEDMANEE, ch) ? KEDMANEE[ch] : ch;
  return out;
}

/** Could `text` be Thai typed with the English layout: printable ASCII, no Thai, a letter or a mapped sign? */
export function maybeEnglishLayout(text) {
  return /^[\x21-\x7e]+$/.test(text) && /[^0-9]/.test(text);
}

// ---------------------------------------------------------------------------------------------
// Correcting one word of a query.

/**
 * Which stretches of a word's pieces to correct, as [first, last] piece indices: the pieces that
 * found no document (`bad`, ascending), with or without one or two neighbours before and one
 * after (the split may have taken letters of the misspelt word into them: ปลอด|สาร|พิ|ด for
 * ปลอดสารพิษ), and the whole word.
 */
export function correctionSpans(bad, count) {
  const spans = new Map();
  const add = (first, last) => spans.set(`${first}:${last}`, [first, last]);
  add(0, count - 1);
  if (bad.length) {
    const first = bad[0];
    const last = bad[bad.length - 1];
    for (const from of [first, first - 1, first - 2]) {
      for (const to of [last, last + 1]) if (from >= 0 && to < count) add(from, to);
    }
  }
  return [...spans.values()];
}

/**
 * Is the best of `corrections` ([{cost}], nearest first) certain enough to search at once? When
 * it is the only one that near, and either one slip that sounds the same (โอกาศ → โอกาส), or one
 * NEAR step from a typed word of 4 letters or more that is no real word (`real`: the index knows
 * it as a word no document holds, ขาว where only ข่าว is in the news: never changed at once).
 */
export function certain(corrections, typedLength, real) {
  const [best, next] = corrections;
  if (!best || (next && next.cost === best.cost)) return false;
  return best.cost === SLIP || (best.cost <= NEAR && typedLength >= 4 && !real);
}

// ---------------------------------------------------------------------------------------------
// Correcting a query over a SearchIndex (search.js).

const THAI = /[\u0e01-\u0e5b]/;
const SUGGESTIONS = 3; // queries offered at most under "หมายถึง … หรือไม่?"
const CHECKED = 4; // corrections of a piece among kept ones tried against the index at most (shards to load)

/**
 * The query searched instead, or the spellings to offer, for a query with a word no document
 * holds (`result` of index.run(words), with `empty`): search()'s result, with `corrected`
 * ({from, to, reason}: "layout", typed with the keyboard set to English, or "typo", a misspelling
 * certain enough, whose results these are) or `suggestions` (queries offered instead).
 */
export async function correctQuery(index, typed, words, result, filters) {
  const none = { ...result, corrected: null, suggestions: [] };
  const asTyped = typed.trim().split(/\s+/u).join(" "); // what the page says was not found
  const layout = await fromEnglishKeyboard(index, typed, words, result.empty);
  if (layout) {
    const again = await index.run(layout, filters);
    if (again.ranked.length) {
      return { ...again, corrected: { from: asTyped, to: layout.join(" "), reason: "layout" }, suggestions: [] };
    }
  }
  const corrections = new Map();
  for (const word of result.empty) corrections.set(word, await correctionsOf(index, word));
  const found = [...corrections.values()].filter((entry) => entry.found.length);
  if (!found.length) return none;
  // Searched at once only when every word that has a correction has a certain one (a word with
  // none stays as typed, and the status line names it as before).
  if (found.every((entry) => entry.certain)) {
    const fixed = words.map((word) => (corrections.has(word) ? corrections.get(word).found[0].text : word));
    const again = await index.run(fixed, filters);
    if (again.ranked.length) {
      return { ...again, corrected: { from: asTyped, to: fixed.join(" "), reason: "typo" }, suggestions: [] };
    }
  }
  // Offered: the nearest spelling of every word that found nothing, then the next ones of each.
  const replace = (word, choice) => (corrections.has(word) && corrections.get(word).found[choice]?.text) || word;
  const offers = new Set([words.map((word) => replace(word, 0)).join(" ")]);
  for (const [empty, entry] of corrections) {
    for (let choice = 1; choice < Math.min(SUGGESTIONS, entry.found.length); choice++) {
      offers.add(words.map((word) => replace(word, word === empty ? choice : 0)).join(" "));
    }
  }
  return { ...none, suggestions: [...offers].slice(0, SUGGESTIONS) };
}

/** Does some document hold every term of `word` (loading the shards it needs)? */
async function findsDocuments(index, word) {
  await index.loadFor([word]);
  const { terms, unknown } = wordTerms(word, (term) => index.hasTerm(term));
  return unknown.length === 0 && terms.length > 0 && (await index.anyDocument(terms));
}

/**
 * A query typed with the keyboard set to English (`l;ylfu` for สวัสดี): the words, each word that
 * no document holds read as Thai Kedmanee when that Thai is a word the index holds, with
 * documents; null when the query has Thai in it or no word reads so.
 */
async function fromEnglishKeyboard(index, typed, words, empty) {
  const raw = typed.trim().split(/\s+/u);
  if (THAI.test(typed) || raw.length !== words.length) return null;
  const mapped = words.map((word, k) => {
    if (!empty.includes(word) || !maybeEnglishLayout(raw[k])) return word;
    const thai = fromEnglishLayout(raw[k]);
    // Marks in an order no Thai word has (the pipeline would move them): not Thai after all.
    return THAI.test(thai) && normalizeText(thai) === thai ? thai : word;
  });
  if (mapped.every((word, k) => word === words[k])) return null;
  await index.loadFor(mapped);
  let changed = false;
  const result = [];
  for (const [k, word] of mapped.entries()) {
    const { terms, unknown } = wordTerms(word, (term) => index.hasTerm(term));
    const held = unknown.length === 0 && terms.length > 0 && terms.every((term) => index.hasDocuments(term));
    const kept = word === words[k] || !held || !(await index.anyDocument(terms));
    result.push(kept ? words[k] : word);
    changed ||= !kept;
  }
  return changed ? result : null;
}

/** The suggestion vocabulary's manifest (named by the index's): {keys, maxKeyLength}, or null. */
function vocabularyKeys(index) {
  if (!index.manifest.suggest) return Promise.resolve(null);
  return index.part(index.manifest.suggest, (raw) => {
    if (raw === null || typeof raw !== "object" || raw.version !== 1 || typeof raw.shards !== "object") {
      throw new Error("search suggestions: unexpected format");
    }
    const keys = new Map(Object.entries(raw.shards));
    return { keys, maxKeyLength: Math.max(0, ...[...keys.keys()].map((key) => key.length)) };
  });
}

/** The shard of the suggestion vocabulary for a text: a Map word → documents (empty if none). */
function vocabularyFor(index, text, vocabulary) {
  const key = shardKeyFor(suggestKey(text), vocabulary.keys, vocabulary.maxKeyLength);
  if (key === null) return Promise.resolve(new Map());
  return index.part(vocabulary.keys.get(key), (raw) => new Map(raw && typeof raw === "object" ? Object.entries(raw) : []));
}

/**
 * The spellings the index holds nearest to a word no document holds: {found: [{text, cost}],
 * certain}, nearest first, each one that finds documents. Only a word of one Thai run; the
 * stretch of it that found nothing is corrected (with neighbouring pieces, or the whole word),
 * the rest kept as typed.
 */
async function correctionsOf(index, word) {
  const none = { found: [], certain: false };
  const runs = wordRuns(word);
  const vocabulary = await vocabularyKeys(index);
  if (!vocabulary || runs.length !== 1 || runs[0].kind !== "thai" || runs[0].text !== word) return none;
  const pieces = segment(word, (term) => index.hasTerm(term)).map((piece) => piece.text);
  const bad = [];
  pieces.forEach((piece, k) => {
    if (!index.hasTerm(piece) || !index.hasDocuments(piece)) bad.push(k);
  });
  const spans = correctionSpans(bad, pieces.length).map(([first, last]) => ({
    before: pieces.slice(0, first).join(""),
    text: pieces.slice(first, last + 1).join(""),
    after: pieces.slice(last + 1).join(""),
    kept: pieces.length - (last - first + 1),
  }));
  const shards = await Promise.all(spans.map((span) => vocabularyFor(index, span.text, vocabulary)));
  const near = [];
  spans.forEach((span, k) => {
    // A real word (the index knows it, no document holds it: listed in its shards, or near a
    // word of the vocabulary) is only ever respelt (โอกาศ → โอกาส), never made another word
    // (ขาว → ข่าว); a piece corrected among kept ones, by one NEAR step at most.
    span.real = (index.hasTerm(span.text) && !index.hasDocuments(span.text)) || shards[k].get(span.text) === 0;
    const limit = span.real ? SLIP : Math.min(correctionLimit(word.length), span.kept ? NEAR : EDIT + SLIP);
    for (const found of nearestWords(span.text, shards[k], limit)) {
      const text = span.before + found.word + span.after;
      near.push({ text, cost: found.cost, docs: found.docs, kept: span.kept, span });
    }
  });
  near.sort((x, y) => x.cost - y.cost || x.kept - y.kept || y.docs - x.docs);
  // A whole word of the vocabulary finds its documents; a corrected piece among kept ones must be
  // tried (สิงห์ + แวดล้อม is two words no document has together): the first few only.
  const found = [];
  let tried = 0;
  for (const entry of near) {
    if (found.length >= SUGGESTIONS || found.some((other) => other.text === entry.text)) continue;
    if (entry.kept && (tried++ >= CHECKED || !(await findsDocuments(index, entry.text)))) continue;
    found.push(entry);
  }
  const best = found[0];
  return { found, certain: Boolean(best) && certain(found, best.span.text.length, best.span.real) };
}
