/**
 * Model cache: the classifier trains at first use and is cached under
 * data/cache/nlu-<hash>/, hash = sha256(code version + every training corpus file). A changed
 * corpus (or CODE_VERSION) gives a new hash and so a retrain; a cached start loads in well under
 * a second.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGS, isLang, langFromLocale } from '../core/lang.js';
import { Classifier, type ClassifierJson, type ClassifierOptions, type Corpus } from './classifier.js';
import { CRISIS_TRAIN_DIR, readCrisisExamples } from './crisis-model.js';
import { decodeWeights } from './ngram.js';
import { NluService, type NluOptions } from './nlu.js';

/** Bump when feature extraction, normalisation or training changes in a way the cache must not survive. */
export const CODE_VERSION = 'nlu-4';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TRAIN_DIR = join(ROOT, 'data/nlu/train');
export const CACHE_DIR = join(ROOT, 'data/cache');

export function readCorpus(dir = TRAIN_DIR): Corpus {
  const corpus: Corpus = {};
  for (const lang of LANGS) {
    const file = join(dir, `${lang}.json`);
    if (existsSync(file)) corpus[lang] = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>;
  }
  return corpus;
}

/** Keyword lists: data/nlu/train/lexicon/<lang>.json, same shape as the corpus. */
export function readKeywords(dir = TRAIN_DIR): Corpus {
  return readCorpus(join(dir, 'lexicon'));
}

export function corpusHash(dir = TRAIN_DIR, extra = '', crisisDir: string | undefined = CRISIS_TRAIN_DIR): string {
  const h = createHash('sha256');
  h.update(CODE_VERSION);
  h.update(extra);
  for (const sub of [dir, join(dir, 'lexicon')]) {
    if (!existsSync(sub)) continue;
    for (const f of readdirSync(sub).filter((f) => f.endsWith('.json') && isLang(f.slice(0, -5))).sort()) {
      h.update(sub === dir ? f : `lexicon/${f}`);
      h.update(readFileSync(join(sub, f)));
    }
  }
  if (crisisDir && existsSync(crisisDir)) {
    for (const f of readdirSync(crisisDir).filter((f) => f.endsWith('.jsonl')).sort()) {
      h.update(`crisis-train/${f}`);
      h.update(readFileSync(join(crisisDir, f)));
    }
  }
  return h.digest('hex').slice(0, 16);
}

export interface LoadOptions extends NluOptions {
  trainDir?: string;
  /** data/nlu/crisis-train; null trains no crisis model */
  crisisTrainDir?: string | null;
  cacheDir?: string;
  classifier?: Partial<ClassifierOptions>;
  /** Ignore the cache (still writes it). */
  retrain?: boolean;
}

export interface LoadInfo {
  cached: boolean;
  ms: number;
  file: string;
}

let lastLoad: LoadInfo | undefined;
/** How the last loadClassifier() went (for the bench and logs). */
export function lastLoadInfo(): LoadInfo | undefined {
  return lastLoad;
}

export async function loadClassifier(options: LoadOptions = {}): Promise<Classifier> {
  const t0 = performance.now();
  const trainDir = options.trainDir ?? TRAIN_DIR;
  const cacheDir = options.cacheDir ?? CACHE_DIR;
  const crisisDir = options.crisisTrainDir === undefined ? CRISIS_TRAIN_DIR : (options.crisisTrainDir ?? undefined);
  const hash = corpusHash(trainDir, JSON.stringify(options.classifier ?? {}), crisisDir);
  const dir = join(cacheDir, `nlu-${hash}`);
  if (!options.retrain && existsSync(join(dir, MODEL_FILE))) {
    try {
      const c = Classifier.fromJSON(readCache(dir));
      lastLoad = { cached: true, ms: performance.now() - t0, file: dir };
      return c;
    } catch {
      // a broken cache: retrain below
    }
  }
  const crisisExamples = crisisDir ? readCrisisExamples(crisisDir) : [];
  const c = await Classifier.train(readCorpus(trainDir), options.classifier, readKeywords(trainDir), crisisExamples);
  writeCache(dir, c.toJSON());
  // keep the cache folder tidy: older models of this kind go
  for (const f of readdirSync(cacheDir)) {
    if (/^nlu-[0-9a-f]{16}(\.json)?$/.test(f) && join(cacheDir, f) !== dir && !options.classifier) {
      rmSync(join(cacheDir, f), { recursive: true, force: true });
    }
  }
  lastLoad = { cached: false, ms: performance.now() - t0, file: dir };
  return c;
}

/*
 * The cache is a folder: model.json, the intent n-gram model's features as text (one a line), and
 * the weights of both n-gram models as raw float32. Decoding 30 MB of JSON with base64 inside took most of a start;
 * raw weights are read as they are.
 */
const MODEL_FILE = 'model.json';
function weightsBuffer(w: string | Float32Array): Buffer {
  const f = decodeWeights(w);
  return Buffer.from(f.buffer, f.byteOffset, f.byteLength);
}

function readWeights(file: string): Float32Array {
  const buf = readFileSync(file);
  // a fresh, aligned copy: the file buffer may sit at any offset of Node's pool
  const weights = new Float32Array(buf.byteLength / 4);
  new Uint8Array(weights.buffer).set(buf);
  return weights;
}

function writeCache(dir: string, json: ClassifierJson): void {
  const tmp = `${dir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const meta: ClassifierJson = { ...json };
  if (json.ngram) {
    writeFileSync(join(tmp, 'ngram.features'), json.ngram.vocab);
    writeFileSync(join(tmp, 'ngram.weights'), weightsBuffer(json.ngram.weights));
    meta.ngram = { ...json.ngram, vocab: '', weights: '' };
  }
  if (json.crisis) {
    writeFileSync(join(tmp, 'crisis.weights'), weightsBuffer(json.crisis.weights));
    meta.crisis = { ...json.crisis, weights: '' };
  }
  writeFileSync(join(tmp, MODEL_FILE), JSON.stringify(meta));
  rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(tmp, dir);
  } catch {
    // another process wrote the same model at the same moment: theirs is as good
    rmSync(tmp, { recursive: true, force: true });
  }
}

function readCache(dir: string): ClassifierJson {
  const json = JSON.parse(readFileSync(join(dir, MODEL_FILE), 'utf8')) as ClassifierJson;
  if (json.ngram) json.ngram = { ...json.ngram, vocab: readFileSync(join(dir, 'ngram.features'), 'utf8'), weights: readWeights(join(dir, 'ngram.weights')) };
  if (json.crisis) json.crisis = { ...json.crisis, weights: readWeights(join(dir, 'crisis.weights')) };
  return json;
}

const instances = new Map<string, Promise<NluService>>();

/** The NLU, trained on first use and cached on disk; one instance per process. */
export function loadNlu(options: LoadOptions = {}): Promise<NluService> {
  const key = JSON.stringify(options);
  let p = instances.get(key);
  if (!p) {
    const fallback = options.fallback ?? langFromLocale(process.env.DEFAULT_LANGUAGE);
    p = loadClassifier(options).then((c) => new NluService(c, { fallback }));
    instances.set(key, p);
    p.catch(() => instances.delete(key));
  }
  return p;
}
