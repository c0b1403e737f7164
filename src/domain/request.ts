import type { Lang } from '../core/lang.js';
import type { NeedIntent } from '../core/intents.js';
import type { Versioned } from '../store/documents.js';

/**
 * new: stored, not routed yet · offered: waiting for a volunteer's answer · accepted: a volunteer has it ·
 * escalated: in the wijkteam queue (see `escalation`) · closed: an outcome is recorded.
 */
export type RequestStatus = 'new' | 'offered' | 'accepted' | 'escalated' | 'closed';
export const OUTCOMES = ['helped', 'referred', 'unreachable', 'not_needed'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type EscalationReason = 'crisis' | 'professional_topic' | 'asked_for_human' | 'no_volunteer' | 'volunteer_escalated' | 'follow_up_failed';

/** The wijkteam side of a request. Level 0: sent to the wijkwerkers; 1: reminded; 2: raised to the team lead. */
export interface Escalation {
  reason: EscalationReason;
  urgency: Urgency;
  status: 'open' | 'claimed' | 'resolved';
  level: number;
  at: string;
  claimedBy?: string;
}
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
  /** Volunteer (helper id) who accepted it. */
  assignedTo?: string;
  /** Volunteers offered so far, in order (declined or expired ones stay in the list). */
  attempts?: string[];
  /** The open offer, while status is `offered`. */
  offer?: string;
  escalation?: Escalation;
  outcome?: Outcome;
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
