import { Redis } from 'ioredis';

/** One Redis connection. `maxRetriesPerRequest: null` is what BullMQ workers need too. */
export function connectRedis(url: string, options: { lazy?: boolean } = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: options.lazy ?? false,
    // Keep retrying with a gentle back-off; readiness is reported by /readyz.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

/** True when Redis answers PING within the timeout. */
export async function redisReachable(url: string, timeoutMs = 1500): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Every key matching a pattern (SCAN, so Redis is never blocked). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    out.push(...found);
  } while (cursor !== '0');
  return out;
}

/** Deletes every key under a prefix (tests, benchmarks, the demo reset). */
export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  const keys = await scanKeys(redis, pattern);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  return keys.length;
}
