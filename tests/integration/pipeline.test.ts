import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApp, loadAssets } from '../../src/app.js';
import { consoleRef } from '../../src/channels/console/console-channel.js';
import type { Activity } from '../../src/core/types.js';
import type { Nlu } from '../../src/nlu/types.js';
import { dropPrefix, testConfig, testRedis } from '../helpers/redis.js';

const redis = testRedis();
const assets = loadAssets();
const prefixes: string[] = [];
afterEach(async () => {
  for (const p of prefixes.splice(0)) await dropPrefix(redis, p);
});
afterAll(() => redis.disconnect());

function app(nlu?: Nlu) {
  const config = testConfig();
  prefixes.push(config.keyPrefix);
  return createApp(config, redis, { assets, nlu });
}

let seq = 0;
const text = (user: string, t: string, id = `t${++seq}`): Activity => ({ id, type: 'message', ref: consoleRef(user), text: t });
const button = (user: string, b: string, id = `b${++seq}`): Activity => ({ id, type: 'button', ref: consoleRef(user), button: b });

/** An NLU that takes its time, so two turns really overlap. */
const slowNlu: Nlu = {
  async classify(t) {
    await new Promise((r) => setTimeout(r, 150));
    return { text: t, lang: 'nl', intent: 'none', score: 0, crisis: false, needs: [] };
  },
};

async function session(a: ReturnType<typeof app>, user: string) {
  return JSON.parse((await redis.get(a.keys.session(`console:${user}`)))!) as { v: number; state: { vars: Record<string, unknown> } };
}

describe('pipeline on real Redis', () => {
  it('handles two turns of one conversation one after the other: nothing lost', async () => {
    const a = app(slowNlu);
    await a.pipeline.handle(text('u1', 'hoi'));
    // "1" picks Dutch (slow: it goes through the NLU); the consent tap arrives while that turn runs.
    const first = a.pipeline.handle(text('u1', '1'));
    await new Promise((r) => setTimeout(r, 20));
    const second = a.pipeline.handle(button('u1', 'consent.yes'));
    const [r1, r2] = await Promise.all([first, second]);
    expect(r1.at(-1)!.text).toMatch(/Mag ik opschrijven/);
    expect(r2.map((m) => m.text).join()).toMatch(/Wat heb je nodig/);
    const s = await session(a, 'u1');
    expect(s.v).toBe(3);
    expect(s.state.vars).toMatchObject({ lang: 'nl', consent: 'yes' });
  });

  it('processes a duplicate activity id once', async () => {
    const a = app();
    await a.pipeline.handle(text('u2', 'hoi'));
    const tap = button('u2', 'lang.en', 'same-id');
    const [once, twice] = await Promise.all([a.pipeline.handle(tap), a.pipeline.handle({ ...tap })]);
    expect([once.length > 0, twice.length > 0].sort()).toEqual([false, true]);
    expect((await a.pipeline.handle({ ...tap })).length).toBe(0);
    expect((await session(a, 'u2')).v).toBe(2);
    expect(a.metrics.get('duplicates_total')).toBe(2);
  });

  it('saves nothing of a failed turn, apologises with the emergency numbers, and the next message works', async () => {
    const a = app();
    await a.pipeline.handle(text('u3', 'hoi'));
    await a.pipeline.handle(button('u3', 'lang.nl'));
    const before = await session(a, 'u3');
    const original = (a.pipeline as any).deps.effects['consent.give'];
    (a.pipeline as any).deps.effects = { ...(a.pipeline as any).deps.effects, 'consent.give': async () => { throw new Error('boom'); } };
    const failed = await a.pipeline.handle(button('u3', 'consent.yes'));
    expect(failed).toHaveLength(1);
    expect(failed[0].text).toMatch(/ging iets mis/);
    expect(failed[0].text).toMatch(/112/);
    expect(await session(a, 'u3')).toEqual(before);
    expect(await redis.exists(a.keys.lock('console:u3'))).toBe(0);
    (a.pipeline as any).deps.effects = { ...(a.pipeline as any).deps.effects, 'consent.give': original };
    const retried = await a.pipeline.handle(button('u3', 'consent.yes'));
    expect(retried.at(-1)!.text).toMatch(/Wat heb je nodig/);
  });

  it('answers stickers, empty and huge texts kindly and loses the open question nowhere', async () => {
    const a = app();
    await a.pipeline.handle(text('u4', 'hoi'));
    await a.pipeline.handle(button('u4', 'lang.nl'));
    await a.pipeline.handle(button('u4', 'consent.yes'));
    const sticker = await a.pipeline.handle({ id: 'm1', type: 'media', ref: consoleRef('u4'), media: { kind: 'sticker' } });
    expect(sticker[0].text).toMatch(/foto's, spraak/);
    expect(sticker[1].text).toMatch(/Wat heb je nodig/);
    const huge = await a.pipeline.handle(text('u4', 'x'.repeat(5000)));
    expect(huge[0].text).toMatch(/lange tekst/);
    const empty = await a.pipeline.handle(text('u4', ''));
    expect(empty[0].text).toMatch(/geen tekst/);
    const unknown = await a.pipeline.handle(text('u4', '/onzin'));
    expect(unknown[0].text).toMatch(/commando ken ik niet/);
    expect(unknown[1].text).toMatch(/Wat heb je nodig/);
  });

  it('erases everything of a person on request, and the next message starts afresh', async () => {
    const a = app();
    for (const step of [text('u5', 'hoi'), button('u5', 'lang.nl'), button('u5', 'consent.yes'), button('u5', 'topic.need.money'), button('u5', 'wijk.centrum'), button('u5', 'contact.chat'), button('u5', 'contact.evening')]) {
      await a.pipeline.handle(step);
    }
    expect(await redis.zcard(a.keys.requests())).toBe(1);
    await a.pipeline.handle(text('u5', '/privacy'));
    await a.pipeline.handle(button('u5', 'privacy.erase'));
    const done = await a.pipeline.handle(button('u5', 'yes'));
    expect(done.at(-1)!.text).toMatch(/alles over jou gewist/);
    expect(await redis.zcard(a.keys.requests())).toBe(0);
    expect(await redis.exists(a.keys.person('console:u5'), a.keys.session('console:u5'), a.keys.requestsOf('console:u5'))).toBe(0);
    const again = await a.pipeline.handle(text('u5', 'hallo'));
    expect(again[0].text).toMatch(/Kies je taal/);
  });
});
