import { describe, expect, it } from 'vitest';
import { decideCrisis, type CrisisThresholds } from '../../../src/nlu/crisis-decision.js';

const t: CrisisThresholds = { alarmFrom: 0.8, askFrom: 0.3, doubtBelow: 0.02, safeBelow: 0.02 };
const signals = (lexicon: boolean, probability: number | undefined, intent = 'none', intentScore = 0.2) => ({ lexicon, probability, intent, intentScore });

describe('decideCrisis', () => {
  it('alarms on a lexicon match unless the model finds the text almost surely safe; then it asks', () => {
    expect(decideCrisis(signals(true, 0.05), t)).toEqual({ verdict: 'alarm', signal: 'lexicon' });
    expect(decideCrisis(signals(true, 0.01), t)).toEqual({ verdict: 'ask' });
    // no model loaded: the lexicon alone decides
    expect(decideCrisis(signals(true, undefined), t)).toEqual({ verdict: 'alarm', signal: 'lexicon' });
  });

  it('alarms on the model alone from alarmFrom, asks from askFrom, and stays quiet below', () => {
    expect(decideCrisis(signals(false, 0.85), t)).toEqual({ verdict: 'alarm', signal: 'model' });
    expect(decideCrisis(signals(false, 0.5), t)).toEqual({ verdict: 'ask' });
    expect(decideCrisis(signals(false, 0.1), t)).toEqual({ verdict: 'none' });
  });

  it('only asks when the model alone is sure but the text is clearly a routine reply ("stop, no more messages")', () => {
    expect(decideCrisis(signals(false, 0.9, 'stop', 0.8), t)).toEqual({ verdict: 'ask' });
    expect(decideCrisis(signals(false, 0.9, 'stop', 0.3), t)).toEqual({ verdict: 'alarm', signal: 'model' });
    // a routine reply never silences a lexicon match
    expect(decideCrisis(signals(true, 0.9, 'stop', 0.8), t)).toEqual({ verdict: 'alarm', signal: 'lexicon' });
  });

  it('asks when only the intent classifier leans to crisis, unless the crisis model is all but sure it is safe', () => {
    expect(decideCrisis(signals(false, 0.1, 'crisis', 0.4), t)).toEqual({ verdict: 'ask' });
    expect(decideCrisis(signals(false, undefined, 'crisis', 0.4), t)).toEqual({ verdict: 'ask' });
    expect(decideCrisis(signals(false, 0.001, 'crisis', 0.4), t)).toEqual({ verdict: 'none' });
    // a doubted lexicon match and the intent lean have their own floors
    expect(decideCrisis(signals(false, 0.1, 'crisis', 0.4), { ...t, doubtBelow: 0.2 })).toEqual({ verdict: 'ask' });
  });

  it('switches parts off with 0', () => {
    const off: CrisisThresholds = { alarmFrom: 0, askFrom: 0, doubtBelow: 0, safeBelow: 0 };
    expect(decideCrisis(signals(false, 0.99), off)).toEqual({ verdict: 'none' });
    expect(decideCrisis(signals(true, 0.001), off)).toEqual({ verdict: 'alarm', signal: 'lexicon' });
  });
});
