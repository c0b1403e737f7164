import type { Lang } from '../../core/lang.js';

/**
 * What the bot offers in Telegram's command menu, per language. The names are
 * aliases the flows already know (flows/commands.yaml); Telegram allows only
 * a-z, 0-9 and _ in them, so Arabic and Ukrainian use the English words.
 * Each entry's meaning picks its description: `telegram.commands.<meaning>`.
 */
export const COMMAND_MEANINGS = ['menu', 'language', 'help', 'privacy', 'stop'] as const;
export type CommandMeaning = (typeof COMMAND_MEANINGS)[number];

export const COMMAND_NAMES: Record<Lang, Record<CommandMeaning, string>> = {
  nl: { menu: 'menu', language: 'taal', help: 'hulp', privacy: 'privacy', stop: 'stop' },
  en: { menu: 'menu', language: 'language', help: 'help', privacy: 'privacy', stop: 'stop' },
  tr: { menu: 'menu', language: 'dil', help: 'yardim', privacy: 'privacy', stop: 'stop' },
  ar: { menu: 'menu', language: 'language', help: 'help', privacy: 'privacy', stop: 'stop' },
  pl: { menu: 'menu', language: 'jezyk', help: 'pomoc', privacy: 'privacy', stop: 'stop' },
  uk: { menu: 'menu', language: 'language', help: 'help', privacy: 'privacy', stop: 'stop' },
};

/** The answer to a button press whose data is forged or belongs to another chat. */
export const BUTTON_INVALID_KEY = 'telegram.button_invalid';

/** Every key the Telegram channel renders (for the locale check in src/i18n/check.ts). */
export const TELEGRAM_KEYS: readonly string[] = [BUTTON_INVALID_KEY, ...COMMAND_MEANINGS.map((m) => `telegram.commands.${m}`)];
