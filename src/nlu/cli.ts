/**
 * npm run --silent nlu -- classify   JSONL {"text","lang"?} on stdin → JSONL {"text","lang","intent","score","crisis"} on stdout
 * npm run --silent nlu -- eval       evaluation over data/nlu/test/*.jsonl
 * npm run --silent nlu -- cv         cross-validation over the training corpus, with ablations
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
  const lines = readTestSet();
  if (lines.length === 0) {
    console.error(`no test set at ${TEST_DIR}`);
    process.exitCode = 1;
    return;
  }
  const nlu = await loadNlu();
  const r = await evaluate(nlu, lines);
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

async function trainCmd(): Promise<void> {
  await loadClassifier({ retrain: true });
  out(JSON.stringify(lastLoadInfo()));
}

const cmd = process.argv[2];
const commands: Record<string, () => Promise<void>> = { classify, eval: evalCmd, cv: cvCmd, train: trainCmd };
const run = commands[cmd ?? ''];
if (!run) {
  console.error('usage: nlu classify | eval [--json] | cv [--ablate] | train');
  process.exit(2);
}
run().catch((err) => {
  console.error(err);
  process.exit(1);
});
