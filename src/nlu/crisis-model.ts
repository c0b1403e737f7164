/**
 * The learned crisis signal, next to the pattern lexicons (crisis.ts).
 *
 * Lexicons are precise but only know the phrasings someone thought of; people in danger say it in
 * ways nobody listed ("you don't need to come next week, thank you for everything"). This is a
 * binary n-gram model (crisis / safe) over all six languages, trained on
 * - data/nlu/crisis-train/<lang>*.jsonl: people in danger, and alarming-sounding messages that are
 *   safe (idioms, films, the past, small injuries), written for training only;
 * - the intent corpus: its `crisis` utterances as crisis, every other utterance as safe.
 * Character n-grams carry typos, missing diacritics and inflection into every language.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGS, isLang, type Lang } from '../core/lang.js';
import { DEFAULT_NGRAM_OPTIONS, decodeWeights, encodeWeights, features, shuffledEpochs, type NgramOptions } from './ngram.js';
import { normalize } from './normalize.js';
import type { Corpus } from './classifier.js';

export const CRISIS_TRAIN_DIR = fileURLToPath(new URL('../../data/nlu/crisis-train/', import.meta.url));

export interface CrisisExample {
  lang: Lang;
  text: string;
  crisis: boolean;
  /** the file it came from (crisis-train), for cross-validation per writer */
  source?: string;
}

export interface CrisisModelOptions extends NgramOptions {
  /** 2^bits weights: features are hashed, so the model needs no feature list to load */
  bits: number;
}

export const CRISIS_MODEL_OPTIONS: CrisisModelOptions = { ...DEFAULT_NGRAM_OPTIONS, epochs: 20, bits: 20 };

export interface CrisisModelJson {
  options: CrisisModelOptions;
  /** float32 per hashed feature: base64 in JSON, or the array itself (read from the cache) */
  weights: string | Float32Array;
  bias: number;
}

/**
 * Logistic regression over hashed n-gram features (the same features as the intent model, so one
 * extraction serves both). Hashing instead of a feature dictionary: a cached start reads 4 MB of
 * weights instead of building a map of 300,000 strings.
 */
export class CrisisModel {
  private readonly mask: number;

  private constructor(
    readonly options: CrisisModelOptions,
    private readonly weights: Float32Array,
    private readonly bias: number,
  ) {
    this.mask = (1 << options.bits) - 1;
  }

  static train(examples: CrisisExample[], options: Partial<CrisisModelOptions> = {}): CrisisModel {
    const o = { ...CRISIS_MODEL_OPTIONS, ...options };
    const mask = (1 << o.bits) - 1;
    const docs = examples
      .map((e) => ({ f: hashed(features(normalize(e.text), o), mask), y: e.crisis ? 1 : 0 }))
      .filter((d) => d.f.length > 0);
    const W = new Float32Array(1 << o.bits);
    const G = new Float32Array(1 << o.bits);
    let b = 0;
    let gb = 0;
    // balance the classes (there are more safe examples than crisis ones)
    const n1 = docs.filter((d) => d.y === 1).length;
    const n0 = docs.length - n1;
    const cw = [Math.sqrt(docs.length / 2 / Math.max(1, n0)), Math.sqrt(docs.length / 2 / Math.max(1, n1))];
    for (const order of shuffledEpochs(docs.length, o.epochs)) {
      for (const k of order) {
        const { f, y } = docs[k];
        const v = 1 / Math.sqrt(f.length);
        let z = b;
        for (const i of f) z += W[i] * v;
        const g = (sigmoid(z) - y) * cw[y];
        gb += g * g;
        b -= (o.learningRate * g) / Math.sqrt(gb + 1e-8);
        const gv = g * v;
        for (const i of f) {
          const gg = gv + o.l2 * W[i];
          G[i] += gg * gg;
          W[i] -= (o.learningRate * gg) / Math.sqrt(G[i] + 1e-8);
        }
      }
    }
    return new CrisisModel(o, W, b);
  }

  /** The probability that a person is in danger, for a raw text. */
  probability(text: string): number {
    const norm = normalize(text);
    if (!norm) return 0;
    const f = hashed(features(norm, this.options), this.mask);
    if (f.length === 0) return 0;
    const v = 1 / Math.sqrt(f.length);
    let z = this.bias;
    for (const i of f) z += this.weights[i] * v;
    return sigmoid(z);
  }

  toJSON(): CrisisModelJson {
    return { options: this.options, weights: encodeWeights(this.weights), bias: this.bias };
  }

  static fromJSON(json: CrisisModelJson): CrisisModel {
    const w = decodeWeights(json.weights);
    if (w.length !== 1 << json.options.bits) throw new Error('crisis model: weights do not match its size');
    return new CrisisModel(json.options, w, json.bias);
  }
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** FNV-1a of each feature, as distinct indexes (a text's features are a set). */
function hashed(names: string[], mask: number): number[] {
  const out = new Set<number>();
  for (const name of names) {
    let h = 0x811c9dc5;
    for (let i = 0; i < name.length; i++) {
      h ^= name.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    out.add((h >>> 0) & mask);
  }
  return [...out];
}

/**
 * data/nlu/crisis-train/*.jsonl: {"text", "crisis", "kind"?} a line; the file name starts with the
 * language ("nl.jsonl", "nl-2.jsonl": several writers per language).
 */
export function readCrisisExamples(dir = CRISIS_TRAIN_DIR): CrisisExample[] {
  if (!existsSync(dir)) return [];
  const out: CrisisExample[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const lang = f.slice(0, -'.jsonl'.length).split('-')[0];
    if (!isLang(lang)) continue;
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const o = JSON.parse(line) as { text?: unknown; crisis?: unknown };
      if (typeof o.text !== 'string' || typeof o.crisis !== 'boolean') throw new Error(`${f}: each line needs "text" and "crisis"`);
      out.push({ lang, text: o.text, crisis: o.crisis, source: f });
    }
  }
  return out;
}

/** The intent corpus seen as crisis examples: its crisis utterances, and everything else as safe. */
export function crisisExamplesFromCorpus(corpus: Corpus): CrisisExample[] {
  const out: CrisisExample[] = [];
  for (const lang of LANGS) {
    for (const [intent, utterances] of Object.entries(corpus[lang] ?? {})) {
      for (const text of utterances) out.push({ lang, text, crisis: intent === 'crisis' });
    }
  }
  return out;
}
