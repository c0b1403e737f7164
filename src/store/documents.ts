import type { Redis } from 'ioredis';
import { PUT_VERSIONED } from './scripts.js';

/** A JSON document with an optimistic version, bumped on every write. */
export interface Versioned {
  v: number;
}

export class StaleWrite extends Error {
  constructor(key: string) {
    super(`stale write refused for ${key}`);
    this.name = 'StaleWrite';
  }
}

/** Version-checked reads and writes of JSON documents (eTag-style, like botbuilder's storage). */
export class Documents {
  constructor(private readonly redis: Redis) {
    redis.defineCommand('srPutVersioned', { numberOfKeys: 1, lua: PUT_VERSIONED });
  }

  async get<T extends Versioned>(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  }

  async getMany<T extends Versioned>(keys: string[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    const raws = await this.redis.mget(...keys);
    return raws.map((raw) => (raw ? (JSON.parse(raw) as T) : undefined));
  }

  /** Writes `doc` if the stored version is still `doc.v` (0 = must be new); returns the saved copy with v+1. */
  async put<T extends Versioned>(key: string, doc: T, ttlSec = 0): Promise<T> {
    const next = { ...doc, v: doc.v + 1 };
    const result = await (this.redis as any).srPutVersioned(key, doc.v, JSON.stringify(next), ttlSec);
    if (result !== 'ok') throw new StaleWrite(key);
    return next;
  }

  /** Read-modify-write with retries on a concurrent change; `change` must be pure (it may run more than once). */
  async update<T extends Versioned>(key: string, change: (doc: T) => T, ttlSec = 0, attempts = 8): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.get<T>(key);
      if (!current) throw new Error(`no document at ${key}`);
      try {
        return await this.put(key, change(current), ttlSec);
      } catch (error) {
        if (!(error instanceof StaleWrite) || attempt >= attempts) throw error;
      }
    }
  }
}
