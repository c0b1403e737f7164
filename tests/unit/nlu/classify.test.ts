import { spawnSync } from 'node:child_process';
import { describe, expect, it, beforeAll } from 'vitest';
import { loadNlu } from '../../../src/nlu/model.js';
import type { NluService } from '../../../src/nlu/nlu.js';

let nlu: NluService;
beforeAll(async () => {
  nlu = await loadNlu();
}, 60_000);

describe('classify: short utterances', () => {
  const cases: Array<[string, string, string]> = [
    ['hoi', 'nl', 'greeting'],
    ['Hallo!', 'nl', 'greeting'],
    ['ok', 'nl', 'affirm'],
    ['oké', 'nl', 'affirm'],
    ['ja', 'nl', 'affirm'],
    ['nee', 'nl', 'deny'],
    ['dank je', 'nl', 'thanks'],
    ['Dankjewel!!', 'nl', 'thanks'],
    ['thanks', 'en', 'thanks'],
    ['hello', 'en', 'greeting'],
    ['merhaba', 'tr', 'greeting'],
    ['teşekkürler', 'tr', 'thanks'],
    ['tesekkurler', 'tr', 'thanks'],
    ['evet', 'tr', 'affirm'],
    ['شكرا', 'ar', 'thanks'],
    ['مرحبا', 'ar', 'greeting'],
    ['dziękuję', 'pl', 'thanks'],
    ['cześć', 'pl', 'greeting'],
    ['дякую', 'uk', 'thanks'],
    ['привіт', 'uk', 'greeting'],
    ['stop', 'nl', 'stop'],
    ['help', 'nl', 'help'],
  ];
  for (const [text, hint, intent] of cases) {
    it(`${text} → ${intent}`, async () => {
      const r = await nlu.classify(text, { hint: hint as never });
      expect(r.intent).toBe(intent);
      expect(r.needs).toEqual([]);
      expect(r.crisis).toBe(false);
    });
  }
  it('recognises short replies whatever the conversation language', async () => {
    expect((await nlu.classify('ok', { stored: 'uk' })).intent).toBe('affirm');
    expect((await nlu.classify('dank je', { stored: 'tr' })).intent).toBe('thanks');
    expect((await nlu.classify('thanks', { stored: 'nl' })).intent).toBe('thanks');
  });
});

describe('classify: needs', () => {
  it('keeps both needs of a two-need message', async () => {
    const r = await nlu.classify('ik heb schulden en ik kan de brieven niet lezen', { stored: 'nl' });
    expect(r.needs).toContain('need.money');
    expect(r.needs).toContain('need.language');
    expect(['need.money', 'need.language']).toContain(r.intent);
  });
  it('understands a half-Dutch message in another language', async () => {
    const r = await nlu.classify("gemeente'den mektup geldi hiç anlamadım", { stored: 'tr' });
    expect(r.lang).toBe('tr');
    expect(r.intent).toBe('need.language');
  });
  it('says none rather than guessing on gibberish', async () => {
    const r = await nlu.classify('qwxz vbnm', { stored: 'nl' });
    expect(r.intent).toBe('none');
  });
  it('sets crisis whatever the top intent', async () => {
    const r = await nlu.classify('ik heb schulden en ik wil niet meer leven', { stored: 'nl' });
    expect(r.crisis).toBe(true);
    expect(r.intent).toBe('crisis');
  });
  it('flags a clearly different language so the flow can ask once', async () => {
    const r = await nlu.classify('I have a letter from the tax office and I do not understand it', { stored: 'nl' });
    expect(r.lang).toBe('en');
    expect(r.detected).toBe('en');
    expect(r.langDiffers).toBe(true);
  });
});

describe('cli classify', () => {
  it('writes exactly one JSON object per input line, in order, with the contract fields', () => {
    const input = ['{"text":"hoi"}', '{"text":"ik heb schulden","lang":"nl-NL"}', '{"text":"I want to die","lang":"en"}', '{"text":"مرحبا"}'].join('\n') + '\n';
    const r = spawnSync('npx', ['tsx', 'src/nlu/cli.ts', 'classify'], { input, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(Object.keys(l)).toEqual(['text', 'lang', 'intent', 'score', 'crisis']);
    expect(lines.map((l) => l.intent)).toEqual(['greeting', 'need.money', 'crisis', 'greeting']);
    expect(lines.map((l) => l.lang)).toEqual(['nl', 'nl', 'en', 'ar']);
    expect(lines[2].crisis).toBe(true);
  }, 60_000);
});
