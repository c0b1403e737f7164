/**
 * Crisis detection: its own component, pure and synchronous, run on every free text.
 *
 * Lexicons live in data/nlu/crisis/<lang>.json:
 *   { "lang": "nl", "clitics"?: true,
 *     "patterns": { "suicide": [...], "self_harm": [...], "violence": [...], "threat": [...], "danger": [...] },
 *     "exclusions": [...] }
 * Pattern syntax (matched against normalised text, see normalize.ts):
 * - a JavaScript regular expression, written in plain letters (diacritics and capitals are folded
 *   the same way as the text, so "ś", "ї" or "أ" may be written as they are);
 * - every pattern starts at the start of a word and may end inside a word (prefix match:
 *   "zelfmoord" matches "zelfmoordgedachten"); `\b` is a Unicode-aware word boundary;
 * - ` ~ ` is a gap of zero to three words, ` ~~ ` of zero to six; `$` is the end of the message;
 * - `"clitics": true` (Arabic) lets a word in Arabic letters carry the attached prefixes و ف ب ل ك س ال;
 * - each pattern belongs to the script it is written in, so the Arabic lexicon may also hold
 *   patterns for Arabic typed in Latin letters and digits ("bghit nmout").
 * Exclusions are idioms ("ik ga dood van verveling", "this form is killing me"): their spans are
 * blanked out before the patterns run, so an idiom next to a real signal still alarms.
 * Every text is checked against all languages' lexicons: people mix languages.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalize } from './normalize.js';

export const CRISIS_KINDS = ['suicide', 'self_harm', 'violence', 'threat', 'danger'] as const;
export type CrisisKind = (typeof CRISIS_KINDS)[number];

export interface CrisisResult {
  crisis: boolean;
  kind?: CrisisKind;
  /** The lexicon language and pattern that fired (for logs and tests). */
  match?: { lang: string; pattern: string; text: string };
}

export interface CrisisLexiconFile {
  lang: string;
  clitics?: boolean;
  patterns: Partial<Record<CrisisKind, string[]>>;
  exclusions?: string[];
}

interface CompiledPattern {
  lang: string;
  kind: CrisisKind;
  source: string;
  re: RegExp;
  /** words the text must contain (one of each list) for the pattern to have a chance: see requiredWords */
  required: string[][];
}

type Script = 'latin' | 'arabic' | 'cyrillic';

interface CompiledGroup {
  /** Only texts containing letters of this script can match (a cheap, safe pre-filter). */
  script: Script;
  patterns: CompiledPattern[];
  exclusions: RegExp[];
  exclusionSources: string[];
  exclusionRequired: string[][][];
  /** for exclusions that start with a gap of words: the rest alone, a cheap test that must pass first */
  exclusionProbes: Array<RegExp | undefined>;
  /** first-word prefix → indexes of the patterns / exclusions that can only match a text with such a word */
  patternIndex: WordIndex;
  exclusionIndex: WordIndex;
}

interface WordIndex {
  byPrefix: Map<string, number[]>;
  /** no key is longer: longer prefixes of a word need no lookup */
  longestKey: number;
  /** items whose first word could not be worked out: always tried */
  always: number[];
}

export interface CrisisLexicon {
  groups: CompiledGroup[];
}

const SCRIPT_TEST: Record<Script, RegExp> = {
  latin: /[a-z]/u,
  arabic: /[\u0600-\u06FF]/u,
  cyrillic: /[\u0400-\u04FF]/u,
};

/**
 * The script a pattern is written in, decided per pattern: a lexicon may hold patterns in more
 * than one script (Arabic as young Moroccan-Dutch people text it, in Latin letters and digits:
 * "bghit nmout"). Regex escapes are not letters.
 */
export function scriptOfPattern(src: string): Script {
  const letters = src.replace(/\\p\{[^}]*\}|\\./gu, '');
  const ar = (letters.match(/[\u0600-\u06FF]/gu) ?? []).length;
  const cy = (letters.match(/[\u0400-\u04FF]/gu) ?? []).length;
  const la = (letters.match(/[a-z]/giu) ?? []).length;
  return ar > la && ar > cy ? 'arabic' : cy > la ? 'cyrillic' : 'latin';
}

// The text is normalised (letters, digits and single spaces) and padded with a space on both
// sides, so "start of a word" is simply "after a space" — a literal, which keeps the regexes fast.
const WORD_START = ' ';
// For the same reason a word boundary is just the edge of a space: the Unicode letter classes
// this replaces made every pattern several times slower to compile.
const BOUNDARY = '(?:(?<= )(?! )|(?<! )(?= ))';
const AR_CLITICS = '(?:[وف]?(?:ال|لل|[بلكس])?)';

/** Folds letters in a pattern the way normalize() folds text, leaving regex escapes alone. */
function foldPattern(src: string): string {
  const parts = src.split(/(\\p\{[^}]*\}|\\.)/u);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return part; // an escape
      let s = part.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
      s = s.replace(/[ıłßґёةىکیٱ]/gu, (c) => ({ ı: 'i', ł: 'l', ß: 'ss', ґ: 'г', ё: 'е', ة: 'ه', ى: 'ي', ک: 'ك', ی: 'ي', ٱ: 'ا' })[c] ?? c);
      s = s.replace(/\u0640/gu, '').replace(/['’ʼ`´‘]/gu, '');
      return s;
    })
    .join('');
}

export function compilePattern(src: string, clitics = false): RegExp {
  let body = foldPattern(src.trim());
  body = body.replace(/ ~~ /g, ' (?:[^ ]+ ){0,6}');
  body = body.replace(/ ~ /g, ' (?:[^ ]+ ){0,3}');
  body = body.replace(/\\b/g, BOUNDARY);
  body = body.replace(/\$$/, '\\s*$');
  const prefix = WORD_START + (clitics ? AR_CLITICS : '');
  // Without the u flag V8 compiles these alternations several times faster; it is only needed for
  // \p{…} escapes (the text is normalised, so no letter outside the basic plane is ever matched).
  return new RegExp(prefix + '(?:' + body + ')', /\\[pP]\{/.test(body) ? 'u' : '');
}

export function compileLexicon(files: CrisisLexiconFile[]): CrisisLexicon {
  const groups = new Map<Script, CompiledGroup>();
  const group = (script: Script): CompiledGroup => {
    let g = groups.get(script);
    if (!g) groups.set(script, (g = { script, patterns: [], exclusions: [], exclusionSources: [], exclusionRequired: [], exclusionProbes: [], patternIndex: emptyIndex(), exclusionIndex: emptyIndex() }));
    return g;
  };
  // Arabic clitics (و ف ب ل ك س ال) only attach to words in Arabic letters.
  const clitics = (file: CrisisLexiconFile, script: Script) => Boolean(file.clitics) && script === 'arabic';
  for (const file of files) {
    for (const kind of CRISIS_KINDS) {
      for (const source of file.patterns[kind] ?? []) {
        const script = scriptOfPattern(source);
        group(script).patterns.push({ lang: file.lang, kind, source, re: compilePattern(source, clitics(file, script)), required: requiredWords(foldPattern(source)) });
      }
    }
    for (const source of file.exclusions ?? []) {
      const script = scriptOfPattern(source);
      const g = group(script);
      const re = compilePattern(source, clitics(file, script));
      g.exclusions.push(new RegExp(re.source, re.flags + 'g'));
      g.exclusionSources.push(source);
      g.exclusionRequired.push(requiredWords(foldPattern(source)));
      const rest = LEADING_GAP.exec(source);
      g.exclusionProbes.push(rest ? compilePattern(source.slice(rest[0].length), clitics(file, script)) : undefined);
    }
  }
  for (const g of groups.values()) {
    g.patternIndex = buildIndex(g.patterns.map((p) => firstWords(foldPattern(p.source))));
    g.exclusionIndex = buildIndex(g.exclusionSources.map((src) => firstWords(foldPattern(src))));
  }
  return { groups: [...groups.values()] };
}

/**
 * V8 compiles a regular expression on its first use, and again to machine code on a later one;
 * with over two thousand patterns that puts milliseconds on the first messages that try them.
 * Running every pattern at start-up moves that cost away from residents (≈0.5 s on these
 * machines, measured). It yields to the event loop between small batches, so a service that
 * starts it without waiting still answers at once.
 */
export async function warmUpLexicon(lexicon: CrisisLexicon = loadCrisisLexicon()): Promise<void> {
  const sample: Record<Script, string> = { latin: ' a b c ', arabic: ' ا ب ت ', cyrillic: ' а б в ' };
  const BATCH = 40;
  for (let round = 0; round < 2; round++) {
    for (const g of lexicon.groups) {
      const all: RegExp[] = [...g.patterns.map((p) => p.re), ...g.exclusions, ...g.exclusionProbes.filter((r): r is RegExp => r !== undefined)];
      for (let i = 0; i < all.length; i += BATCH) {
        for (const re of all.slice(i, i + BATCH)) {
          re.lastIndex = 0;
          re.exec(sample[g.script]);
          re.lastIndex = 0;
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }
}

// "(?:(?!(?:now|again) )\S+ +){0,12}then the idiom": an exclusion that also blanks the words before
// it. Such a gap can match nothing, so the part after it must match on its own first; testing that
// part alone is far cheaper than letting the gap try every position.
const LEADING_GAP = /^\(\?:\(\?!\(\?:[^)]*\) \)\\S\+ \+\)\{0,\d+\}/;

/**
 * The literal words a match needs, read from the pattern's top-level parts: a plain word must be in
 * the text, and of a plain group of alternatives "(a|b c|d)" one must be. Parts with any other
 * regex syntax (optional, gaps, classes, lookarounds) ask nothing. Checking these with includes()
 * before running the regex skips most patterns at a fraction of the cost, and can never skip one
 * that would match.
 */
export function requiredWords(folded: string): string[][] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < folded.length; i++) {
    const c = folded[i];
    if (c === '\\') {
      cur += c + (folded[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (c === ' ' && depth === 0) {
      if (cur) parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) parts.push(cur);
  const out: string[][] = [];
  for (const part of parts) {
    if (/^[\p{L}\p{N}]+$/u.test(part)) out.push([part]);
    else if (/^\((?!\?)[\p{L}\p{N} |]+\)$/u.test(part)) {
      const alts = part.slice(1, -1).split('|');
      if (alts.every((a) => a.trim() !== '')) out.push(alts);
    }
  }
  return out;
}

function hasRequired(text: string, required: string[][]): boolean {
  for (const anyOf of required) {
    let found = false;
    for (const w of anyOf) {
      if (text.includes(w)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

function emptyIndex(): WordIndex {
  return { byPrefix: new Map(), always: [], longestKey: 0 };
}

function buildIndex(keys: Array<string[] | null>): WordIndex {
  const idx = emptyIndex();
  keys.forEach((k, i) => {
    if (!k) {
      idx.always.push(i);
      return;
    }
    for (const w of k) {
      idx.longestKey = Math.max(idx.longestKey, w.length);
      let list = idx.byPrefix.get(w);
      if (!list) idx.byPrefix.set(w, (list = []));
      list.push(i);
    }
  });
  return idx;
}

/**
 * The literal first words a pattern can start with, or null when that is not simple to tell
 * (then the pattern is always tried). A text word must start with one of them for the pattern to
 * match, which lets detectCrisis skip most patterns cheaply.
 */
export function firstWords(src: string): string[] | null {
  let s = src.trim();
  if (s.startsWith('\\b')) s = s.slice(2);
  const literal = (alt: string): string | null => {
    const m = /^[\p{L}\p{N}]+/u.exec(alt);
    if (!m) return null;
    let w = m[0];
    const next = alt[w.length];
    if (next === '?' || next === '*' || next === '{') w = w.slice(0, -1);
    return w.length > 0 ? w : null;
  };
  if (s.startsWith('(')) {
    // a simple group of alternatives at the start: (a|b c|d)
    let depth = 0;
    let end = -1;
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '\\') {
        i++;
        continue;
      }
      if (s[i] === '(') depth++;
      else if (s[i] === ')' && --depth === 0) {
        end = i;
        break;
      }
    }
    if (end < 0) return null;
    const after = s[end + 1];
    if (after === '?' || after === '*' || after === '{') return null;
    const inner = s.slice(1, end);
    if (/[()\\[\]]/u.test(inner) || inner.startsWith('?')) return null;
    const out: string[] = [];
    for (const alt of inner.split('|')) {
      const w = literal(alt);
      if (!w) return null;
      out.push(w);
    }
    return out;
  }
  const w = literal(s);
  return w ? [w] : null;
}

const AR_CLITIC_LETTER = /^[وفبلكسا]$/u;

/**
 * The patterns a text can match: those whose first word starts a word of the text. In Arabic a
 * word may carry up to three clitic letters before the word a pattern starts with ("وبدي"), so
 * those are also looked up with the clitics stripped.
 */
function candidates(idx: WordIndex, words: string[], arabic: boolean): number[] {
  const set = new Set<number>(idx.always);
  const lookup = (w: string) => {
    const longest = Math.min(w.length, idx.longestKey);
    for (let n = 1; n <= longest; n++) {
      const list = idx.byPrefix.get(w.slice(0, n));
      if (list) for (const i of list) set.add(i);
    }
  };
  for (const w of words) {
    lookup(w);
    if (!arabic) continue;
    for (let k = 0; k < 3 && k < w.length - 1 && AR_CLITIC_LETTER.test(w[k]); k++) lookup(w.slice(k + 1));
  }
  return [...set].sort((a, b) => a - b);
}

export const CRISIS_DIR = fileURLToPath(new URL('../../data/nlu/crisis/', import.meta.url));

export function readLexiconFiles(dir = CRISIS_DIR): CrisisLexiconFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CrisisLexiconFile);
}

let defaultLexicon: CrisisLexicon | undefined;
export function loadCrisisLexicon(): CrisisLexicon {
  defaultLexicon ??= compileLexicon(readLexiconFiles());
  return defaultLexicon;
}

// Order in which kinds are reported when several fire: the most urgent first.
const PRIORITY: CrisisKind[] = ['danger', 'violence', 'threat', 'suicide', 'self_harm'];

/** Pure given the lexicon: same text, same answer. */
export function detectCrisis(text: string, lexicon: CrisisLexicon = loadCrisisLexicon()): CrisisResult {
  const norm = normalize(text);
  if (norm === '') return { crisis: false };
  let best: CompiledPattern | undefined;
  let bestMatch = '';
  for (const g of lexicon.groups) {
    if (!SCRIPT_TEST[g.script].test(norm)) continue;
    let s = ` ${norm} `;
    const words = norm.split(' ');
    // idioms are blanked out (per script group, so a Turkish idiom cannot hide a Dutch alarm)
    for (const i of candidates(g.exclusionIndex, words, g.script === 'arabic')) {
      if (!hasRequired(s, g.exclusionRequired[i])) continue;
      const probe = g.exclusionProbes[i];
      if (probe && !probe.test(s)) continue;
      const ex = g.exclusions[i];
      ex.lastIndex = 0;
      if (ex.test(s)) {
        ex.lastIndex = 0;
        s = s.replace(ex, '  ');
      }
    }
    s = s.replace(/ {2,}/g, ' ');
    for (const i of candidates(g.patternIndex, s.trim().split(' '), g.script === 'arabic')) {
      const p = g.patterns[i];
      if (best && PRIORITY.indexOf(p.kind) >= PRIORITY.indexOf(best.kind)) continue;
      if (!hasRequired(s, p.required)) continue;
      const m = p.re.exec(s);
      if (!m) continue;
      best = p;
      bestMatch = m[0];
      if (p.kind === 'danger') break;
    }
  }
  if (!best) return { crisis: false };
  return { crisis: true, kind: best.kind, match: { lang: best.lang, pattern: best.source, text: bestMatch.trim() } };
}
