import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../../src/config/config.js';
import { deleteKeys, scanKeys } from '../../src/store/redis.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh key prefix per test, so tests never see each other's data. */
export function testPrefix(): string {
  return `test:${randomBytes(5).toString('hex')}:`;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ REDIS_URL, REDIS_PREFIX: testPrefix(), LOG_LEVEL: 'silent', ...overrides });
}

export function testRedis(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: null });
}

export function keysWithPrefix(redis: Redis, prefix: string): Promise<string[]> {
  return scanKeys(redis, `${prefix}*`);
}

export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  await deleteKeys(redis, `${prefix}*`);
}
