/** The languages the bot speaks. Dutch is the source language (plain B1). */
export const LANGS = ['nl', 'en', 'tr', 'ar', 'pl', 'uk'] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** Maps a channel locale such as `nl-NL`, `en_GB` or `uk` onto one of our languages. */
export function langFromLocale(locale: string | undefined | null): Lang | undefined {
  if (!locale) return undefined;
  const base = locale.toLowerCase().split(/[-_]/)[0];
  return isLang(base) ? base : undefined;
}
