import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Helper, HelperRole } from '../domain/helper.js';
import type { Documents } from './documents.js';
import type { Keys } from './keys.js';

/** Letters and digits people cannot confuse (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const INVITE_TTL_SEC = 14 * 24 * 3600;

export function newInviteCode(length = 8): string {
  let code = '';
  for (let i = 0; i < length; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** Volunteers, wijkwerkers and coordinators: who helps, in which languages and where. */
export class Registry {
  constructor(private readonly redis: Redis, private readonly docs: Documents, private readonly keys: Keys) {}

  async add(helper: Omit<Helper, 'v' | 'id' | 'createdAt' | 'channels' | 'status'>, now = new Date()): Promise<{ helper: Helper; invite: string }> {
    const prefix = helper.role === 'volunteer' ? 'vol' : helper.role === 'wijkwerker' ? 'ww' : 'coord';
    const id = `${prefix}-${newInviteCode(6).toLowerCase()}`;
    const record = await this.docs.put<Helper>(this.keys.helper(id), { ...helper, v: 0, id, status: 'invited', channels: [], createdAt: now.toISOString() });
    await this.redis.sadd(this.keys.helpers(helper.role), id);
    return { helper: record, invite: await this.newInvite(id) };
  }

  /** A fresh single-use invite code for a helper (valid for 14 days). */
  async newInvite(helperId: string): Promise<string> {
    for (;;) {
      const code = newInviteCode();
      if (await this.redis.set(this.keys.invite(code), helperId, 'EX', INVITE_TTL_SEC, 'NX')) return code;
    }
  }

  /** Removes a helper from the registry; their open offers expire on their own timers. */
  async remove(helper: Helper): Promise<void> {
    const tx = this.redis.multi().del(this.keys.helper(helper.id)).srem(this.keys.helpers(helper.role), helper.id).zrem(this.keys.lastOffered(), helper.id);
    for (const personId of helper.channels) tx.del(this.keys.helperByChannel(personId));
    await tx.exec();
  }

  async get(id: string): Promise<Helper | undefined> {
    return this.docs.get<Helper>(this.keys.helper(id));
  }

  async list(role: HelperRole): Promise<Helper[]> {
    const ids = (await this.redis.smembers(this.keys.helpers(role))).sort();
    return (await this.docs.getMany<Helper>(ids.map((id) => this.keys.helper(id)))).filter((h): h is Helper => h !== undefined);
  }
}
