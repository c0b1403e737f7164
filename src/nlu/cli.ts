/**
 * npm run --silent nlu -- classify   JSONL {"text","lang"?} on stdin → JSONL {"text","lang","intent","score","crisis"} on stdout
 * npm run --silent nlu -- eval       evaluation over data/nlu/test/*.jsonl  [--dir D] [--misses] [--json]
 * npm run --silent nlu -- cv         cross-validation over the training corpus, with ablations
 * npm run --silent nlu -- crisis-cv  cross-validation of the crisis model over data/nlu/crisis-train
 * npm run --silent nlu -- train      (re)train and cache the model
 * Only results go to stdout; everything else goes to stderr.
 */
import { createInterface } from 'node:readline';
import { langFromLocale } from '../core/lang.js';
import { loadNlu, loadClassifier, lastLoadInfo, readCorpus, readKeywords } from './model.js';
import { evaluate, formatEval, readTestSet, TEST_DIR } from './eval.js';

// keep stdout for results: anything a library logs goes to stderr
const out = (s: string) => process.stdout.write(s + '\n');
console.log = (...args: unknown[]) => console.error(...args);

async function classify(): Promise<void> {
  const nlu = await loadNlu({ fallback: langFromLocale(process.env.DEFAULT_LANGUAGE) });
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let input: { text?: unknown; lang?: unknown };
    try {
      input = JSON.parse(line);
    } catch {
      console.error(`not JSON: ${line.slice(0, 80)}`);
      out(JSON.stringify({ text: '', lang: 'nl', intent: 'none', score: 0, crisis: false }));
      continue;
    }
    const text = typeof input.text === 'string' ? input.text : '';
    const hint = typeof input.lang === 'string' ? langFromLocale(input.lang) : undefined;
    const r = await nlu.classify(text, { hint });
    out(JSON.stringify({ text, lang: r.lang, intent: r.intent, score: r.score, crisis: r.crisis }));
  }
}

async function evalCmd(): Promise<void> {
  const dirAt = process.argv.indexOf('--dir');
  const dir = dirAt > 0 ? process.argv[dirAt + 1] : TEST_DIR;
  const lines = readTestSet(dir);
  if (lines.length === 0) {
    console.error(`no test set at ${dir}`);
    process.exitCode = 1;
    return;
  }
  const nlu = await loadNlu();
  const showMisses = process.argv.includes('--misses');
  const r = await evaluate(nlu, lines, showMisses ? (what, l, r) => console.error(`${what} [${l.lang}] ${r.crisisSignal ?? '-'} p=${r.crisisProbability ?? '?'} ${l.text}`) : undefined);
  out(process.argv.includes('--json') ? JSON.stringify(r) : formatEval(r));
}

async function cvCmd(): Promise<void> {
  const { crossValidate, ABLATIONS } = await import('./cv.js');
  const corpus = readCorpus();
  const keywords = readKeywords();
  const all = process.argv.includes('--ablate');
  for (const [name, options] of Object.entries(ABLATIONS)) {
    if (!all && name !== 'full (default)') continue;
    const r = await crossValidate(corpus, options, 5, keywords);
    out(JSON.stringify({ config: name, ...r }));
  }
}

async function crisisCvCmd(): Promise<void> {
  const { crossValidateCrisis } = await import('./cv.js');
  const { readCrisisExamples } = await import('./crisis-model.js');
  out(JSON.stringify(crossValidateCrisis(readCrisisExamples(), readCorpus())));
}

async function trainCmd(): Promise<void> {
  await loadClassifier({ retrain: true });
  out(JSON.stringify(lastLoadInfo()));
}

const cmd = process.argv[2];
const commands: Record<string, () => Promise<void>> = { classify, eval: evalCmd, cv: cvCmd, 'crisis-cv': crisisCvCmd, train: trainCmd };
const run = commands[cmd ?? ''];
if (!run) {
  console.error('usage: nlu classify | eval [--dir D] [--misses] [--json] | cv [--ablate] | crisis-cv | train');
  process.exit(2);
}
run().catch((err) => {
  console.error(err);
  process.exit(1);
});
