/**
 * Intent classification: node-nlp (one neural model per language, with its stemmers) averaged with
 * a joint character/word n-gram softmax model (ngram.ts), plus
 * - an exact-match table of short training utterances across all languages ("ok", "dank je",
 *   "teşekkürler" …) so one-to-three-word replies never depend on the detected language;
 * - a soft boost from Dutch institution words (lexicon.ts);
 * - clause splitting for multi-need messages ("ik heb schulden en ik kan de brieven niet lezen");
 * - a confidence floor below which the answer is `none` (the flow then shows topic buttons).
 * Every option can be switched off, so `npm run nlu -- cv` can measure what each one buys.
 */
import { NlpManager } from 'node-nlp';
import { LANGS, type Lang } from '../core/lang.js';
import { INTENTS, NEED_INTENTS, isNeedIntent, type Intent, type NeedIntent } from '../core/intents.js';
import { normalize, tokens } from './normalize.js';
import { NgramModel, type NgramModelJson, type NgramOptions } from './ngram.js';
import { lexiconNeeds } from './lexicon.js';
import { buildTrigramProfile, type TrigramProfile } from './language.js';
import { CrisisModel, crisisExamplesFromCorpus, type CrisisExample, type CrisisModelJson } from './crisis-model.js';

/** { lang: { intent: [utterance, …] } } as in data/nlu/train/<lang>.json */
export type Corpus = Partial<Record<Lang, Record<string, string[]>>>;

export interface ClassifierOptions {
  /** Feed node-nlp the normalised text instead of the raw text. */
  normalizeForNlpjs: boolean;
  useNlpjs: boolean;
  useNgram: boolean;
  useExact: boolean;
  useLexicon: boolean;
  useClauses: boolean;
  /** Train on the keyword lists too. */
  useKeywords: boolean;
  /** Weight of node-nlp in the average (the n-gram model gets 1 - alpha). */
  alpha: number;
  /** Below this top probability the intent is `none`. */
  noneThreshold: number;
  /** A need is listed in `needs` from this probability on (whole text). */
  needThreshold: number;
  /** A need found in one clause of a longer message is listed from this probability on. */
  clauseThreshold: number;
  /** Probability mass added to a need per matching institution word. */
  lexiconBoost: number;
  ngram?: Partial<NgramOptions>;
}

export const DEFAULT_OPTIONS: ClassifierOptions = {
  normalizeForNlpjs: true,
  useNlpjs: true,
  useNgram: true,
  useExact: true,
  useLexicon: true,
  useClauses: true,
  useKeywords: true,
  alpha: 0.3,
  noneThreshold: 0.3,
  needThreshold: 0.25,
  clauseThreshold: 0.5,
  lexiconBoost: 0.1,
};

export interface ClassifierJson {
  options: ClassifierOptions;
  nlpjs?: string;
  ngram?: NgramModelJson;
  exact: Array<[string, string]>;
  profile: TrigramProfile;
  crisis?: CrisisModelJson;
}

export interface IntentResult {
  intent: Intent;
  score: number;
  needs: NeedIntent[];
  /** Probabilities of the top candidates, best first (for debugging and eval). */
  ranked: Array<[string, number]>;
  /** The model's probability for the `crisis` class (a second crisis signal next to the lexicon). */
  crisisProbability?: number;
}

const KNOWN = new Set<string>(INTENTS);
const EXACT_MAX_WORDS = 4;

export function corpusDocs(corpus: Corpus): Array<{ lang: Lang; text: string; intent: string }> {
  const out: Array<{ lang: Lang; text: string; intent: string }> = [];
  for (const lang of LANGS) {
    for (const [intent, utterances] of Object.entries(corpus[lang] ?? {})) {
      if (!KNOWN.has(intent)) throw new Error(`unknown intent ${intent} in the ${lang} corpus`);
      for (const text of utterances) out.push({ lang, text, intent });
    }
  }
  return out;
}

function exactTable(docs: Array<{ text: string; intent: string }>): Map<string, string> {
  const seen = new Map<string, Set<string>>();
  for (const d of docs) {
    const n = normalize(d.text);
    if (!n || tokens(n).length > EXACT_MAX_WORDS) continue;
    let s = seen.get(n);
    if (!s) seen.set(n, (s = new Set()));
    s.add(d.intent);
  }
  const table = new Map<string, string>();
  for (const [n, s] of seen) if (s.size === 1) table.set(n, [...s][0]);
  return table;
}

// Clause boundaries: punctuation and "and/but/also" in our six languages.
const CLAUSE_SPLIT = /[.,;!?\n،؛]+|\s(?:en|maar|ook|and|but|also|plus|ve|ama|hem de|ayrica|i|oraz|ale|a także|też|та|і|й|а також|але|و|ولكن|لكن|وكمان|كمان)\s/giu;

export class Classifier {
  private exact: Map<string, string>;

  private constructor(
    readonly options: ClassifierOptions,
    private manager: NlpManager | undefined,
    private ngram: NgramModel | undefined,
    exact: Map<string, string>,
    readonly profile: TrigramProfile,
    /** The learned crisis signal (crisis-model.ts), when crisis examples were given. */
    readonly crisisModel?: CrisisModel,
  ) {
    this.exact = exact;
  }

  /**
   * @param corpus   the training utterances per language and intent
   * @param keywords per language and intent, single words and short phrases (data/nlu/train/lexicon):
   *                 extra training documents that widen the vocabulary
   * @param crisisExamples data/nlu/crisis-train: with them, a crisis model is trained too
   */
  static async train(
    corpus: Corpus,
    options: Partial<ClassifierOptions> = {},
    keywords: Corpus = {},
    crisisExamples: CrisisExample[] = [],
  ): Promise<Classifier> {
    const o = { ...DEFAULT_OPTIONS, ...options };
    const docs = [...corpusDocs(corpus), ...(o.useKeywords ? corpusDocs(keywords) : [])];
    let manager: NlpManager | undefined;
    if (o.useNlpjs) {
      manager = newManager();
      for (const d of docs) manager.addDocument(d.lang, o.normalizeForNlpjs ? normalize(d.text) : d.text, d.intent);
      await quietly(() => manager!.train());
    }
    const ngram = o.useNgram
      ? NgramModel.train(
          docs.map((d) => ({ text: normalize(d.text), intent: d.intent })),
          o.ngram,
        )
      : undefined;
    const byLang: Partial<Record<Lang, string[]>> = {};
    for (const d of docs) (byLang[d.lang] ??= []).push(d.text);
    const crisisModel = crisisExamples.length ? CrisisModel.train([...crisisExamples, ...crisisExamplesFromCorpus(corpus)]) : undefined;
    return new Classifier(o, manager, ngram, exactTable(docs), buildTrigramProfile(byLang), crisisModel);
  }

  toJSON(): ClassifierJson {
    return {
      options: this.options,
      nlpjs: this.manager?.export(true),
      ngram: this.ngram?.toJSON(),
      exact: [...this.exact],
      profile: this.profile,
      crisis: this.crisisModel?.toJSON(),
    };
  }

  static fromJSON(json: ClassifierJson): Classifier {
    let manager: NlpManager | undefined;
    if (json.nlpjs) {
      manager = newManager();
      manager.import(json.nlpjs);
    }
    const ngram = json.ngram ? NgramModel.fromJSON(json.ngram) : undefined;
    const crisis = json.crisis ? CrisisModel.fromJSON(json.crisis) : undefined;
    return new Classifier(json.options, manager, ngram, new Map(json.exact), json.profile, crisis);
  }

  /** Probabilities over intents for one piece of text, classified as `lang`. */
  async probabilities(text: string, lang: Lang, quick = false): Promise<Map<string, number>> {
    const o = this.options;
    const norm = normalize(text);
    const p = new Map<string, number>();
    const add = (m: Map<string, number>, w: number) => {
      for (const [k, v] of m) p.set(k, (p.get(k) ?? 0) + v * w);
    };
    const parts: Array<[Map<string, number>, number]> = [];
    // quick: the n-gram model alone (clauses of a long message: several times cheaper, needs only)
    if (this.manager && !(quick && this.ngram)) {
      const r = await this.manager.nlp.classify(lang, o.normalizeForNlpjs ? norm : text);
      const m = new Map<string, number>();
      for (const c of r.classifications ?? []) {
        const intent = c.intent === 'None' ? 'none' : c.intent;
        m.set(intent, (m.get(intent) ?? 0) + c.score);
      }
      parts.push([m, o.alpha]);
    }
    if (this.ngram) parts.push([this.ngram.predict(norm), 1 - o.alpha]);
    const total = parts.reduce((s, [, w]) => s + w, 0) || 1;
    for (const [m, w] of parts) add(m, w / total);
    if (o.useLexicon) {
      const lex = lexiconNeeds(tokens(norm));
      if (lex.size) {
        for (const [need, n] of lex) p.set(need, (p.get(need) ?? 0) + o.lexiconBoost * n);
        const z = [...p.values()].reduce((a, b) => a + b, 0);
        for (const [k, v] of p) p.set(k, v / z);
      }
    }
    return p;
  }

  async classify(text: string, lang: Lang): Promise<IntentResult> {
    const o = this.options;
    const norm = normalize(text);
    if (!norm) return { intent: 'none', score: 1, needs: [], ranked: [] };
    if (o.useExact) {
      const hit = this.exact.get(norm);
      if (hit) {
        const intent = hit as Intent;
        return { intent, score: 1, needs: isNeedIntent(intent) ? [intent] : [], ranked: [[intent, 1]] };
      }
    }
    const p = await this.probabilities(text, lang);
    const ranked = [...p.entries()].sort((a, b) => b[1] - a[1]);
    const [topIntent, topScore] = ranked[0] ?? ['none', 0];
    const needScores = new Map<NeedIntent, number>();
    for (const need of NEED_INTENTS) {
      const s = p.get(need) ?? 0;
      if (s >= o.needThreshold) needScores.set(need, s);
    }
    if (o.useClauses) {
      const clauses = text
        .split(CLAUSE_SPLIT)
        .map((c) => (c ?? '').trim())
        .filter((c) => tokens(normalize(c)).length >= 2);
      if (clauses.length > 1) {
        for (const clause of clauses) {
          const cp = await this.probabilities(clause, lang, true);
          let best: [string, number] = ['none', 0];
          for (const [k, v] of cp) if (v > best[1]) best = [k, v];
          if (isNeedIntent(best[0]) && best[1] >= o.clauseThreshold) {
            needScores.set(best[0], Math.max(needScores.get(best[0]) ?? 0, best[1] * 0.9));
          }
        }
      }
    }
    const needs = [...needScores.entries()].sort((a, b) => b[1] - a[1]).map(([n]) => n);
    let intent: Intent = KNOWN.has(topIntent) ? (topIntent as Intent) : 'none';
    let score = topScore;
    if (intent === 'none' || topScore < o.noneThreshold) {
      // not sure enough: no confident guess; needs above their own floor are still offered
      score = intent === 'none' ? topScore : 1 - topScore;
      intent = 'none';
    } else if (isNeedIntent(intent) && needs[0] !== intent) {
      const at = needs.indexOf(intent);
      if (at >= 0) needs.splice(at, 1);
      needs.unshift(intent);
    }
    return {
      intent,
      score: round(score),
      needs,
      ranked: ranked.slice(0, 5).map(([k, v]) => [k, round(v)]),
      crisisProbability: round(p.get('crisis') ?? 0),
    };
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function newManager(): NlpManager {
  return new NlpManager({ languages: [...LANGS], autoSave: false, autoLoad: false, nlu: { log: false } });
}

/** node-nlp may print training progress on stdout; our CLI's stdout must stay clean JSONL. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = (...args: unknown[]) => console.error(...args);
  try {
    return await fn();
  } finally {
    console.log = log;
  }
}
