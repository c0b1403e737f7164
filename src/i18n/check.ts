import { LANGS, type Lang } from '../core/lang.js';
import { NEED_INTENTS } from '../core/intents.js';
import { keyPatternsOfStep, keysOfStep, type FlowSet } from '../engine/loader.js';
import type { Wijken } from '../domain/wijken.js';
import { flatKeys, type I18n } from './i18n.js';
import { TELEGRAM_KEYS } from '../channels/telegram/texts.js';

/** Keys the code itself sends (outside flows): apologies, retries, data-driven labels. */
export function codeKeys(wijken: Wijken): string[] {
  return [
    'common.retry_choice',
    'common.old_button',
    'common.unknown_command',
    'common.media_unsupported',
    'common.empty',
    'common.too_short',
    'common.too_long',
    'common.bad_phone',
    'common.error',
    'common.busy',
    'common.flood',
    'common.small_talk',
    'common.done',
    'common.ticked',
    'common.choose_some',
    'language.switch_offer',
    'common.emergency',
    ...LANGS.map((l) => `language.names.${l}`),
    ...NEED_INTENTS.map((i) => `topics.${i}`),
    'wijken.named',
    ...['volunteer', 'wijkwerker', 'coordinator'].map((role) => `join.roles.${role}`),
    ...wijken.all.filter((w) => !w.name).map((w) => `wijken.${w.id}`),
    ...TELEGRAM_KEYS,
  ];
}

/** What each `{each}` key pattern can be filled with; a pattern not listed here fails the check. */
export const PATTERN_VALUES: Record<string, readonly string[]> = {
  'topics.{}': NEED_INTENTS,
  'language.names.{}': LANGS,
  'contact.how.{}': ['chat', 'call', 'visit', 'meet'],
  'contact.when.{}': ['morning', 'afternoon', 'evening', 'anytime'],
  'escalation.reasons.{}': ['crisis', 'professional_topic', 'asked_for_human', 'no_volunteer', 'volunteer_escalated', 'follow_up_failed'],
};

/** Every key a flow or the code can send. Patterns like "topics.{}" expand over their values. */
export function usedKeys(flows: FlowSet, wijken: Wijken): Set<string> {
  const keys = new Set(codeKeys(wijken));
  for (const flow of flows.flows.values()) {
    for (const step of Object.values(flow.steps)) {
      for (const key of keysOfStep(step)) keys.add(key);
      for (const pattern of keyPatternsOfStep(step)) {
        const values = PATTERN_VALUES[pattern];
        if (!values) throw new Error(`${flow.id}: key pattern "${pattern}" has no known values (add it to PATTERN_VALUES)`);
        for (const value of values) keys.add(pattern.replace('{}', value));
      }
    }
  }
  return keys;
}

export interface LocaleProblem {
  lang: Lang;
  key: string;
  problem: 'missing' | 'empty' | 'extra' | 'variables';
}

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function variablesOf(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
}

/**
 * Checks the locales against what is used: every used key present and non-empty
 * in each language asked for, no keys nobody uses, and the same {{variables}} as Dutch.
 */
export function checkLocales(i18n: I18n, used: Set<string>, langs: readonly Lang[] = LANGS): LocaleProblem[] {
  const problems: LocaleProblem[] = [];
  const nlFlat = new Map<string, string>();
  for (const key of flatKeys(i18n.resources.nl)) nlFlat.set(key, String(key.split('.').reduce<any>((o, k) => o?.[k], i18n.resources.nl)));
  for (const lang of langs) {
    const tree = i18n.resources[lang] ?? {};
    const present = new Map<string, string>();
    for (const key of flatKeys(tree)) present.set(key, String(key.split('.').reduce<any>((o, k) => o?.[k], tree)));
    const base = new Set([...present.keys()].map((k) => k.replace(PLURAL_SUFFIX, '')));
    for (const key of used) {
      if (!base.has(key)) problems.push({ lang, key, problem: 'missing' });
    }
    for (const [key, value] of present) {
      const stem = key.replace(PLURAL_SUFFIX, '');
      if (!used.has(stem)) problems.push({ lang, key, problem: 'extra' });
      if (value.trim() === '') problems.push({ lang, key, problem: 'empty' });
      const dutch = nlFlat.get(key) ?? nlFlat.get(`${stem}_other`);
      if (dutch !== undefined && lang !== 'nl' && variablesOf(dutch).join() !== variablesOf(value).join()) {
        problems.push({ lang, key, problem: 'variables' });
      }
    }
  }
  return problems;
}
