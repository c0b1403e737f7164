import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n as I18nInstance } from 'i18next';
import { LANGS, type Lang } from '../core/lang.js';
import type { Reply, RenderedMessage, Text, TextVar } from '../core/types.js';

export type Resources = Record<Lang, Record<string, unknown>>;

/** Phone numbers, web addresses and /commands: left-to-right islands inside right-to-left text. */
const LTR_RUN = /(\/[A-Za-z]\w*|\+?\d[\d .-]*\d(?:\.[a-z]{2,})?|\d+\.[a-z]{2,}|\b[a-z0-9-]+\.(?:nl|com|org)\b)/g;

/**
 * Wraps left-to-right runs in Unicode isolates (LRI … PDI), so that "0800-0113"
 * does not show as "0113-0800" in an Arabic message on any client.
 */
export function isolateLtr(text: string): string {
  return text.replace(LTR_RUN, '\u2066$1\u2069');
}

/** Reads locales/<lang>/<file>.json; each file's keys live under its file name ("intake.json" → "intake.…"). */
export function readLocales(dir: string): Resources {
  const out = {} as Resources;
  for (const lang of LANGS) {
    out[lang] = {};
    const folder = join(dir, lang);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
      out[lang][file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(folder, file), 'utf8'));
    }
  }
  return out;
}

/** Flattens nested resources to "a.b.c" keys (plural suffixes kept as they are). */
export function flatKeys(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    value && typeof value === 'object' ? flatKeys(value as Record<string, unknown>, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

/**
 * Renders channel-neutral texts in a person's language. Missing keys fall back
 * to Dutch, the source language; the locale check test keeps that from happening.
 */
export class I18n {
  private readonly i18n: I18nInstance;
  private readonly lists = new Map<Lang, Intl.ListFormat>();

  constructor(readonly resources: Resources) {
    this.i18n = i18next.createInstance();
    this.i18n.init({
      resources: Object.fromEntries(Object.entries(resources).map(([lang, tree]) => [lang, { translation: tree }])),
      lng: 'nl',
      fallbackLng: 'nl',
      supportedLngs: [...LANGS],
      initAsync: false,
      // Channels escape for their own markup (Telegram HTML); here texts stay plain.
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }

  static load(dir: string): I18n {
    return new I18n(readLocales(dir));
  }

  has(key: string, lang: Lang): boolean {
    return this.i18n.exists(key, { lng: lang, fallbackLng: false });
  }

  t(key: string, lang: Lang, vars?: Record<string, unknown>): string {
    return this.i18n.t(key, { lng: lang, ...vars }) as string;
  }

  private renderVar(value: TextVar, lang: Lang): string | number {
    if (typeof value === 'string' || typeof value === 'number') return value;
    if (Array.isArray(value)) {
      let list = this.lists.get(lang);
      if (!list) this.lists.set(lang, (list = new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' })));
      return list.format(value.map((item) => String(this.renderVar(item, lang))).filter(Boolean));
    }
    return this.text(value, lang);
  }

  text(text: Text, lang: Lang): string {
    if (text.multilingual) {
      // The first question, before we know the language: say it in all of ours, the chosen default first.
      const order = Array.isArray(text.multilingual) ? text.multilingual : [lang, ...LANGS.filter((l) => l !== lang)];
      return [...new Set(order.map((l) => this.text({ key: text.key, vars: text.vars }, l)))].join('\n');
    }
    const vars: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(text.vars ?? {})) vars[name] = this.renderVar(value, lang);
    // i18next picks the plural form from `count` (Arabic six forms, Polish/Ukrainian four).
    if (typeof vars.count !== 'number' && typeof vars.max === 'number') vars.count = vars.max;
    return this.t(text.key, lang, vars);
  }

  private readonly dirs = new Map<Lang, 'ltr' | 'rtl'>();

  dir(lang: Lang): 'ltr' | 'rtl' {
    let dir = this.dirs.get(lang);
    if (!dir) this.dirs.set(lang, (dir = this.i18n.dir(lang) === 'rtl' ? 'rtl' : 'ltr'));
    return dir;
  }

  render(reply: Reply, lang: Lang): RenderedMessage {
    const rtl = this.dir(lang) === 'rtl';
    const text = reply.text.map((t) => this.text(t, lang)).join('\n\n');
    return {
      text: rtl ? isolateLtr(text) : text,
      buttons: (reply.buttons ?? []).map((b) => ({ id: b.id, kind: b.kind, label: this.text(b.label, lang) })),
      lang,
      rtl,
      ...(reply.media ? { media: reply.media } : {}),
    };
  }
}
