import type { Redis } from 'ioredis';
import type { Helper } from './domain/helper.js';
import type { Keys } from './store/keys.js';
import { deleteKeys } from './store/redis.js';

const now = () => new Date().toISOString();

/**
 * The demo neighbourhood: volunteers who together speak all six languages, a
 * wijkwerker and a coordinator, bound to console users with the same ids.
 */
export const DEMO_HELPERS: Omit<Helper, 'v' | 'createdAt' | 'channels'>[] = [
  { id: 'vol-anna', role: 'volunteer', name: 'Anna', languages: ['nl', 'en'], wijk: 'hoven', topics: ['need.social_contact', 'need.practical', 'need.activities'], capacity: 3, status: 'active' },
  { id: 'vol-mehmet', role: 'volunteer', name: 'Mehmet', languages: ['tr', 'nl'], wijk: 'werven', topics: ['need.language', 'need.practical', 'need.work'], capacity: 2, status: 'active' },
  { id: 'vol-fatima', role: 'volunteer', name: 'Fatima', languages: ['ar', 'nl', 'en'], wijk: 'centrum', topics: ['need.social_contact', 'need.language', 'need.organize'], capacity: 3, status: 'active' },
  { id: 'vol-kasia', role: 'volunteer', name: 'Kasia', languages: ['pl', 'en', 'nl'], wijk: 'marken', topics: ['need.practical', 'need.work', 'need.activities'], capacity: 2, status: 'active' },
  { id: 'vol-olena', role: 'volunteer', name: 'Olena', languages: ['uk', 'en'], wijk: 'meenten', topics: ['need.social_contact', 'need.language', 'need.wellbeing'], capacity: 2, status: 'active' },
  { id: 'ww-sanne', role: 'wijkwerker', name: 'Sanne', languages: ['nl', 'en'], wijk: 'centrum', topics: [], capacity: 20, status: 'active' },
  { id: 'coord-1', role: 'coordinator', name: 'Jeroen', languages: ['nl', 'en'], wijk: 'centrum', topics: [], capacity: 0, status: 'active' },
];

/** Writes the demo people (idempotent: existing records are left as they are). */
export async function seedDemo(redis: Redis, keys: Keys): Promise<void> {
  const tx = redis.multi();
  for (const helper of DEMO_HELPERS) {
    const personId = `console:${helper.id}`;
    const record: Helper = { ...helper, v: 1, channels: [personId], createdAt: now() };
    tx.set(keys.helper(helper.id), JSON.stringify(record), 'NX');
    tx.sadd(keys.helpers(helper.role), helper.id);
    tx.set(keys.helperByChannel(personId), helper.id);
  }
  await tx.exec();
}

/**
 * Demo helpers start their console conversation as if they had joined with an
 * invite code: known role, language and first name.
 */
async function seedHelperConversations(redis: Redis, keys: Keys): Promise<void> {
  const tx = redis.multi();
  for (const helper of DEMO_HELPERS) {
    const personId = `console:${helper.id}`;
    const ref = { channel: 'console', conversationId: helper.id, userId: helper.id };
    const lang = helper.languages[0];
    tx.set(keys.person(personId), JSON.stringify({ v: 1, id: personId, role: helper.role, ref, lang, consentAt: now(), helperId: helper.id, createdAt: now() }));
    tx.sadd(keys.people(), personId);
    const vars = { lang, consent: 'yes', role: helper.role, helper_id: helper.id, helper_name: helper.name };
    tx.set(keys.session(`console:${helper.id}`), JSON.stringify({ v: 1, state: { stack: [], vars, nonce: 0 } }));
  }
  await tx.exec();
}

/**
 * A demo run starts every console conversation fresh, so a script behaves the
 * same each time. Stored requests stay; only console sessions and profiles go.
 */
export async function resetConsoleConversations(redis: Redis, keys: Keys): Promise<void> {
  for (const pattern of [keys.session('console:*'), keys.person('console:*'), keys.lock('console:*')]) await deleteKeys(redis, pattern);
  await seedHelperConversations(redis, keys);
}
