/**
 * Domain lexicon: Dutch institution and service words that residents use in every language
 * ("gemeente'den mektup geldi", "belastingdienst хоче …"). Two uses:
 * - they are never evidence that a text is Dutch (language.ts);
 * - some of them point at a need, which the classifier adds as a soft boost (classifier.ts).
 * Words are in normalised form (lower case, no diacritics); a token matches when it starts with
 * the word (so Turkish/Polish case endings still match: "deurwaarderden", "uwvu").
 */
import type { NeedIntent } from '../core/intents.js';

/** word → the need it signals (undefined: institution word without a clear need). */
export const DOMAIN_LEXICON: Record<string, NeedIntent | undefined> = {
  // money
  schuldhulp: 'need.money',
  schuldhulpverlening: 'need.money',
  schuldsanering: 'need.money',
  deurwaarder: 'need.money',
  incasso: 'need.money',
  incassobureau: 'need.money',
  toeslag: 'need.money',
  toeslagen: 'need.money',
  zorgtoeslag: 'need.money',
  huurtoeslag: 'need.money',
  kinderopvangtoeslag: 'need.money',
  kindgebonden: 'need.money',
  bijstand: 'need.money',
  voedselbank: 'need.money',
  bewindvoering: 'need.money',
  bewindvoerder: 'need.money',
  aanmaning: 'need.money',
  betalingsregeling: 'need.money',
  cjib: 'need.money',
  // housing
  woningcorporatie: 'need.housing',
  woningbouw: 'need.housing',
  woningbouwvereniging: 'need.housing',
  woningnet: 'need.housing',
  urgentie: 'need.housing',
  huurcommissie: 'need.housing',
  verhuurder: 'need.housing',
  huisbaas: 'need.housing',
  ymere: 'need.housing',
  // language
  taalcafe: 'need.language',
  taalmaatje: 'need.language',
  inburgering: 'need.language',
  inburgeringsexamen: 'need.language',
  taalhuis: 'need.language',
  // work
  uwv: 'need.work',
  werkplein: 'need.work',
  uitzendbureau: 'need.work',
  sollicitatie: 'need.work',
  mbo: 'need.work',
  stage: 'need.work',
  // health
  huisarts: 'need.health',
  thuiszorg: 'need.health',
  wijkverpleegkundige: 'need.health',
  fysio: 'need.health',
  fysiotherapeut: 'need.health',
  ggd: 'need.health',
  // addiction
  verslavingszorg: 'need.addiction',
  tactus: 'need.addiction',
  // activities / organise
  buurtbudget: 'need.organize',
  bewonersinitiatief: 'need.organize',
  // institution words without one clear need
  gemeente: undefined,
  belastingdienst: undefined,
  belasting: undefined,
  wijkteam: undefined,
  wijkwerker: undefined,
  buurthuis: undefined,
  duo: undefined,
  digid: undefined,
  wmo: undefined,
  svb: undefined,
  aow: undefined,
  bsn: undefined,
  zorgverzekering: undefined,
  almere: undefined,
  repair: undefined,
  cafe: undefined,
  jeugdzorg: undefined,
};

export const INSTITUTION_WORDS: ReadonlySet<string> = new Set(Object.keys(DOMAIN_LEXICON));

const NEED_WORDS = Object.entries(DOMAIN_LEXICON).filter((e): e is [string, NeedIntent] => e[1] !== undefined);

/** Needs signalled by institution words among the (normalised) tokens, with a count each. */
export function lexiconNeeds(toks: string[]): Map<NeedIntent, number> {
  const out = new Map<NeedIntent, number>();
  for (const t of toks) {
    if (t.length < 3) continue;
    for (const [word, need] of NEED_WORDS) {
      // exact, or the word followed by a short case ending (Turkish/Polish/Ukrainian grammar)
      if (t === word || (t.startsWith(word) && t.length - word.length <= 4)) {
        out.set(need, (out.get(need) ?? 0) + 1);
      }
    }
  }
  return out;
}
