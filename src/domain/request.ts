import type { Lang } from '../core/lang.js';
import type { NeedIntent } from '../core/intents.js';
import type { Versioned } from '../store/documents.js';

export type RequestStatus = 'new' | 'offered' | 'accepted' | 'escalated' | 'closed';
export type Urgency = 'normal' | 'urgent';

/** A request for help (hulpvraag), in the resident's own words. */
export interface HelpRequest extends Versioned {
  id: string;
  /** The person id of the resident. */
  resident: string;
  /** The resident's own words; empty when they only tapped a topic. */
  text: string;
  topics: NeedIntent[];
  wijk: string;
  lang: Lang;
  status: RequestStatus;
  urgency: Urgency;
  contact: { how?: string; when?: string; phone?: string };
  /** The resident asked for a real person (a wijkwerker), not only a volunteer. */
  wantsHuman?: boolean;
  /** Not a need but an offer: the resident wants to become a volunteer. */
  kind?: 'volunteer_signup';
  createdAt: string;
  updatedAt: string;
}

/** One line of a request's append-only event log: who did what, when. No message text. */
export interface RequestEvent {
  at: string;
  actor: string;
  type: string;
  data?: Record<string, unknown>;
}

/** Short, sortable, unguessable enough for a request id: time part + random part. */
export function newRequestId(now: Date, random: () => number = Math.random): string {
  const rand = Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0');
  return `r${now.getTime().toString(36)}${rand}`;
}
