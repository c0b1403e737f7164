import { afterAll, describe, expect, it } from 'vitest';
import { FloodGuard } from '../../src/pipeline/flood-guard.js';
import { Keys } from '../../src/store/keys.js';
import { dropPrefix, testPrefix, testRedis } from '../helpers/redis.js';

const redis = testRedis();
const prefix = testPrefix();
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe('FloodGuard (real Redis)', () => {
  it('lets 20 a minute through, warns once, drops the rest, and lets the first message after a pause pass', async () => {
    const guard = new FloodGuard(redis, new Keys(prefix), 20, 60_000);
    const t0 = 1_000_000 * 60_000; // the start of a window
    const verdicts = [];
    for (let i = 0; i < 24; i++) verdicts.push(await guard.check('c1', t0 + i * 100));
    expect(verdicts.slice(0, 20).every((v) => v === 'ok')).toBe(true);
    expect(verdicts[20]).toBe('warn');
    expect(verdicts.slice(21)).toEqual(['drop', 'drop', 'drop']);
    // Two windows later nothing of the burst counts any more.
    expect(await guard.check('c1', t0 + 120_500)).toBe('ok');
    // Other conversations are not affected.
    expect(await guard.check('c2', t0 + 1_000)).toBe('ok');
  });
});
