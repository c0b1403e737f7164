/**
 * Which language is a message in? A pure function over the stored preference, the channel's
 * locale hint and the text.
 *
 * - Script is strong evidence at any length: Arabic letters → ar, Cyrillic → uk (our only
 *   Cyrillic language; Russian-speaking Ukrainians are routed to uk too).
 * - Latin-script texts are only guessed from when they have ≥ 3 words: function words,
 *   language-specific letters (Turkish ğ ş ı, Polish ą ę ł ś ż ź ń), digits inside words (Arabic
 *   typed in Latin letters: "3andi", "n9ra") and typical word endings score nl, en, tr, pl and the
 *   Latin-letter forms of ar and uk; an optional character-trigram profile learned from the
 *   training corpus adds a smaller, smoother signal.
 * - Dutch institution words (gemeente, toeslag, huisarts …) are never evidence for Dutch: people
 *   use them in every language here.
 * - We only move away from the stored/hinted language with clear evidence (a minimum score and
 *   a margin over the current language).
 */
import type { Lang } from '../core/lang.js';
import { normalize, tokens } from './normalize.js';
import { INSTITUTION_WORDS } from './lexicon.js';

export interface LanguageChoice {
  /** The language to answer in: stored preference, else hint, else the text's language, else nl. */
  lang: Lang;
  /** The language the text itself is in, when there is enough evidence to say. */
  detected?: Lang;
  /** True when `detected` is set and differs from `lang` (the flow may ask once whether to switch). */
  differs: boolean;
}

export interface LanguageInput {
  stored?: Lang;
  hint?: Lang;
  /** Fallback when nothing else decides (DEFAULT_LANGUAGE); default nl. */
  fallback?: Lang;
}

/** Character-trigram log-probabilities per Latin language, learned from the training corpus. */
export interface TrigramProfile {
  langs: Lang[];
  /** trigram → log P(trigram | lang), per lang in `langs` order */
  logp: Record<string, number[]>;
  /** log-probability of an unseen trigram, per lang */
  unseen: number[];
}

// Arabic and Ukrainian are also typed in Latin letters: Arabic with digits for the sounds Latin
// lacks ("bghit n9ra", "3andi mochkil"), Ukrainian and Russian in transliteration ("ne mozhu").
type LatinLang = 'nl' | 'en' | 'tr' | 'pl' | 'ar' | 'uk';
const LATIN: LatinLang[] = ['nl', 'en', 'tr', 'pl', 'ar', 'uk'];

// Function words and very frequent words, written in normalised form (no diacritics).
const FUNCTION_WORDS: Record<LatinLang, string> = {
  nl: `ik je jij jou u het de een en van in op met voor niet is zijn heb hebt heeft wil wilt kan kun kunt
    mijn me mij wat hoe er dat die deze dit maar ook nog geen naar bij om te we wij ze hij zij ben
    moet moeten graag nodig waar wie als dan al wel niks niets iemand mensen zou zo veel weet
    hier daar omdat of wordt word worden krijg krijgen doen doe kom komt zit sinds hem haar ons onze
    hun jullie alleen mee uit over nu heel erg hoi hallo dank bedankt nee ja goed kunnen willen
    snap begrijp weer nooit altijd elke alles iets waarom wanneer welke hulp huis brief geld werk buren
    kinderen zoon dochter man vrouw moeder vader leren lezen praten zoek zoeken ga gaat gaan`,
  en: `i you the a an and of to in is my me it for with not dont cant im ive id have has want need do does
    can what how are this that at on be would some someone no from am was get about please there your
    but so too very they he she we our us his her him them who where when why which will could should
    just like know any anyone nobody help thanks thank hi hello yes cant wont didnt doesnt isnt been
    or if then than here really lot much more going go feel looking find anything something all every
    home house letter money work neighbours kids son daughter husband wife mother father learn read talk`,
  tr: `ve bir bu ben sen cok icin ile mi mu var yok ne nasil de da ama gibi daha benim bana beni istiyorum
    yardim lazim ediyorum degil kim nerede olarak olan her sey kadar sonra artik evet hayir biri kimse
    hic bile cunku simdi hep sadece bile olur olsun misiniz miyim musun edebilir yapabilir gerek
    onu ona o siz biz bizim sizin icin icinde gibi tek kendimi kendi istemiyorum bilmiyorum
    merhaba selam tesekkurler tesekkur ederim lutfen tamam ev is para mektup komsu cocuk oglum kizim
    esim annem babam hollandaca ogrenmek okumak konusmak ariyorum`,
  pl: `i w na z ze nie sie jest to mam mnie mi do po jak co czy ale o ja moja moj moje chce potrzebuje
    pomocy od dla bo tak juz jestem tez przez ktory tylko moze bardzo sa jestes ktos nikt nikogo
    kiedy gdzie dlaczego mozna mozesz prosze dziekuje czesc dzien dobry jego jej ich nas was my
    wy on ona oni teraz jeszcze bez przy pod nad wiec albo lub zeby mialem mialam byl byla
    dom mieszkanie list pieniadze praca sasiedzi dzieci syn corka maz zona mama tata uczyc czytac`,
  // Arabizi: Moroccan, Levantine, Egyptian and Iraqi function words as young people text them
  ar: `ana nta nti enta enti howa hiya hia 7na hna ntoma bghit bgheet baghi bghina bdi biddi badi bade
    3andi 3ndi 3andek 3ando 3andha 3andna dyal dial diali dyali dyalek dyalha wach wesh kifach kifash
    kifesh kayn kayen kayna makaynch mkaynch makayench bzaf bezzaf bzzaf chi chwiya shwaya shwayy wallah
    walakin lakin bas msh mish mesh mafi ma3 m3a m3ak 3la 3ala ya3ni yani inshallah nshallah hamdulillah
    lhamdulillah salam slm 3alikum 3likom chokran choukran shukran shokran wakha waxa safi daba dlwa2ti
    halla2 hala2 ghir ghadi ghan gha kan kant kanu ndir n9dar n9der a9dar nqder nqdar 3lach 3lash leh lesh
    lish chno chnou shno shu shou ash achno fin fen wayn wen feen imta emta 7it la2 la2an 3shan 3ashan
    kaydir kandir kan9ra kanqra mzyan mezyan mlih mni7 kwayes kwayis tayeb khoya khti 7abibi zwin
    lmdrasa lkhedma khdma l7okoma lbaladiya lflous flous lkra lbit ldar dar`,
  // Ukrainian and Russian in Latin letters
  uk: `ya mene meni mini tse tsey tsia shcho shchob shto chto chtoby ne mozhu moju mogu khochu hochu
    khochemo treba potribno nuzhno nado duzhe ochen dyakuyu diakuiu spasybi spasibo pryvit privit privet
    bud laska pozhaluista pozhalujsta dopomoha dopomoga pomoshch dopomozhit pomogite yak kak koly kogda
    de gde tut tam zaraz seychas sejchas teper tezh takozh takzhe vin vona voni on ona oni my vy nas nam
    vas vam yogo yoho yiyi menya mne tebe tebia sebe ye yest nemaye nemae net ni nema nichoho nichego
    robyty robota rabota kvartyra kvartira hroshi groshi dengi dity deti syn dochka cholovik muzh
    druzhyna zhena mama tato papa vchyty uchit chytaty chitat hovoryty govorit rozmovlyaty`,
};

const FW: Record<LatinLang, Set<string>> = Object.fromEntries(
  LATIN.map((l) => [l, new Set(FUNCTION_WORDS[l].split(/\s+/).filter(Boolean))]),
) as Record<LatinLang, Set<string>>;

// Short, highly ambiguous words that count for less (e.g. "de" is Dutch and Turkish, "i" English and Polish).
const WEAK = new Set(['de', 'da', 'i', 'in', 'o', 'a', 'is', 'me', 'mi', 'na', 'to', 'we', 'ze', 'u', 'on', 'no', 'ja', 'so', 'her', 'her', 'van', 'te', 'z', 'w', 'do', 'ne', 'en', 'an']);

// Letters that (almost) only one of our Latin languages uses.
const STRONG_CHARS: Array<[RegExp, LatinLang, number]> = [
  [/[ğşı]/gu, 'tr', 2.5],
  [/[çöü]/gu, 'tr', 0.8],
  [/[ąęłńśźż]/gu, 'pl', 2.5],
  [/[ćó]/gu, 'pl', 1],
  [/[ëï]/gu, 'nl', 0.8],
];

// Digits inside words: Arabic typed in Latin letters (3 = ع, 7 = ح, 9 = ق, 2 = ء, 5 = خ).
const ARABIZI_DIGITS = /(?:[a-z][235789]|[235789][a-z])/gu;

// Word endings and letter clusters (on normalised words).
const SUFFIXES: Array<[RegExp, LatinLang, number]> = [
  [/(iyor|iyorum|uyorum|iyoruz|yorum|mak|mek|miyor|mıyor|dir|lar|ler|lari|leri|larim|lerim|imiz|dan|den|tan|ten|nin|nun|sin|siniz|misin|yim|yiz|lik|luk|sız|siz|suz)$/u, 'tr', 0.6],
  [/(ujemy|uje|owac|ować|iem|emy|ami|ach|ego|owie|ski|ska|cie|wac|osc|nie|szy|cja|cji)$/u, 'pl', 0.6],
  [/(sz|cz|rz|szcz|prz|dz|zw|ww|wy)/u, 'pl', 0.5],
  [/(ij|oe|ui|aa|ee|oo|uu|sch|cht|tje|lijk|heid)/u, 'nl', 0.5],
  [/(ing|ght|th|wh|ould|tion)/u, 'en', 0.5],
  [/(shch|zh|tsia|tsya)/u, 'uk', 0.5],
  [/(yty|ysia|tsia|tsya|ovaty|uvaty|nyi|nyy|skyi|skyy|oho|ikh|ykh)$/u, 'uk', 0.6],
];

const ARABIC = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/gu;
const CYRILLIC = /[\u0400-\u04FF]/gu;
const LATIN_RE = /[a-zA-Z\u00C0-\u024F]/gu;

function count(s: string, re: RegExp): number {
  return (s.match(re) ?? []).length;
}

/**
 * The script-decided language: Arabic or Cyrillic words outnumber the Latin-script words that are
 * not Dutch institution words ("ما عندي huisarts" is Arabic).
 */
export function scriptLanguage(text: string): Lang | undefined {
  let ar = 0;
  let cy = 0;
  let la = 0;
  for (const w of text.split(/\s+/u)) {
    if (!w) continue;
    const a = count(w, ARABIC);
    const c = count(w, CYRILLIC);
    const l = count(w, LATIN_RE);
    if (a === 0 && c === 0 && l === 0) continue;
    if (a >= c && a >= l) ar++;
    else if (c >= l) cy++;
    else if (!isInstitutionWord(normalize(w))) la++;
  }
  if (ar === 0 && cy === 0) return undefined;
  if (ar >= cy && ar >= la) return 'ar';
  if (cy > ar && cy >= la) return 'uk';
  return undefined;
}

function isInstitutionWord(tok: string): boolean {
  if (INSTITUTION_WORDS.has(tok)) return true;
  // Turkish/Polish suffixes glued to a Dutch word: gemeenteden, belastingdienstten, huisartsa
  for (let cut = tok.length - 1; cut >= 4 && cut >= tok.length - 5; cut--) {
    if (INSTITUTION_WORDS.has(tok.slice(0, cut))) return true;
  }
  return false;
}

/** Evidence per Latin language (higher is more). Exposed for tests and tuning. */
export function latinScores(text: string, profile?: TrigramProfile): Record<LatinLang, number> {
  const scores: Record<LatinLang, number> = { nl: 0, en: 0, tr: 0, pl: 0, ar: 0, uk: 0 };
  const lower = text.toLowerCase();
  for (const [re, l, w] of STRONG_CHARS) scores[l] += Math.min(3, count(lower, re)) * w;
  scores.ar += Math.min(3, count(lower, ARABIZI_DIGITS)) * 1.5;
  const toks = tokens(normalize(text)).filter((t) => !/^\d+$/.test(t));
  const content: string[] = [];
  for (const t of toks) {
    if (isInstitutionWord(t)) continue;
    content.push(t);
    for (const l of LATIN) {
      if (FW[l].has(t)) scores[l] += WEAK.has(t) ? 0.5 : 1;
    }
    if (t.length >= 4) {
      for (const [re, l, w] of SUFFIXES) if (re.test(t)) scores[l] += w;
    }
  }
  if (profile && content.length > 0) {
    const ll = trigramLogLik(content, profile);
    const best = Math.max(...ll);
    // convert to a bounded bonus: 0 for the likeliest, negative for the others, scaled per trigram
    const n = Math.max(1, content.join(' ').length);
    profile.langs.forEach((l, i) => {
      if ((LATIN as Lang[]).includes(l)) scores[l as LatinLang] += Math.max(-3, ((ll[i] - best) / n) * 6);
    });
  }
  return scores;
}

export function trigramsOf(word: string): string[] {
  const w = ` ${word} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= w.length; i++) out.push(w.slice(i, i + 3));
  return out;
}

function trigramLogLik(words: string[], profile: TrigramProfile): number[] {
  const ll = profile.langs.map(() => 0);
  for (const w of words) {
    for (const g of trigramsOf(w)) {
      const row = profile.logp[g];
      for (let i = 0; i < ll.length; i++) ll[i] += row ? row[i] : profile.unseen[i];
    }
  }
  return ll;
}

/** Learns a trigram profile from texts per language (Latin languages only). */
export function buildTrigramProfile(textsByLang: Partial<Record<Lang, string[]>>): TrigramProfile {
  const langs = LATIN.filter((l) => textsByLang[l]?.length) as Lang[];
  const counts = new Map<string, number[]>();
  const totals = langs.map(() => 0);
  langs.forEach((l, i) => {
    for (const text of textsByLang[l] ?? []) {
      for (const t of tokens(normalize(text))) {
        // Arabic and Ukrainian texts count with their Latin-letter words only
        if (isInstitutionWord(t) || !/^[a-z0-9]+$/u.test(t)) continue;
        for (const g of trigramsOf(t)) {
          let row = counts.get(g);
          if (!row) counts.set(g, (row = langs.map(() => 0)));
          row[i] += 1;
          totals[i] += 1;
        }
      }
    }
  });
  const v = counts.size + 1;
  const logp: Record<string, number[]> = {};
  for (const [g, row] of counts) logp[g] = row.map((c, i) => Math.log((c + 0.5) / (totals[i] + 0.5 * v)));
  const unseen = totals.map((t) => Math.log(0.5 / (t + 0.5 * v)));
  return { langs, logp, unseen };
}

const MIN_SCORE = 1.5;
/** With no stored or hinted language, a smaller lead decides. */
const NO_CURRENT_MARGIN = 0.5;
const MIN_MARGIN = 1.0;
/** Against a stored/hinted language we need more. */
const SWITCH_MARGIN = 1.5;

/** What the text alone says, or undefined when it is too short or unclear. */
export function detectFromText(text: string, profile?: TrigramProfile): Lang | undefined {
  return guess(text, undefined, profile);
}

function guess(text: string, current: Lang | undefined, profile?: TrigramProfile): Lang | undefined {
  const script = scriptLanguage(text);
  if (script) return script;
  const nWords = tokens(normalize(text)).length;
  if (nWords < 3) return undefined;
  const s = latinScores(text, profile);
  const ranked = (Object.entries(s) as Array<[LatinLang, number]>).sort((a, b) => b[1] - a[1]);
  const [best, bestScore] = ranked[0];
  const secondScore = ranked[1][1];
  if (!current) {
    // nothing stored or hinted: the text's best language wins as soon as it leads at all
    return bestScore - secondScore >= NO_CURRENT_MARGIN ? best : undefined;
  }
  if (bestScore < MIN_SCORE || bestScore - secondScore < MIN_MARGIN) {
    // unclear: keep the current language
    return undefined;
  }
  if (current && current !== best && (LATIN as Lang[]).includes(current)) {
    const currentScore = s[current as LatinLang];
    if (bestScore - currentScore < SWITCH_MARGIN) return undefined;
  }
  return best;
}

/**
 * Settles the conversation language and the text's language.
 * `lang` stays the stored (else hinted) language; `detected` tells what the text is in when that
 * is clear, so the flow can ask once "continue in X?" when `differs`.
 */
export function chooseLanguage(text: string, input: LanguageInput = {}, profile?: TrigramProfile): LanguageChoice {
  const current = input.stored ?? input.hint;
  const detected = guess(text, current, profile);
  if (!current) {
    return { lang: detected ?? input.fallback ?? 'nl', detected, differs: false };
  }
  return { lang: current, detected, differs: detected !== undefined && detected !== current };
}

/** The language to classify this text in: the detected one when clear, else the conversation's. */
export function textLanguage(choice: LanguageChoice): Lang {
  return choice.detected ?? choice.lang;
}
