import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';
import type { UnitOfWork } from './unit-of-work.js';

/**
 * Adds to `work` everything needed to erase a person: their profile, their
 * requests with event logs, and the indexes that point at them.
 */
export async function addErasure(redis: Redis, keys: Keys, personId: string, work: UnitOfWork): Promise<number> {
  const ids = await redis.smembers(keys.requestsOf(personId));
  for (const id of ids) {
    work.write('DEL', keys.request(id));
    work.write('DEL', keys.requestEvents(id));
    work.write('ZREM', keys.requests(), id);
  }
  work.write('DEL', keys.requestsOf(personId));
  work.write('DEL', keys.person(personId));
  work.write('SREM', keys.people(), personId);
  return ids.length;
}
