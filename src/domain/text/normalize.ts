// Text normalization shared by the content screen and the wellbeing screen.
//
// Screens match lexicons against a *normalized* copy of the text so that evasions such as
// full-width letters ("ｐｏｌｉｃｅ"), traditional characters ("監獄"), or symbols inserted
// between characters ("老*赖", "坐-牢", "老 赖", "l.o.s.e.r") still match, and then report
// offsets into the ORIGINAL text through `map` / `originalSpan`.
import * as OpenCC from 'opencc-js';

export interface NormalizedText {
  /**
   * Lower-case, simplified, NFKC text holding only letters and digits (\p{L}, \p{N}), plus one
   * ASCII space between two non-CJK words ("i know where you live") as a word boundary marker.
   */
  text: string;
  /** map[i] = index (UTF-16 code unit) in the original of the start of the char behind normalized char i. */
  map: number[];
  /** ends[i] = index just past the original char behind normalized char i (end exclusive mapping helper). */
  ends: number[];
}

// Traditional → simplified. The Taiwan and Hong Kong variant tables come first so that both
// regional spellings (著/着, 裏/裡) reach the mainland form; a few characters OpenCC keeps are
// folded by hand because a collector's message means the same thing with them.
const twToCn = OpenCC.Converter({ from: 'tw', to: 'cn' });
const hkToCn = OpenCC.Converter({ from: 'hk', to: 'cn' });
const EXTRA_FOLD: Record<string, string> = { 妳: '你', 祢: '你', 祇: '只', 姊: '姐' };

const HAN = /\p{Script=Han}/u;
const CJK_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u;
const KEEP = /[\p{L}\p{N}]/u;
const ASCII_LETTER = /[A-Za-z]/;
/** Symbols and digits that stand for a letter when written inside a Latin word: "l0ser", "lo$er". */
const LEET: Record<string, string> = {
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', $: 's', '@': 'a', '!': 'i', '|': 'l',
};

const charCache = new Map<string, string>();

/** NFKC, lower case and the extra folds for one code point; '' for a separator. */
function foldCodePoint(cp: string): string {
  let out = charCache.get(cp);
  if (out !== undefined) return out;
  const nfkc = cp.normalize('NFKC').toLowerCase();
  out = '';
  for (const ch of nfkc) {
    if (KEEP.test(ch)) out += EXTRA_FOLD[ch] ?? ch;
  }
  if (charCache.size < 50_000) charCache.set(cp, out);
  return out;
}

function isCjk(ch: string): boolean {
  return CJK_SCRIPT.test(ch);
}

const simpCache = new Map<string, string>();
function simplifyChar(ch: string): string {
  const cached = simpCache.get(ch);
  if (cached !== undefined) return cached;
  let out = hkToCn(twToCn(ch));
  if ([...out].length !== 1) out = ch;
  if (simpCache.size < 50_000) simpCache.set(ch, out);
  return out;
}

/** Phrase-aware conversion when it keeps the length (it almost always does), else char by char. */
function simplify(chars: string[]): string[] {
  let hasHan = false;
  for (const c of chars) {
    if (c.charCodeAt(0) >= 0x2e80 && HAN.test(c)) {
      hasHan = true;
      break;
    }
  }
  if (!hasHan) return chars;
  // Fast path: when no character changes on its own (already simplified text, the common case),
  // the phrase-aware pass has nothing to fix, and skipping it keeps the screens fast.
  let changes = false;
  for (const c of chars) {
    if (c.charCodeAt(0) >= 0x2e80 && simplifyChar(c) !== c) {
      changes = true;
      break;
    }
  }
  if (!changes) return chars.map((c) => EXTRA_FOLD[c] ?? c);
  const joined = chars.join('');
  const converted = [...hkToCn(twToCn(joined))];
  if (converted.length === chars.length) {
    return converted.map((c) => EXTRA_FOLD[c] ?? c);
  }
  return chars.map((c) => (HAN.test(c) ? EXTRA_FOLD[simplifyChar(c)] ?? simplifyChar(c) : c));
}

interface Piece {
  ch: string;
  start: number;
  end: number;
}

export function normalizeForMatching(original: string): NormalizedText {
  // 1. Fold each code point, remembering where it came from; separators become gaps.
  const pieces: Piece[] = [];
  /** gapBefore[k] = original index of the first separator dropped before piece k, or -1. */
  const gapBefore: number[] = [];
  let pendingGap = -1;
  let pendingGapEnd = -1;
  const gapEnd: number[] = [];
  let i = 0;
  const n = original.length;
  while (i < n) {
    const code = original.codePointAt(i)!;
    const len = code > 0xffff ? 2 : 1;
    const cp = len === 2 ? original.slice(i, i + 2) : original[i];
    let folded: string;
    if (code < 0x80) {
      folded = (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) ? cp
        : code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : '';
    } else {
      folded = foldCodePoint(cp);
    }
    // A digit or symbol between two ASCII letters stands for a letter: "l0ser", "lo$er".
    if (cp in LEET && !(folded && ASCII_LETTER.test(folded))) {
      const prev = i > 0 ? original[i - 1] : '';
      const next = i + len < n ? original[i + len] : '';
      if (ASCII_LETTER.test(prev) && ASCII_LETTER.test(next)) folded = LEET[cp];
    }
    if (folded === '') {
      if (pendingGap < 0) pendingGap = i;
      pendingGapEnd = i + len;
    } else {
      for (const ch of folded) {
        pieces.push({ ch, start: i, end: i + len });
        gapBefore.push(pendingGap);
        gapEnd.push(pendingGapEnd);
        pendingGap = -1;
      }
    }
    i += len;
  }

  // 2. Traditional → simplified over the kept characters.
  const simplified = simplify(pieces.map((p) => p.ch));

  // 3. Spelled-out words ("l o s e r", "d.e.a.d.b.e.a.t"): a run of three or more single
  //    Latin letters separated by separators is one word.
  // Script lookups are costly; classify each kept char once (ASCII letters and digits are never CJK).
  const wordChar = new Uint8Array(simplified.length);
  for (let m = 0; m < simplified.length; m++) {
    const ch = simplified[m];
    wordChar[m] = ch.charCodeAt(0) < 0x80 || !isCjk(ch) ? 1 : 0;
  }
  const isWordChar = (k: number) => k >= 0 && k < simplified.length && wordChar[k] === 1;
  const singleLetter = (k: number) =>
    isWordChar(k) && (k === 0 || gapBefore[k] >= 0 || !isWordChar(k - 1)) &&
    (k === simplified.length - 1 || gapBefore[k + 1] >= 0 || !isWordChar(k + 1));
  const joinWithPrev = new Array<boolean>(simplified.length).fill(false);
  const gapText = (m: number) => original.slice(gapBefore[m], gapEnd[m]);
  let k = 0;
  while (k < simplified.length) {
    if (!singleLetter(k) || k + 1 >= simplified.length || gapBefore[k + 1] < 0 || !singleLetter(k + 1)) {
      k++;
      continue;
    }
    // A run joins across one and the same separator: "l o s e r", "d.e.a.d.b.e.a.t", but
    // "i m a" (from "I'm a") stays three words.
    const sep = gapText(k + 1);
    let j = k + 1;
    while (j + 1 < simplified.length && gapBefore[j + 1] >= 0 && singleLetter(j + 1) && gapText(j + 1) === sep) j++;
    const runLength = j - k + 1;
    if (runLength >= 4 || (runLength === 3 && sep.trim() !== '')) {
      for (let m = k + 1; m <= j; m++) joinWithPrev[m] = true;
      k = j + 1;
    } else {
      k = j;
    }
  }

  // 4. Assemble, keeping one space between two non-CJK words.
  let text = '';
  const map: number[] = [];
  const ends: number[] = [];
  for (let m = 0; m < simplified.length; m++) {
    const ch = simplified[m];
    if (m > 0 && gapBefore[m] >= 0 && !joinWithPrev[m] && isWordChar(m) && isWordChar(m - 1)) {
      text += ' ';
      map.push(gapBefore[m]);
      ends.push(gapEnd[m]);
    }
    text += ch;
    // A folded char may be two code units (astral letters); each unit maps to the same source.
    for (let u = 0; u < ch.length; u++) {
      map.push(pieces[m].start);
      ends.push(pieces[m].end);
    }
  }
  return { text, map, ends };
}

/** Normalized [start, end) → original [start, end). */
export function originalSpan(n: NormalizedText, start: number, end: number): { start: number; end: number } {
  if (n.map.length === 0) return { start: 0, end: 0 };
  const s = Math.max(0, Math.min(start, n.map.length - 1));
  if (end <= start) return { start: n.map[s], end: n.map[s] };
  const e = Math.max(s, Math.min(end, n.ends.length) - 1);
  return { start: n.map[s], end: n.ends[e] };
}

/** 'zh' when Han characters carry a real share of the text (a Han character counts as a word). */
export function detectLang(text: string): 'zh' | 'en' {
  let han = 0;
  let latin = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a)) latin++;
    else if (c >= 0x2e80 && HAN.test(ch)) han++;
  }
  if (han === 0) return 'en';
  return han / (han + latin / 5) >= 0.3 ? 'zh' : 'en';
}

export interface TextSegment {
  start: number;
  end: number;
  text: string;
}

const SENTENCE_END = /[。！？!?；;\n\r…]/;
const CLAUSE_END = /[，,、：:（）()「」『』“”"【】\[\]—]/;

function isSentenceBreak(text: string, i: number): boolean {
  const ch = text[i];
  if (SENTENCE_END.test(ch)) return true;
  // "." ends an English sentence when followed by a space or the end, not in "3.5" or "e.g".
  if ((ch === '.' || ch === '．' || ch === '｡') && (i + 1 >= text.length || /\s/.test(text[i + 1]))) return true;
  return false;
}

/**
 * Per original code unit, the index of its sentence and of its clause (a clause also ends at
 * commas and colons). Delimiters belong to the segment they close.
 */
export function segmentIds(text: string): { sentence: Uint32Array; clause: Uint32Array } {
  const sentence = new Uint32Array(text.length);
  const clause = new Uint32Array(text.length);
  let s = 0;
  let c = 0;
  for (let i = 0; i < text.length; i++) {
    sentence[i] = s;
    clause[i] = c;
    if (isSentenceBreak(text, i)) {
      s++;
      c++;
    } else if (CLAUSE_END.test(text[i])) {
      c++;
    }
  }
  return { sentence, clause };
}

/** Sentences with offsets into `text`, delimiters kept at the end; blank ones are skipped. */
export function splitSentences(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || isSentenceBreak(text, i)) {
      const end = i === text.length ? i : i + 1;
      if (text.slice(start, end).trim() !== '') out.push({ start, end, text: text.slice(start, end) });
      start = end;
    }
  }
  return out;
}
