import { afterAll, describe, expect, it } from 'vitest';
import { dropPrefix, keysWithPrefix, testPrefix, testRedis } from '../helpers/redis.js';
import { runScript, startConsole } from '../helpers/console.js';
import type { HelpRequest } from '../../src/domain/request.js';

const redis = testRedis();
const prefixes: string[] = [];
function env() {
  const prefix = testPrefix();
  prefixes.push(prefix);
  return { prefix, env: { REDIS_PREFIX: prefix } };
}
afterAll(async () => {
  for (const p of prefixes) await dropPrefix(redis, p);
  redis.disconnect();
});

/** Any Redis value as text, whatever its type (BullMQ keeps hashes, sorted sets and streams). */
async function valueOf(key: string): Promise<string> {
  const type = await redis.type(key);
  if (type === 'string') return (await redis.get(key)) ?? '';
  if (type === 'list') return JSON.stringify(await redis.lrange(key, 0, -1));
  if (type === 'set') return JSON.stringify(await redis.smembers(key));
  if (type === 'zset') return JSON.stringify(await redis.zrange(key, 0, '-1'));
  if (type === 'hash') return JSON.stringify(await redis.hgetall(key));
  if (type === 'stream') return JSON.stringify(await redis.xrange(key, '-', '+'));
  return '';
}

async function requestsOf(prefix: string): Promise<HelpRequest[]> {
  const ids = await redis.zrange(`${prefix}requests`, 0, '-1');
  return Promise.all(ids.map(async (id) => JSON.parse((await redis.get(`${prefix}request:${id}`))!) as HelpRequest));
}

describe('the intake through the console scripted mode (real Redis)', () => {
  it('stores a request in the resident\'s own words (Dutch, topic tapped)', async () => {
    const { prefix, env: e } = env();
    const run = await runScript(
      [
        { from: 'res-1', text: 'hallo' },
        { from: 'res-1', button: 'lang.nl' },
        { from: 'res-1', button: 'consent.yes' },
        { from: 'res-1', button: 'topic.need.practical' },
        { from: 'res-1', button: 'wijk.hoven' },
        { from: 'res-1', button: 'contact.call' },
        { from: 'res-1', text: '06 12345678' },
        { from: 'res-1', button: 'contact.morning' },
      ],
      e,
    );
    expect(run.code).toBe(0);
    const last = run.out.filter((m) => m.to === 'res-1').at(-1)!;
    expect(last.text).toContain('Praktische hulp');
    expect(last.text).toContain('De Hoven');
    const [request] = await requestsOf(prefix);
    expect(request).toMatchObject({ topics: ['need.practical'], wijk: 'hoven', lang: 'nl', contact: { how: 'call', when: 'morning', phone: '06 12345678' } });
    // Stored as new, then routed at once: a volunteer has been asked.
    expect(request.status).toBe('offered');
    const events = await redis.lrange(`${prefix}request:${request.id}:events`, 0, -1);
    expect(JSON.parse(events[0])).toMatchObject({ type: 'created', actor: 'console:res-1' });
  });

  it('keeps the resident\'s own words and works in English, buttons by id', async () => {
    const { prefix, env: e } = env();
    const words = 'I feel lonely since my wife died, I would like to meet people';
    // Buttons by opaque id need the bot's output first: drive it line by line.
    const c = startConsole(e, ['--demo']);
    c.send({ from: 'res-7', text: 'hi' });
    await c.waitFor(1);
    const en = c.out[0].buttons.find((b) => b.kind === 'lang.en')!;
    expect(c.out[0].text).toContain('Choose your language');
    c.send({ from: 'res-7', button: en.id });
    await c.waitFor(4);
    expect(c.out.at(-1)!.text).toMatch(/May I write down/);
    c.send({ from: 'res-7', button: c.out.at(-1)!.buttons.find((b) => b.kind === 'consent.yes')!.id });
    await c.waitFor(6);
    expect(c.out.at(-1)!.text).toMatch(/What do you need/);
    c.send({ from: 'res-7', text: words });
    await c.waitFor(7);
    // With or without an NLU guess, the flow ends on a topic: confirm it or pick one.
    let msg = c.out.at(-1)!;
    const confirm = msg.buttons.find((b) => b.kind === 'yes');
    c.send({ from: 'res-7', button: (confirm ?? msg.buttons.find((b) => b.kind === 'topic.need.social_contact'))!.id });
    await c.waitFor(8);
    msg = c.out.at(-1)!;
    expect(msg.text).toMatch(/Which neighbourhood/);
    c.send({ from: 'res-7', button: msg.buttons.find((b) => b.kind === 'wijk.marken')!.id });
    await c.waitFor(9);
    c.send({ from: 'res-7', button: 'contact.chat' });
    await c.waitFor(10);
    c.send({ from: 'res-7', button: 'contact.anytime' });
    await c.waitFor(11);
    expect(c.out.at(-1)!.text).toMatch(/Thank you\. I have written down your question/);
    c.child.stdin.end();
    expect(await c.exited).toBe(0);
    const [request] = await requestsOf(prefix);
    expect(request.text).toBe(words);
    expect(request.lang).toBe('en');
    expect(request.topics).toContain('need.social_contact');
    expect(request.wijk).toBe('marken');
  });

  it('survives a kill in the middle of the intake: after a restart the person continues where they were', async () => {
    const { prefix, env: e } = env();
    const first = startConsole(e, ['--demo']);
    for (const line of [
      { from: 'res-2', text: 'hoi' },
      { from: 'res-2', button: 'lang.nl' },
      { from: 'res-2', button: 'consent.yes' },
      { from: 'res-2', button: 'topic.need.language' },
    ]) first.send(line);
    await first.waitFor(7);
    expect(first.out.at(-1)!.text).toMatch(/In welke wijk/);
    first.child.kill('SIGKILL');
    await first.exited;

    // Restart without --demo (which would start console conversations fresh).
    const second = await runScript(
      [
        { from: 'res-2', button: 'wijk.werven' },
        { from: 'res-2', button: 'contact.visit' },
        { from: 'res-2', button: 'contact.afternoon' },
      ],
      e,
      [],
    );
    expect(second.code).toBe(0);
    expect(second.out[0].text).toMatch(/Hoe wil je/);
    expect(second.out.filter((m) => m.to === 'res-2').at(-1)!.text).toMatch(/Ik heb je vraag opgeschreven/);
    const [request] = await requestsOf(prefix);
    expect(request).toMatchObject({ topics: ['need.language'], wijk: 'werven', contact: { how: 'visit', when: 'afternoon' } });
  });

  it('refused consent leaves no personal data in Redis', async () => {
    const { prefix, env: e } = env();
    const run = await runScript(
      [
        { from: 'res-3', text: 'Hallo, ik ben Samira Yilmaz en ik heb schulden' },
        { from: 'res-3', button: 'lang.nl' },
        { from: 'res-3', button: 'consent.no' },
        { from: 'res-3', text: 'mijn adres is Kerkstraat 12, bel 0612345678' },
        { from: 'res-3', text: '/hulp' },
      ],
      e,
    );
    expect(run.code).toBe(0);
    expect(run.out.some((m) => /Ik bewaar niets/.test(m.text))).toBe(true);
    expect(run.out.filter((m) => m.to === 'res-3').at(-1)!.text).toMatch(/112/);
    const keys = await keysWithPrefix(redis, prefix);
    expect(keys.filter((k) => /:(person|requests-of|inbox):/.test(k) && k.includes('res-3'))).toEqual([]);
    expect(await redis.zcard(`${prefix}requests`)).toBe(0);
    for (const key of keys) expect(await valueOf(key)).not.toMatch(/Samira|Yilmaz|schulden|Kerkstraat|0612345678/);
    // What remains is the conversation's language and step, and it expires.
    const session = keys.find((k) => k.includes(':session:console:res-3'))!;
    expect(await redis.ttl(session)).toBeGreaterThan(0);
    expect(await redis.ttl(session)).toBeLessThanOrEqual(24 * 3600);
  });
});
