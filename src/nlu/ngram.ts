/**
 * A small second model: softmax (multinomial logistic) regression over word and character
 * n-grams of the normalised text, trained jointly over all six languages. Character n-grams
 * carry spelling variants, typos, inflection (Turkish/Polish/Ukrainian endings, Arabic
 * prefixes) and Dutch institution words inside any language; node-nlp's per-language model
 * carries stems. The two are averaged (classifier.ts).
 */
import { tokens } from './normalize.js';

export interface NgramOptions {
  /** Add a crude stem per word (Arabic clitics stripped; other scripts: the first five letters). */
  stems?: boolean;
  charMin: number;
  charMax: number;
  wordBigrams: boolean;
  epochs: number;
  learningRate: number;
  l2: number;
  /** Keep only features seen in at least this many training texts (smaller model, same accuracy). */
  minCount?: number;
}

export const DEFAULT_NGRAM_OPTIONS: NgramOptions = {
  stems: true,
  charMin: 2,
  charMax: 5,
  wordBigrams: true,
  epochs: 30,
  learningRate: 0.5,
  l2: 1e-5,
};

export interface NgramModelJson {
  options: NgramOptions;
  classes: string[];
  /** the features, joined by newlines (one long string parses far faster than 300,000 short ones) */
  vocab: string;
  /** row-major [feature][class]: base64 of float32 in JSON, or the array itself (read from the cache) */
  weights: string | Float32Array;
  bias: number[];
}

// The intent model and the crisis model read the same text with the same feature options, one
// right after the other: the last answer is kept so the work is done once.
let lastKey = '';
let lastFeatures: string[] = [];

export function features(normalized: string, o: NgramOptions): string[] {
  const key = `${o.stems ? 1 : 0}${o.wordBigrams ? 1 : 0}${o.charMin}${o.charMax}\u0000${normalized}`;
  if (key === lastKey) return lastFeatures;
  lastFeatures = computeFeatures(normalized, o);
  lastKey = key;
  return lastFeatures;
}

function computeFeatures(normalized: string, o: NgramOptions): string[] {
  const toks = tokens(normalized);
  const out = new Set<string>();
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    out.add('w:' + t);
    if (o.stems) {
      const st = stem(t);
      if (st !== t) out.add('s:' + st);
    }
    if (o.wordBigrams && i + 1 < toks.length) out.add('b:' + t + '_' + toks[i + 1]);
    const w = ` ${t} `;
    for (let n = o.charMin; n <= o.charMax; n++) {
      if (w.length < n) break;
      for (let j = 0; j + n <= w.length; j++) out.add(w.slice(j, j + n));
    }
  }
  return [...out];
}

const AR_PREFIX = /^(?:وال|بال|فال|كال|لل|ال|و|ف|ب|ل)/u;
const AR_SUFFIX = /(?:هما|كما|ها|هم|كم|نا|ات|ين|ون|وا|ه|ي|ك)$/u;
const ARABIC_WORD = /^[\u0600-\u06FF]+$/u;

export function stem(t: string): string {
  if (ARABIC_WORD.test(t)) {
    let s = t;
    const p = s.replace(AR_PREFIX, '');
    if (p.length >= 3) s = p;
    const q = s.replace(AR_SUFFIX, '');
    if (q.length >= 3) s = q;
    return s;
  }
  return t.length > 6 ? t.slice(0, 5) : t;
}

export class NgramModel {
  private index: Map<string, number>;

  constructor(
    readonly options: NgramOptions,
    readonly classes: string[],
    readonly vocab: string[],
    readonly weights: Float32Array,
    readonly bias: Float32Array,
  ) {
    this.index = new Map(vocab.map((f, i) => [f, i]));
  }

  static train(docs: Array<{ text: string; intent: string }>, options: Partial<NgramOptions> = {}): NgramModel {
    const o = { ...DEFAULT_NGRAM_OPTIONS, ...options };
    const classes = [...new Set(docs.map((d) => d.intent))].sort();
    const cIndex = new Map(classes.map((c, i) => [c, i]));
    const index = new Map<string, number>();
    const vocab: string[] = [];
    const docFeatures = docs.map((d) => features(d.text, o));
    let keep: ((name: string) => boolean) | undefined;
    if ((o.minCount ?? 1) > 1) {
      const df = new Map<string, number>();
      for (const fs of docFeatures) for (const name of fs) df.set(name, (df.get(name) ?? 0) + 1);
      keep = (name) => (df.get(name) ?? 0) >= o.minCount!;
    }
    const encoded = docs.map((d, k) => {
      const names = keep ? docFeatures[k].filter(keep) : docFeatures[k];
      const f = names.map((name) => {
        let i = index.get(name);
        if (i === undefined) {
          i = vocab.length;
          index.set(name, i);
          vocab.push(name);
        }
        return i;
      });
      return { f, y: cIndex.get(d.intent)! };
    });
    const C = classes.length;
    const W = new Float32Array(vocab.length * C);
    const B = new Float32Array(C);
    // class weights: balance small intents against the large need intents
    const counts = new Array(C).fill(0);
    for (const e of encoded) counts[e.y]++;
    const mean = encoded.length / C;
    const cw = counts.map((n) => Math.sqrt(mean / Math.max(1, n)));
    // Adagrad accumulators
    const G = new Float32Array(vocab.length * C);
    const GB = new Float32Array(C);
    const p = new Float64Array(C);
    for (const order of shuffledEpochs(encoded.length, o.epochs)) {
      for (const k of order) {
        const { f, y } = encoded[k];
        if (f.length === 0) continue;
        const v = 1 / Math.sqrt(f.length);
        let max = -Infinity;
        for (let c = 0; c < C; c++) {
          let s = B[c];
          for (const fi of f) s += W[fi * C + c] * v;
          p[c] = s;
          if (s > max) max = s;
        }
        let z = 0;
        for (let c = 0; c < C; c++) z += p[c] = Math.exp(p[c] - max);
        for (let c = 0; c < C; c++) {
          const g = (p[c] / z - (c === y ? 1 : 0)) * cw[y];
          GB[c] += g * g;
          B[c] -= (o.learningRate * g) / Math.sqrt(GB[c] + 1e-8);
          const gv = g * v;
          for (const fi of f) {
            const idx = fi * C + c;
            const gg = gv + o.l2 * W[idx];
            G[idx] += gg * gg;
            W[idx] -= (o.learningRate * gg) / Math.sqrt(G[idx] + 1e-8);
          }
        }
      }
    }
    return new NgramModel(o, classes, vocab, W, B);
  }

  /** Probabilities per class for a normalised text. */
  predict(normalized: string): Map<string, number> {
    const f = features(normalized, this.options)
      .map((n) => this.index.get(n))
      .filter((i): i is number => i !== undefined);
    const C = this.classes.length;
    const s = new Float64Array(C);
    const v = f.length ? 1 / Math.sqrt(f.length) : 0;
    for (let c = 0; c < C; c++) s[c] = this.bias[c];
    for (const fi of f) for (let c = 0; c < C; c++) s[c] += this.weights[fi * C + c] * v;
    let max = -Infinity;
    for (let c = 0; c < C; c++) if (s[c] > max) max = s[c];
    let z = 0;
    for (let c = 0; c < C; c++) z += s[c] = Math.exp(s[c] - max);
    const out = new Map<string, number>();
    for (let c = 0; c < C; c++) out.set(this.classes[c], s[c] / z);
    return out;
  }

  /** Fraction of the text's features the model has seen (0 for gibberish or an unknown script). */
  coverage(normalized: string): number {
    const f = features(normalized, this.options);
    if (f.length === 0) return 0;
    let known = 0;
    for (const n of f) if (this.index.has(n)) known++;
    return known / f.length;
  }

  toJSON(): NgramModelJson {
    // drop features whose weights are all ~0 to keep the cache small
    const C = this.classes.length;
    const keep: number[] = [];
    for (let i = 0; i < this.vocab.length; i++) {
      let m = 0;
      for (let c = 0; c < C; c++) m = Math.max(m, Math.abs(this.weights[i * C + c]));
      if (m > 1e-4) keep.push(i);
    }
    const w = new Float32Array(keep.length * C);
    keep.forEach((i, k) => w.set(this.weights.subarray(i * C, i * C + C), k * C));
    return {
      options: this.options,
      classes: this.classes,
      vocab: keep.map((i) => this.vocab[i]).join('\n'),
      weights: encodeWeights(w),
      bias: [...this.bias],
    };
  }

  static fromJSON(json: NgramModelJson): NgramModel {
    const w = decodeWeights(json.weights);
    return new NgramModel(json.options, json.classes, json.vocab === '' ? [] : json.vocab.split('\n'), w, Float32Array.from(json.bias));
  }
}

/** float32 weights as base64, for JSON */
export function encodeWeights(w: Float32Array): string {
  return Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString('base64');
}

/** the other way; an array (read raw from the cache) is taken as it is */
export function decodeWeights(w: string | Float32Array): Float32Array {
  if (typeof w !== 'string') return w;
  const buf = Buffer.from(w, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/**
 * The order to visit n training examples in, once per epoch: shuffled, but the same on every run,
 * so a model trained twice on the same corpus is the same model.
 */
export function* shuffledEpochs(n: number, epochs: number): Generator<readonly number[]> {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    yield order;
  }
}
