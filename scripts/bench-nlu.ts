/**
 * The `nlu` benchmark line: classifications per second and latency of the full NLU (language
 * choice, crisis lexicon, ensemble classifier, clause split) against a baseline of raw
 * NlpManager.process() on the same model without our normalisation, lexicons or ensemble.
 * Run alone: npx tsx scripts/bench-nlu.ts
 */
import { pathToFileURL } from 'node:url';
import { NlpManager } from 'node-nlp';
import { LANGS } from '../src/core/lang.js';
import { corpusDocs } from '../src/nlu/classifier.js';
import { loadClassifier, lastLoadInfo, loadNlu, readCorpus } from '../src/nlu/model.js';
import { percentile } from './bench-util.js';
import { warmUpLexicon } from '../src/nlu/crisis.js';

const SAMPLES = [
  'ik heb schulden en ik kan de brieven niet lezen',
  'hoi',
  'dank je wel',
  'I feel lonely since my husband died',
  'gemeenteden mektup geldi anlamadım',
  'عندي ديون كثيرة ولا أستطيع دفع الإيجار',
  'szukam pracy w almere',
  'у мене цвіль у квартирі і woningcorporatie нічого не робить',
  'ik wil niet meer leven',
  'is er een breiclub in het buurthuis',
  'can someone help me with my computer',
  'ok',
];


export async function benchNlu(): Promise<Record<string, unknown>> {
  // make sure a cached model exists, then time a cached load the way a service start does it
  await loadClassifier();
  const classifier = await loadClassifier();
  const modelLoadMs = lastLoadInfo()?.ms ?? 0;
  const nlu = await loadNlu();
  void classifier;
  // what a service start does in the background: compile every crisis pattern once
  const w0 = performance.now();
  await warmUpLexicon();
  const warmUpMs = performance.now() - w0;

  const texts: Array<{ text: string; hint: (typeof LANGS)[number] }> = [];
  const docs = corpusDocs(readCorpus());
  for (let i = 0; i < docs.length; i += 7) texts.push({ text: docs[i].text, hint: docs[i].lang });
  for (const s of SAMPLES) texts.push({ text: s, hint: 'nl' });

  // warm up
  for (const t of texts.slice(0, 200)) await nlu.classify(t.text, { hint: t.hint });

  const N = 5000;
  const lat: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const t = texts[i % texts.length];
    const s = performance.now();
    await nlu.classify(t.text, { hint: t.hint });
    lat.push(performance.now() - s);
  }
  const total = performance.now() - t0;
  lat.sort((a, b) => a - b);
  const rssMb = process.memoryUsage().rss / 1024 / 1024;

  // baseline: plain node-nlp, raw text, process() as documented, same corpus
  const manager = new NlpManager({ languages: [...LANGS], autoSave: false, autoLoad: false, nlu: { log: false } });
  for (const d of docs) manager.addDocument(d.lang, d.text, d.intent);
  const log = console.log;
  console.log = (...a: unknown[]) => console.error(...a);
  await manager.train();
  console.log = log;
  for (const t of texts.slice(0, 200)) await manager.process(t.hint, t.text);
  const b0 = performance.now();
  for (let i = 0; i < N; i++) {
    const t = texts[i % texts.length];
    await manager.process(t.hint, t.text);
  }
  const baseTotal = performance.now() - b0;

  const perS = (N / total) * 1000;
  const basePerS = (N / baseTotal) * 1000;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    bench: 'nlu',
    classifications: N,
    per_s: Math.round(perS),
    p50_ms: r2(percentile(lat, 50)),
    p99_ms: r2(percentile(lat, 99)),
    model_load_ms: Math.round(modelLoadMs),
    crisis_warmup_ms: Math.round(warmUpMs),
    rss_mb: Math.round(rssMb),
    baseline_per_s: Math.round(basePerS),
    ratio: r2(perS / basePerS),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchNlu()
    .then((line) => process.stdout.write(JSON.stringify(line) + '\n'))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
