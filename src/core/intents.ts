/** Intent names from CONTRACTS.md. Keep them exactly. */
export const NEED_INTENTS = [
  'need.social_contact',
  'need.activities',
  'need.organize',
  'need.money',
  'need.language',
  'need.practical',
  'need.health',
  'need.wellbeing',
  'need.addiction',
  'need.work',
  'need.housing',
] as const;
export type NeedIntent = (typeof NEED_INTENTS)[number];

export const OTHER_INTENTS = [
  'volunteer.signup',
  'crisis',
  'ask.human',
  'greeting',
  'help',
  'stop',
  'privacy.delete',
  'thanks',
  'language.change',
  'affirm',
  'deny',
  'none',
] as const;

export const INTENTS = [...NEED_INTENTS, ...OTHER_INTENTS] as const;
export type Intent = (typeof INTENTS)[number];

export function isNeedIntent(value: unknown): value is NeedIntent {
  return typeof value === 'string' && (NEED_INTENTS as readonly string[]).includes(value);
}
