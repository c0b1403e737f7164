import { describe, expect, it } from 'vitest';
import { CRISIS_KINDS, compilePattern, detectCrisis, firstWords, readLexiconFiles } from '../../../src/nlu/crisis.js';
import { LANGS } from '../../../src/core/lang.js';
import { CRISIS_NEGATIVE, CRISIS_POSITIVE } from './crisis.cases.js';

describe('crisis lexicon files', () => {
  const files = readLexiconFiles();
  it('exist for all six languages, with patterns of every kind and idiom exclusions', () => {
    expect(files.map((f) => f.lang).sort()).toEqual([...LANGS].sort());
    for (const f of files) {
      for (const kind of CRISIS_KINDS) expect(f.patterns[kind]?.length, `${f.lang} ${kind}`).toBeGreaterThan(0);
      expect(f.exclusions?.length, f.lang).toBeGreaterThan(0);
    }
  });
  it('compile', () => {
    for (const f of files) {
      for (const p of Object.values(f.patterns).flat()) expect(() => compilePattern(p, f.clitics)).not.toThrow();
      for (const p of f.exclusions ?? []) expect(() => compilePattern(p, f.clitics)).not.toThrow();
    }
  });
  it('indexes patterns by their first word', () => {
    expect(firstWords('(mezelf|mijzelf|me) ~ pijn')).toEqual(['mezelf', 'mijzelf', 'me']);
    expect(firstWords('zelf ?moord')).toEqual(['zelf']);
    expect(firstWords('kill(ing)? myself')).toEqual(['kill']);
    expect(firstWords('suicid')).toEqual(['suicid']);
    expect(firstWords('(a|b)? c')).toBeNull();
    expect(firstWords('(\\S+) x')).toBeNull();
  });
});

describe('detectCrisis', () => {
  for (const lang of LANGS) {
    it(`fires on suicidal thoughts, self-harm, violence, threats and danger in ${lang}`, () => {
      const missed = CRISIS_POSITIVE[lang].filter((t) => !detectCrisis(t).crisis);
      expect(missed).toEqual([]);
    });
    it(`stays quiet on idioms and alarming-sounding everyday messages in ${lang}`, () => {
      const alarms = CRISIS_NEGATIVE[lang].filter((t) => detectCrisis(t).crisis);
      expect(alarms).toEqual([]);
    });
  }

  it('reports the kind', () => {
    expect(detectCrisis('ik wil niet meer leven').kind).toBe('suicide');
    expect(detectCrisis('I cut myself again').kind).toBe('self_harm');
    expect(detectCrisis('mijn man slaat mij').kind).toBe('violence');
    expect(detectCrisis('eski eşim beni tehdit ediyor').kind).toBe('threat');
    expect(detectCrisis('there is a man with a knife in my flat').kind).toBe('danger');
  });

  it('checks every language: mixed-language messages still alarm', () => {
    expect(detectCrisis('hallo wijkteam, I want to die').crisis).toBe(true);
    expect(detectCrisis('gemeente brief geldi ama ölmek istiyorum').crisis).toBe(true);
    expect(detectCrisis('ik heb schulden en не хочу жити').crisis).toBe(true);
  });

  it('lets a real signal through next to an idiom', () => {
    expect(detectCrisis('ik ga dood van verveling').crisis).toBe(false);
    expect(detectCrisis('ik ga dood van verveling en eigenlijk wil ik er niet meer zijn').crisis).toBe(true);
  });

  it('is pure and synchronous', () => {
    const a = detectCrisis('iedereen is beter af zonder mij');
    const b = detectCrisis('iedereen is beter af zonder mij');
    expect(a).toEqual(b);
    expect(a).not.toBeInstanceOf(Promise);
    expect(detectCrisis('')).toEqual({ crisis: false });
  });
});

describe('crisis lexicon against the training corpus', () => {
  it('fires on every crisis utterance of the corpus and on none of the other utterances', async () => {
    const { readCorpus } = await import('../../../src/nlu/model.js');
    const corpus = readCorpus();
    const missed: string[] = [];
    const alarms: string[] = [];
    for (const [lang, intents] of Object.entries(corpus)) {
      for (const [intent, texts] of Object.entries(intents ?? {})) {
        for (const t of texts) {
          const r = detectCrisis(t).crisis;
          if (intent === 'crisis' && !r) missed.push(`${lang}: ${t}`);
          if (intent !== 'crisis' && r) alarms.push(`${lang} ${intent}: ${t}`);
        }
      }
    }
    expect(missed).toEqual([]);
    expect(alarms).toEqual([]);
  });
});
