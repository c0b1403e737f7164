import { z } from 'zod';
import { isLang, type Lang } from '../core/lang.js';
import { parseDuration, parseQuietHours } from './duration.js';

/** The service's settings, read once from the environment and validated. */
export interface Config {
  redisUrl: string;
  keyPrefix: string;
  port: number;
  telegram: { token?: string; apiRoot?: string; webhookUrl?: string; webhookSecret?: string };
  microsoft: { appId?: string; appPassword?: string; tenantId?: string; appType?: string };
  offerTimeoutMs: number;
  followUpAfterMs: number;
  escalationSlaMs: number;
  crisisEscalationSlaMs: number;
  retentionMs: number;
  /** Declines plus expired offers before a request goes to the wijkteam as "no volunteer found". */
  maxOffers: number;
  quietHours?: { from: number; to: number };
  timeZone: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  defaultLanguage: Lang;
  worker: boolean;
}

/** A setting that is wrong. `message` is the one line shown at start-up. */
export class ConfigError extends Error {
  constructor(readonly setting: string, problem: string) {
    super(`${setting}: ${problem}`);
  }
}

const DEFAULTS = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_PREFIX: 'sr:',
  PORT: '3978',
  OFFER_TIMEOUT: '4h',
  FOLLOW_UP_AFTER: '3d',
  ESCALATION_SLA: '1d',
  CRISIS_ESCALATION_SLA: '15m',
  RETENTION: '180d',
  QUIET_HOURS: '',
  TZ: 'Europe/Amsterdam',
  LOG_LEVEL: 'info',
  DEFAULT_LANGUAGE: 'nl',
  WORKER: 'on',
  MAX_OFFERS: '3',
} as const;

function duration(env: NodeJS.ProcessEnv, name: keyof typeof DEFAULTS): number {
  const raw = env[name] || DEFAULTS[name];
  const ms = parseDuration(raw);
  if (ms === undefined) throw new ConfigError(name, `"${raw}" is not a duration; use e.g. 90s, 15m, 4h or 3d`);
  return ms;
}

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function url(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | undefined {
  const value = optional(env, name);
  if (value === undefined) return undefined;
  const parsed = z.url().safeParse(value);
  if (!parsed.success || !protocols.some((p) => value.startsWith(`${p}:`))) {
    throw new ConfigError(name, `"${value}" is not a ${protocols.join(' or ')} URL`);
  }
  return value;
}

/** Reads and validates the settings. Throws a ConfigError naming the first wrong setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT || DEFAULTS.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT', `"${env.PORT}" is not a port number (0-65535)`);

  const redisUrl = url(env, 'REDIS_URL', ['redis', 'rediss']) ?? DEFAULTS.REDIS_URL;
  const keyPrefix = env.REDIS_PREFIX ?? DEFAULTS.REDIS_PREFIX;
  if (!/^[\w:.-]*$/.test(keyPrefix)) throw new ConfigError('REDIS_PREFIX', 'use letters, digits and : . - _ only');

  const quietRaw = env.QUIET_HOURS ?? DEFAULTS.QUIET_HOURS;
  const quietHours = quietRaw.trim() ? parseQuietHours(quietRaw) : undefined;
  if (quietRaw.trim() && !quietHours) throw new ConfigError('QUIET_HOURS', `"${quietRaw}" is not a time range; use e.g. 22:00-08:00`);

  const timeZone = env.TZ || DEFAULTS.TZ;
  try {
    new Intl.DateTimeFormat('nl-NL', { timeZone });
  } catch {
    throw new ConfigError('TZ', `"${timeZone}" is not a time zone; use e.g. Europe/Amsterdam`);
  }

  const logLevel = (env.LOG_LEVEL || DEFAULTS.LOG_LEVEL).toLowerCase();
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `"${env.LOG_LEVEL}" is not one of debug, info, warn, error, silent`);
  }

  const defaultLanguage = (env.DEFAULT_LANGUAGE || DEFAULTS.DEFAULT_LANGUAGE).toLowerCase();
  if (!isLang(defaultLanguage)) throw new ConfigError('DEFAULT_LANGUAGE', `"${env.DEFAULT_LANGUAGE}" is not one of nl, en, tr, ar, pl, uk`);

  const worker = (env.WORKER || DEFAULTS.WORKER).toLowerCase();
  if (!['on', 'off'].includes(worker)) throw new ConfigError('WORKER', `"${env.WORKER}" must be on or off`);

  const telegram = {
    token: optional(env, 'TELEGRAM_BOT_TOKEN'),
    apiRoot: url(env, 'TELEGRAM_API_ROOT', ['http', 'https']),
    webhookUrl: url(env, 'TELEGRAM_WEBHOOK_URL', ['https', 'http']),
    webhookSecret: optional(env, 'TELEGRAM_WEBHOOK_SECRET'),
  };
  if (telegram.token && !/^\d+:[\w-]+$/.test(telegram.token)) {
    throw new ConfigError('TELEGRAM_BOT_TOKEN', 'does not look like a bot token (digits:letters, from @BotFather)');
  }
  if (telegram.webhookUrl && !telegram.token) throw new ConfigError('TELEGRAM_WEBHOOK_URL', 'needs TELEGRAM_BOT_TOKEN too');
  if (telegram.webhookUrl && !telegram.webhookSecret) {
    throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', 'is required in webhook mode (1-256 characters A-Z a-z 0-9 _ -)');
  }
  if (telegram.webhookSecret && !/^[\w-]{1,256}$/.test(telegram.webhookSecret)) {
    throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', 'use 1-256 characters A-Z a-z 0-9 _ -');
  }

  const microsoft = {
    appId: optional(env, 'MICROSOFT_APP_ID'),
    appPassword: optional(env, 'MICROSOFT_APP_PASSWORD'),
    tenantId: optional(env, 'MICROSOFT_APP_TENANT_ID'),
    appType: optional(env, 'MICROSOFT_APP_TYPE'),
  };
  if (microsoft.appType && !['MultiTenant', 'SingleTenant', 'UserAssignedMSI'].includes(microsoft.appType)) {
    throw new ConfigError('MICROSOFT_APP_TYPE', `"${microsoft.appType}" is not MultiTenant, SingleTenant or UserAssignedMSI`);
  }

  const maxOffers = Number(env.MAX_OFFERS || DEFAULTS.MAX_OFFERS);
  if (!Number.isInteger(maxOffers) || maxOffers < 1 || maxOffers > 50) throw new ConfigError('MAX_OFFERS', `"${env.MAX_OFFERS}" must be a whole number from 1 to 50`);

  return {
    redisUrl,
    maxOffers,
    keyPrefix,
    port,
    telegram,
    microsoft,
    offerTimeoutMs: duration(env, 'OFFER_TIMEOUT'),
    followUpAfterMs: duration(env, 'FOLLOW_UP_AFTER'),
    escalationSlaMs: duration(env, 'ESCALATION_SLA'),
    crisisEscalationSlaMs: duration(env, 'CRISIS_ESCALATION_SLA'),
    retentionMs: duration(env, 'RETENTION'),
    quietHours,
    timeZone,
    logLevel: logLevel as Config['logLevel'],
    defaultLanguage,
    worker: worker === 'on',
  };
}
