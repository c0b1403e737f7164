import { describe, expect, it } from 'vitest';
import { CrisisModel, crisisExamplesFromCorpus, readCrisisExamples } from '../../../src/nlu/crisis-model.js';
import { LANGS } from '../../../src/core/lang.js';

describe('CrisisModel', () => {
  const examples = [
    { lang: 'nl' as const, text: 'ik wil dood', crisis: true },
    { lang: 'nl' as const, text: 'ik wil niet meer leven', crisis: true },
    { lang: 'nl' as const, text: 'hij slaat me elke dag', crisis: true },
    { lang: 'nl' as const, text: 'ik lach me dood', crisis: false },
    { lang: 'nl' as const, text: 'ik wil een taalcursus', crisis: false },
    { lang: 'nl' as const, text: 'ik zoek werk', crisis: false },
  ];

  it('learns which texts mean danger, and survives a JSON round trip unchanged', () => {
    const model = CrisisModel.train(examples, { epochs: 30 });
    expect(model.probability('ik wil niet meer leven')).toBeGreaterThan(0.5);
    expect(model.probability('ik zoek werk')).toBeLessThan(0.5);
    expect(model.probability('')).toBe(0);
    const copy = CrisisModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    for (const e of examples) expect(copy.probability(e.text)).toBeCloseTo(model.probability(e.text), 5);
  });

  it('reads the intent corpus as examples: its crisis utterances are crisis, the rest safe', () => {
    const out = crisisExamplesFromCorpus({ nl: { crisis: ['ik wil dood'], 'need.work': ['ik zoek werk'] } });
    expect(out).toEqual([
      { lang: 'nl', text: 'ik wil dood', crisis: true },
      { lang: 'nl', text: 'ik zoek werk', crisis: false },
    ]);
  });

  it('has training examples for every language, both kinds, written for training only', () => {
    const all = readCrisisExamples();
    for (const lang of LANGS) {
      const mine = all.filter((e) => e.lang === lang);
      expect(mine.filter((e) => e.crisis).length, `${lang} crisis`).toBeGreaterThanOrEqual(200);
      expect(mine.filter((e) => !e.crisis).length, `${lang} safe`).toBeGreaterThanOrEqual(200);
    }
  });
});
