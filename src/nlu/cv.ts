/**
 * k-fold cross-validation over the training corpus, to measure what each classifier option buys
 * without looking at the held-out test set: `npm run --silent nlu -- cv [--folds 5] [--ablate]`.
 */
import { LANGS, type Lang } from '../core/lang.js';
import { Classifier, corpusDocs, DEFAULT_OPTIONS, type ClassifierOptions, type Corpus } from './classifier.js';
import { chooseLanguage, textLanguage } from './language.js';
import { normalize, tokens } from './normalize.js';

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
