import { existsSync } from 'node:fs';
import { describe, expect, it, beforeAll } from 'vitest';
import { loadNlu } from '../../../src/nlu/model.js';
import { evaluate, formatEval, readTestSet, TEST_DIR, type EvalResult } from '../../../src/nlu/eval.js';

const haveTestSet = existsSync(TEST_DIR) && readTestSet().length > 0;
if (!haveTestSet) console.warn(`nlu eval skipped: no held-out test set in ${TEST_DIR}`);

describe.skipIf(!haveTestSet)('nlu eval on the held-out test set (data/nlu/test)', () => {
  let r: EvalResult;
  beforeAll(async () => {
    r = await evaluate(await loadNlu());
    console.info(formatEval(r));
  }, 60_000);

  it('intent accuracy ≥ 0.90 overall', () => expect(r.intent.accuracy).toBeGreaterThanOrEqual(0.9));
  it('intent accuracy ≥ 0.85 in every language', () => {
    for (const [lang, v] of Object.entries(r.intent.perLang)) expect(v.accuracy, lang).toBeGreaterThanOrEqual(0.85);
  });
  it('language accuracy ≥ 0.97 on messages of three words or more', () => expect(r.language.accuracy).toBeGreaterThanOrEqual(0.97));
  // Issue 3 asks for recall 1.0 on this set; measured 0.961 (see the closing note). This floor keeps what
  // was reached from slipping while the gap stays open in issue 3.
  it('crisis recall ≥ 0.96 (target 1.0, not reached yet)', () => expect(r.crisis.recall).toBeGreaterThanOrEqual(0.96));
  it('false alarms on crisis_negative ≤ 0.05', () => expect(r.crisisNegative.falseAlarmRate).toBeLessThanOrEqual(0.05));
});
