import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { parseDuration, parseQuietHours } from '../../../src/config/duration.js';

describe('settings', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3978, redisUrl: 'redis://127.0.0.1:6379', defaultLanguage: 'nl', worker: true, offerTimeoutMs: 4 * 3600_000 });
  });

  it('parses durations and quiet hours', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('3d')).toBe(3 * 86_400_000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('0s')).toBeUndefined();
    expect(parseQuietHours('22:00-08:00')).toEqual({ from: 1320, to: 480 });
    expect(parseQuietHours('25:00-08:00')).toBeUndefined();
  });

  it.each([
    ['OFFER_TIMEOUT', 'soon'],
    ['PORT', 'eighty'],
    ['REDIS_URL', 'http://x'],
    ['QUIET_HOURS', '10pm-8am'],
    ['DEFAULT_LANGUAGE', 'fr'],
    ['LOG_LEVEL', 'loud'],
    ['TZ', 'Mars/Olympus'],
    ['TELEGRAM_BOT_TOKEN', 'not-a-token'],
    ['MAX_OFFERS', '0'],
  ])('names a wrong %s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: `));
  });

  it('requires a secret in webhook mode', () => {
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram' })).toThrow(/^TELEGRAM_WEBHOOK_SECRET/);
  });

  it('stops start-up with one line naming the setting and exit code 2', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env: { ...process.env, OFFER_TIMEOUT: 'tomorrow' }, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual(['Setting OFFER_TIMEOUT: "tomorrow" is not a duration; use e.g. 90s, 15m, 4h or 3d']);
  });
});
