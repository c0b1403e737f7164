/**
 * Evaluation over the held-out test set data/nlu/test/*.jsonl, lines
 * {"text", "lang", "intent", "crisis", "set"} with set "intent", "crisis" or "crisis_negative".
 * Returns numbers only (tests assert thresholds on them); formatEval() renders them for the CLI.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGS, isLang, type Lang } from '../core/lang.js';
import type { NluClassification, NluService } from './nlu.js';
import { normalize, tokens } from './normalize.js';

export const TEST_DIR = fileURLToPath(new URL('../../data/nlu/test/', import.meta.url));

export interface TestLine {
  text: string;
  lang: Lang;
  intent?: string;
  crisis?: boolean;
  set?: 'intent' | 'crisis' | 'crisis_negative' | string;
}

export interface EvalResult {
  intent: { accuracy: number; n: number; perLang: Record<string, { accuracy: number; n: number }> };
  language: { accuracy: number; n: number; perLang: Record<string, { accuracy: number; n: number }> };
  /** asked: missed crisis lines that still got the "are you in danger?" question */
  crisis: { recall: number; n: number; missed: number; asked: number; perLang: Record<string, { recall: number; n: number }> };
  /** asked: safe lines that got the question (a small cost: one tap) */
  crisisNegative: { falseAlarmRate: number; n: number; falseAlarms: number; asked: number; perLang: Record<string, { falseAlarmRate: number; n: number }> };
  /** everyday messages (set "ordinary", and every intent line): alarms and questions there */
  ordinary: { falseAlarmRate: number; askedRate: number; n: number };
  /** Most frequent (expected → got) intent confusions. */
  confusions: Array<{ expected: string; got: string; count: number }>;
  /** Timing of classify over the whole run. */
  ms: number;
}

export function readTestSet(dir = TEST_DIR): TestLine[] {
  if (!existsSync(dir)) return [];
  const out: TestLine[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const o = JSON.parse(line) as TestLine;
      if (!isLang(o.lang)) continue;
      out.push(o);
    }
  }
  return out;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : Math.round((a / b) * 10000) / 10000;
}

/** onMiss hears every missed crisis and false alarm (for working on dev sets, never on the held-out set). */
export async function evaluate(
  nlu: NluService,
  lines: TestLine[] = readTestSet(),
  onMiss?: (what: 'missed crisis' | 'false alarm' | 'everyday alarm', line: TestLine, result: NluClassification) => void,
): Promise<EvalResult> {
  const t0 = performance.now();
  const intentPer: Record<string, [number, number]> = {};
  const langPer: Record<string, [number, number]> = {};
  const conf = new Map<string, number>();
  const crisisPer: Record<string, [number, number]> = {};
  const negPer: Record<string, [number, number]> = {};
  let crisisAsked = 0;
  let negAsked = 0;
  let ordN = 0;
  let ordAlarm = 0;
  let ordAsked = 0;
  for (const l of lines) {
    const set = l.set ?? (l.crisis ? 'crisis' : l.intent ? 'intent' : l.crisis === false ? 'crisis_negative' : 'intent');
    // intent and crisis: the line's language as the channel hint (like Telegram's language_code)
    const r = await nlu.classify(l.text, { hint: l.lang });
    if (set === 'intent' && l.intent) {
      const p = (intentPer[l.lang] ??= [0, 0]);
      p[1]++;
      if (r.intent === l.intent) p[0]++;
      else conf.set(`${l.intent}\t${r.intent}`, (conf.get(`${l.intent}\t${r.intent}`) ?? 0) + 1);
    } else if (set === 'crisis') {
      const p = (crisisPer[l.lang] ??= [0, 0]);
      p[1]++;
      if (r.crisis) p[0]++;
      else {
        if (r.crisisCheck) crisisAsked++;
        onMiss?.('missed crisis', l, r);
      }
    } else if (set === 'crisis_negative') {
      const p = (negPer[l.lang] ??= [0, 0]);
      p[1]++;
      if (r.crisis) {
        p[0]++;
        onMiss?.('false alarm', l, r);
      } else if (r.crisisCheck) negAsked++;
    }
    if ((set === 'intent' && l.intent && l.intent !== 'crisis') || set === 'ordinary') {
      ordN++;
      if (r.crisis) {
        ordAlarm++;
        onMiss?.('everyday alarm', l, r);
      } else if (r.crisisCheck) ordAsked++;
    }
    // language: no stored language and no hint, messages of three words or more
    if (tokens(normalize(l.text)).length >= 3) {
      const choice = nlu.language(l.text, {});
      const p = (langPer[l.lang] ??= [0, 0]);
      p[1]++;
      if (choice.lang === l.lang) p[0]++;
    }
  }
  const sum = (m: Record<string, [number, number]>) =>
    Object.values(m).reduce(([a, b], [c, d]) => [a + c, b + d], [0, 0] as [number, number]);
  const per = (m: Record<string, [number, number]>) =>
    Object.fromEntries(LANGS.filter((x) => m[x]).map((x) => [x, { accuracy: ratio(m[x][0], m[x][1]), n: m[x][1] }]));
  const [io, in_] = sum(intentPer);
  const [lo, ln] = sum(langPer);
  const [crisisHit, crisisN] = sum(crisisPer);
  const [negAlarm, negN] = sum(negPer);
  return {
    intent: { accuracy: ratio(io, in_), n: in_, perLang: per(intentPer) },
    language: { accuracy: ratio(lo, ln), n: ln, perLang: per(langPer) },
    crisis: {
      recall: ratio(crisisHit, crisisN),
      n: crisisN,
      missed: crisisN - crisisHit,
      asked: crisisAsked,
      perLang: Object.fromEntries(Object.entries(crisisPer).map(([k, [a, b]]) => [k, { recall: ratio(a, b), n: b }])),
    },
    crisisNegative: {
      falseAlarmRate: ratio(negAlarm, negN),
      n: negN,
      falseAlarms: negAlarm,
      asked: negAsked,
      perLang: Object.fromEntries(Object.entries(negPer).map(([k, [a, b]]) => [k, { falseAlarmRate: ratio(a, b), n: b }])),
    },
    ordinary: { falseAlarmRate: ratio(ordAlarm, ordN), askedRate: ratio(ordAsked, ordN), n: ordN },
    confusions: [...conf.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([k, count]) => {
        const [expected, got] = k.split('\t');
        return { expected, got, count };
      }),
    ms: Math.round(performance.now() - t0),
  };
}

export function formatEval(r: EvalResult): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const out: string[] = [];
  out.push(`intent accuracy: ${pct(r.intent.accuracy)} (n=${r.intent.n})`);
  for (const [l, v] of Object.entries(r.intent.perLang)) out.push(`  ${l}: ${pct(v.accuracy)} (n=${v.n})`);
  out.push(`language accuracy (>= 3 words, no stored language, no hint): ${pct(r.language.accuracy)} (n=${r.language.n})`);
  for (const [l, v] of Object.entries(r.language.perLang)) out.push(`  ${l}: ${pct(v.accuracy)} (n=${v.n})`);
  out.push(`crisis recall: ${pct(r.crisis.recall)} (n=${r.crisis.n}, missed ${r.crisis.missed}, of which asked "are you in danger?" ${r.crisis.asked})`);
  out.push('  ' + Object.entries(r.crisis.perLang).map(([l, v]) => `${l} ${pct(v.recall)} (n=${v.n})`).join(', '));
  out.push(`crisis false alarms on crisis_negative: ${pct(r.crisisNegative.falseAlarmRate)} (n=${r.crisisNegative.n}, alarms ${r.crisisNegative.falseAlarms}, asked ${r.crisisNegative.asked})`);
  out.push('  ' + Object.entries(r.crisisNegative.perLang).map(([l, v]) => `${l} ${pct(v.falseAlarmRate)} (n=${v.n})`).join(', '));
  out.push(`everyday messages: alarms ${pct(r.ordinary.falseAlarmRate)}, asked ${pct(r.ordinary.askedRate)} (n=${r.ordinary.n})`);
  out.push('top confusions (expected -> got):');
  for (const c of r.confusions) out.push(`  ${c.count}  ${c.expected} -> ${c.got}`);
  return out.join('\n');
}
