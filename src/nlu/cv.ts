/**
 * k-fold cross-validation over the training corpus, to measure what each classifier option buys
 * without looking at the held-out test set: `npm run --silent nlu -- cv [--folds 5] [--ablate]`,
 * and of the crisis model: `npm run --silent nlu -- crisis-cv`.
 */
import { LANGS, type Lang } from '../core/lang.js';
import { Classifier, corpusDocs, DEFAULT_OPTIONS, type ClassifierOptions, type Corpus } from './classifier.js';
import { chooseLanguage, textLanguage } from './language.js';
import { normalize, tokens } from './normalize.js';
import { CrisisModel, crisisExamplesFromCorpus, type CrisisExample } from './crisis-model.js';
import { detectCrisis, loadCrisisLexicon } from './crisis.js';
import { decideCrisis, DEFAULT_CRISIS_THRESHOLDS } from './crisis-decision.js';

export interface CvResult {
  accuracy: number;
  perLang: Record<string, number>;
  languageAccuracy: number;
  n: number;
}

export async function crossValidate(corpus: Corpus, options: Partial<ClassifierOptions> = {}, folds = 5, keywords: Corpus = {}): Promise<CvResult> {
  const docs = corpusDocs(corpus);
  // stratified: every (lang, intent) spread over the folds in order
  const counter = new Map<string, number>();
  const fold = docs.map((d) => {
    const k = `${d.lang}/${d.intent}`;
    const i = counter.get(k) ?? 0;
    counter.set(k, i + 1);
    return i % folds;
  });
  let ok = 0;
  let langOk = 0;
  let langN = 0;
  const per: Record<string, [number, number]> = {};
  for (let f = 0; f < folds; f++) {
    const train: Corpus = {};
    docs.forEach((d, i) => {
      if (fold[i] === f) return;
      ((train[d.lang] ??= {})[d.intent] ??= []).push(d.text);
    });
    const c = await Classifier.train(train, options, keywords);
    for (let i = 0; i < docs.length; i++) {
      if (fold[i] !== f) continue;
      const d = docs[i];
      const choice = chooseLanguage(d.text, { hint: d.lang }, c.profile);
      const r = await c.classify(d.text, textLanguage(choice));
      const hit = r.intent === d.intent ? 1 : 0;
      ok += hit;
      const p = (per[d.lang] ??= [0, 0]);
      p[0] += hit;
      p[1] += 1;
      if (tokens(normalize(d.text)).length >= 3) {
        langN++;
        if (chooseLanguage(d.text, {}, c.profile).lang === d.lang) langOk++;
      }
    }
  }
  const perLang: Record<string, number> = {};
  for (const l of LANGS) if (per[l]) perLang[l] = round(per[l][0] / per[l][1]);
  return { accuracy: round(ok / docs.length), perLang, languageAccuracy: round(langOk / Math.max(1, langN)), n: docs.length };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

export const ABLATIONS: Record<string, Partial<ClassifierOptions>> = {
  'full (default)': {},
  'without keyword lists': { useKeywords: false },
  'node-nlp only, raw text': { useNgram: false, normalizeForNlpjs: false, useExact: false, useLexicon: false, useClauses: false },
  'node-nlp only, normalised': { useNgram: false, useExact: false, useLexicon: false, useClauses: false },
  'n-gram model only': { useNlpjs: false, useExact: false, useLexicon: false, useClauses: false },
  'ensemble, no exact/lexicon/clauses': { useExact: false, useLexicon: false, useClauses: false },
  'without exact table': { useExact: false },
  'without lexicon': { useLexicon: false },
  'without clauses': { useClauses: false },
  'without normalisation for node-nlp': { normalizeForNlpjs: false },
};

export { DEFAULT_OPTIONS, type Lang };

export interface CrisisCvRow {
  alarmFrom: number;
  doubtBelow: number;
  /** lexicon and model together, as decideCrisis decides */
  recall: number;
  falseAlarms: number;
  /** share of safe examples that would get the "are you in danger?" question */
  asked: number;
  /** share of everyday messages (the intent corpus, also cross-validated) that would alarm */
  everydayAlarms: number;
}

/**
 * Which crisis-train files measure the decision fairly: not round 1 (`<lang>.jsonl`, the lexicons
 * were tuned on it, so they look perfect there) and not the minimal pairs (`-5`, safe twins of
 * crisis lines: harder than anything people write).
 */
export function fairForCrisisCv(source = ''): boolean {
  return /-\d+\.jsonl$/.test(source) && !/-5\.jsonl$/.test(source);
}

/**
 * k-fold cross-validation of the crisis model over data/nlu/crisis-train (the intent corpus is
 * always in training): how recall and false alarms of the whole decision move with the model's
 * alarm threshold and the lexicon doubt floor. `best` is where DEFAULT_CRISIS_THRESHOLDS comes from.
 */
export function crossValidateCrisis(
  examples: CrisisExample[],
  corpus: Corpus,
  folds = 5,
  alarmFroms = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9],
  doubtBelows = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5],
  maxFalseAlarms = 0.05,
  maxEverydayAlarms = 0.025,
): { n: number; positives: number; lexiconRecall: number; lexiconFalseAlarms: number; best?: CrisisCvRow; rows: CrisisCvRow[] } {
  const fromCorpus = crisisExamplesFromCorpus(corpus);
  const p = new Array<number>(examples.length).fill(0);
  const everyday = fromCorpus.map((e, i) => i).filter((i) => !fromCorpus[i].crisis);
  const pe = new Array<number>(fromCorpus.length).fill(0);
  for (let f = 0; f < folds; f++) {
    const model = CrisisModel.train([...examples.filter((_, i) => i % folds !== f), ...fromCorpus.filter((_, i) => i % folds !== f)]);
    examples.forEach((e, i) => {
      if (i % folds === f) p[i] = model.probability(e.text);
    });
    fromCorpus.forEach((e, i) => {
      if (i % folds === f) pe[i] = model.probability(e.text);
    });
  }
  const lexicon = loadCrisisLexicon();
  const measured = examples.map((e, i) => i).filter((i) => fairForCrisisCv(examples[i].source));
  const lex = new Map(measured.map((i) => [i, detectCrisis(examples[i].text, lexicon).crisis]));
  const pos = measured.filter((i) => examples[i].crisis);
  const neg = measured.filter((i) => !examples[i].crisis);
  const share = (idx: number[], hit: (i: number) => boolean) => Math.round((idx.filter(hit).length / Math.max(1, idx.length)) * 1000) / 1000;
  const rows: CrisisCvRow[] = [];
  for (const doubtBelow of doubtBelows) {
    for (const alarmFrom of alarmFroms) {
      const verdict = (i: number) =>
        decideCrisis({ lexicon: lex.get(i)!, probability: p[i], intent: 'none', intentScore: 0 }, { ...DEFAULT_CRISIS_THRESHOLDS, alarmFrom, doubtBelow }).verdict;
      rows.push({
        alarmFrom,
        doubtBelow,
        recall: share(pos, (i) => verdict(i) === 'alarm'),
        falseAlarms: share(neg, (i) => verdict(i) === 'alarm'),
        asked: share(neg, (i) => verdict(i) === 'ask'),
        // the lexicons never fire on the corpus (a test makes sure), so the model alone decides there
        everydayAlarms: share(everyday, (i) => pe[i] >= alarmFrom),
      });
    }
  }
  // the highest recall that keeps false alarms on hard safe lines and on everyday messages within bounds
  const best = rows.filter((r) => r.falseAlarms <= maxFalseAlarms && r.everydayAlarms <= maxEverydayAlarms).sort((a, b) => b.recall - a.recall || a.falseAlarms - b.falseAlarms)[0];
  return {
    n: measured.length,
    positives: pos.length,
    lexiconRecall: share(pos, (i) => lex.get(i)!),
    lexiconFalseAlarms: share(neg, (i) => lex.get(i)!),
    best,
    rows,
  };
}
