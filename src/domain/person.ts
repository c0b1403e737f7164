import type { ConversationRef } from '../core/types.js';
import type { Lang } from '../core/lang.js';
import type { Versioned } from '../store/documents.js';

export type Role = 'resident' | 'volunteer' | 'wijkwerker' | 'coordinator';

/**
 * Someone who talks to the bot on a channel. Only created after consent: before
 * that, the conversation keeps just its language and step, and expires.
 */
export interface Person extends Versioned {
  id: string;
  role: Role;
  ref: ConversationRef;
  lang: Lang;
  consentAt: string;
  /** For volunteers and wijkwerkers: their record in the registry. */
  helperId?: string;
  createdAt: string;
}
