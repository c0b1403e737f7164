/**
 * Model cache: the classifier trains at first use and is cached under
 * data/cache/nlu-<hash>.json, hash = sha256(code version + every training corpus file). A changed
 * corpus (or CODE_VERSION) gives a new hash and so a retrain; a cached start loads in well under
 * a second.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGS, isLang, langFromLocale } from '../core/lang.js';
import { Classifier, type ClassifierJson, type ClassifierOptions, type Corpus } from './classifier.js';
import { NluService, type NluOptions } from './nlu.js';

/** Bump when feature extraction, normalisation or training changes in a way the cache must not survive. */
export const CODE_VERSION = 'nlu-2';

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

export function corpusHash(dir = TRAIN_DIR, extra = ''): string {
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
  return h.digest('hex').slice(0, 16);
}

export interface LoadOptions extends NluOptions {
  trainDir?: string;
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
  const hash = corpusHash(trainDir, JSON.stringify(options.classifier ?? {}));
  const file = join(cacheDir, `nlu-${hash}.json`);
  if (!options.retrain && existsSync(file)) {
    try {
      const c = Classifier.fromJSON(JSON.parse(readFileSync(file, 'utf8')) as ClassifierJson);
      lastLoad = { cached: true, ms: performance.now() - t0, file };
      return c;
    } catch {
      // a broken cache file: retrain below
    }
  }
  const c = await Classifier.train(readCorpus(trainDir), options.classifier, readKeywords(trainDir));
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(c.toJSON()));
  renameSync(tmp, file);
  // keep the cache folder tidy: older models of this kind go
  for (const f of readdirSync(cacheDir)) {
    if (/^nlu-[0-9a-f]{16}\.json$/.test(f) && join(cacheDir, f) !== file && !options.classifier) {
      try {
        unlinkSync(join(cacheDir, f));
      } catch {
        /* another process may have removed it */
      }
    }
  }
  lastLoad = { cached: false, ms: performance.now() - t0, file };
  return c;
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
