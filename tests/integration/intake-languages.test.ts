import { afterAll, describe, expect, it } from 'vitest';
import { dropPrefix, testPrefix, testRedis } from '../helpers/redis.js';
import { startConsole } from '../helpers/console.js';
import { LANGS } from '../../src/core/lang.js';
import { I18n } from '../../src/i18n/i18n.js';
import { join } from 'node:path';

const redis = testRedis();
const prefix = testPrefix();
const i18n = I18n.load(join(import.meta.dirname, '..', '..', 'locales'));
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

/** How residents might say "I have debts and can't read the letters" in each language. */
const NEEDS: Record<(typeof LANGS)[number], string> = {
  nl: 'ik heb schulden en ik snap de brieven van de belasting niet',
  en: 'I have debts and I cannot read the letters from the gemeente',
  tr: 'borçlarım var ve belastingdienst mektuplarını anlamıyorum',
  ar: 'عندي ديون ولا أفهم رسائل البلدية',
  pl: 'mam długi i nie rozumiem listów z gminy',
  uk: 'у мене борги і я не розумію листів від gemeente',
};

describe('the intake in each of the six languages (console scripted mode, real NLU)', () => {
  it.each(LANGS)('%s: free text, understood or picked, stored in the person\'s language', async (lang) => {
    const user = `res-${lang}`;
    const c = startConsole({ REDIS_PREFIX: prefix }, ['--demo']);
    const mine = () => c.out.filter((m) => m.to === user);
    let seen = 0;
    const next = async () => {
      await c.waitFor(c.out.length + 1).catch(() => {});
      // Wait until this user got something new.
      for (let i = 0; i < 400 && mine().length <= seen; i++) await new Promise((r) => setTimeout(r, 25));
      seen = mine().length;
      return mine().at(-1)!;
    };
    c.send({ from: user, text: 'hi' });
    await next();
    c.send({ from: user, button: `lang.${lang}` });
    let msg = await next();
    for (let i = 0; i < 10 && !msg.buttons.some((b) => b.kind === 'consent.yes'); i++) msg = await next();
    expect(msg.text).toBe(i18n.text({ key: 'consent.question' }, lang));
    c.send({ from: user, button: 'consent.yes' });
    msg = await next();
    for (let i = 0; i < 10 && !msg.buttons.some((b) => b.kind.startsWith('topic.')); i++) msg = await next();
    expect(msg.text).toBe(i18n.text({ key: 'intake.need' }, lang));
    c.send({ from: user, text: NEEDS[lang] });
    msg = await next();
    // Understood: "Did I get it right?" with both needs; otherwise the topic buttons, never a wrong guess as certain.
    if (msg.buttons.some((b) => b.kind === 'yes')) c.send({ from: user, button: 'yes' });
    else c.send({ from: user, button: 'topic.need.money' });
    msg = await next();
    expect(msg.text).toBe(i18n.text({ key: 'intake.wijk' }, lang));
    c.send({ from: user, button: 'wijk.centrum' });
    await next();
    c.send({ from: user, button: 'contact.chat' });
    await next();
    c.send({ from: user, button: 'contact.morning' });
    msg = await next();
    expect(msg.text.split('\n')[0]).toBe(i18n.text({ key: 'intake.done', vars: { topics: '', wijk: '', how: '', when: '' } }, lang).split('\n')[0]);
    c.child.stdin.end();
    expect(await c.exited).toBe(0);
    const ids = await redis.smembers(`${prefix}requests-of:console:${user}`);
    const request = JSON.parse((await redis.get(`${prefix}request:${ids[0]}`))!);
    expect(request.text).toBe(NEEDS[lang]);
    expect(request.lang).toBe(lang);
    expect(request.topics).toContain('need.money');
  }, 60_000);
});
