import { describe, expect, it } from 'vitest';
import { loadAssets } from '../../src/app.js';
import { isolateLtr } from '../../src/i18n/i18n.js';

const { i18n } = loadAssets();

describe('rendering', () => {
  it('keeps phone numbers, addresses and commands left-to-right inside Arabic', () => {
    expect(isolateLtr('اتصل بـ 0800-0113 أو 113.nl أو /menu')).toBe('اتصل بـ \u20660800-0113\u2069 أو \u2066113.nl\u2069 أو \u2066/menu\u2069');
    const rendered = i18n.render({ text: [{ key: 'common.emergency' }] }, 'ar');
    expect(rendered.rtl).toBe(true);
    expect(rendered.text).toContain('\u2066112\u2069');
    expect(i18n.render({ text: [{ key: 'common.emergency' }] }, 'nl').text).not.toContain('\u2066');
  });

  it('joins a list of topics the local way', () => {
    const text = i18n.text({ key: 'intake.confirm', vars: { topics: [{ key: 'topics.need.money' }, { key: 'topics.need.language' }] } }, 'nl');
    expect(text).toBe('Begrijp ik het goed: je zoekt hulp bij 💶 Geld en schulden en 📄 Taal, brieven, formulieren?');
  });

  it('renders the first question in all six languages, each once', () => {
    const text = i18n.text({ key: 'language.choose', multilingual: true }, 'nl');
    expect(text.split('\n')).toHaveLength(6);
    expect(text.split('\n')[0]).toBe('Kies je taal.');
  });

  it('uses the right plural form per language', () => {
    const pl = (n: number) => i18n.text({ key: 'common.too_long', vars: { max: n } }, 'pl');
    expect(pl(2)).not.toBe(pl(5).replace('5', '2'));
  });
});
