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
  work.write('DEL', keys.inbox(personId));
  work.write('SREM', keys.unreachable(), personId);
  return ids.length;
}

/**
 * Someone blocked the bot (Telegram 403) or their channel is gone: put them in
 * the unreachable set, and note it on each of their requests so routing can move
 * them. Their next message takes them out again (the pipeline does that in every commit).
 */
export async function markUnreachable(redis: Redis, keys: Keys, personId: string, now = new Date()): Promise<void> {
  const requestIds = await redis.smembers(keys.requestsOf(personId));
  const tx = redis.multi().sadd(keys.unreachable(), personId);
  const event = JSON.stringify({ at: now.toISOString(), actor: 'system', type: 'person.unreachable', data: { person: personId } });
  for (const id of requestIds) tx.rpush(keys.requestEvents(id), event);
  await tx.exec();
}

export async function isUnreachable(redis: Redis, keys: Keys, personId: string): Promise<boolean> {
  return (await redis.sismember(keys.unreachable(), personId)) === 1;
}
