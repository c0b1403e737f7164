import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys.js';

export type FloodVerdict = 'ok' | 'warn' | 'drop';

/**
 * At most `limit` messages per conversation in a sliding minute (two fixed
 * windows, weighted). The first message over the limit gets a kind notice; the
 * rest are dropped until the pace drops. A message after a pause always passes.
 */
export class FloodGuard {
  constructor(private readonly redis: Redis, private readonly keys: Keys, private readonly limit = 20, private readonly windowMs = 60_000) {}

  async check(conversation: string, now = Date.now()): Promise<FloodVerdict> {
    const window = Math.floor(now / this.windowMs);
    const current = this.keys.flood(conversation, window);
    const [[, count], , [, previous]] = (await this.redis
      .multi()
      .incr(current)
      .pexpire(current, this.windowMs * 2)
      .get(this.keys.flood(conversation, window - 1))
      .exec()) as [unknown, number][];
    const elapsed = (now % this.windowMs) / this.windowMs;
    const rate = Number(count) + Number(previous ?? 0) * (1 - elapsed);
    if (rate <= this.limit) return 'ok';
    return rate - 1 <= this.limit ? 'warn' : 'drop';
  }
}
