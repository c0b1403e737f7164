/**
 * Text normalisation shared by the classifier, the language detector and the crisis detector.
 *
 * Phone writing varies a lot in diacritics, capitals and punctuation. We fold those away so that
 * "Ik ben éénzaam!!", "ik ben eenzaam" and "IK BEN EENZAAM" look the same:
 * - lower case, Turkish dotted/dotless i folded to "i";
 * - diacritics stripped (NFD + drop combining marks), plus letters NFD does not decompose
 *   (Polish ł, Ukrainian ґ, German ß, Dutch ĳ);
 * - Arabic: tashkeel and tatweel removed, alef/hamza variants to bare alef, ى → ي, ة → ه,
 *   Persian keh/yeh to Arabic ones;
 * - Ukrainian/Russian apostrophes inside words removed (п'ю → пю), ё → е;
 * - a few emoji mapped to words (👍 → ok, 🙏 → thanks, 👋 → hi);
 * - punctuation to spaces, runs of 3+ identical letters shortened to 2 ("neeee" → "nee").
 */

const EMOJI: Array<[RegExp, string]> = [
  [/[👍👌✅✔]/gu, ' ok '],
  [/[🙏]/gu, ' thanks '],
  [/[👋]/gu, ' hi '],
  [/[👎❌]/gu, ' no '],
];

const CHAR_MAP: Record<string, string> = {
  ı: 'i',
  ł: 'l',
  ß: 'ss',
  ĳ: 'ij',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ґ: 'г',
  ё: 'е',
  // Arabic
  ة: 'ه',
  ى: 'ي',
  ک: 'ك',
  ی: 'ي',
  ٱ: 'ا',
  '٠': '0',
  '١': '1',
  '٢': '2',
  '٣': '3',
  '٤': '4',
  '٥': '5',
  '٦': '6',
  '٧': '7',
  '٨': '8',
  '٩': '9',
};
const CHAR_RE = new RegExp(`[${Object.keys(CHAR_MAP).join('')}]`, 'gu');

/** Apostrophe-like characters; inside a word they are dropped (Ukrainian п'ю, Dutch s'nachts, Turkish gemeente'den → gemeenteden). */
const APOSTROPHES = /['’ʼ`´‘]/gu;

// One message is normalised by the language guess, the lexicons and both models in turn: the
// last answer is kept so the regex work is done once.
let lastText: string | undefined;
let lastNormalized = '';

export function normalize(text: string): string {
  if (text === lastText) return lastNormalized;
  lastNormalized = normalizeUncached(text);
  lastText = text;
  return lastNormalized;
}

function normalizeUncached(text: string): string {
  let s = text;
  for (const [re, word] of EMOJI) s = s.replace(re, word);
  s = s.toLowerCase();
  s = s.normalize('NFD').replace(/\p{M}/gu, '');
  s = s.replace(CHAR_RE, (c) => CHAR_MAP[c] ?? c);
  // Arabic tatweel
  s = s.replace(/\u0640/gu, '');
  s = s.replace(APOSTROPHES, '');
  // everything that is not a letter or digit separates words
  s = s.replace(/[^\p{L}\p{N}]+/gu, ' ');
  // "neeeee" → "nee", "hoooi" → "hooi"
  s = s.replace(/(\p{L})\1{2,}/gu, '$1$1');
  return s.trim();
}

export function tokens(normalized: string): string[] {
  return normalized ? normalized.split(' ') : [];
}

/** Number of words in the raw text (what "a message of three words or more" counts). */
export function wordCount(text: string): number {
  return tokens(normalize(text)).length;
}
