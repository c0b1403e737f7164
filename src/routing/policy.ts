import type { NeedIntent } from '../core/intents.js';

/**
 * Who should take a request: pure decisions, the same in the service and in the
 * routing benchmark's simulated city.
 */

/** Topics that need a professional (wijkwerker): money trouble, addiction, serious health, eviction. */
export const PROFESSIONAL_TOPICS: ReadonlySet<NeedIntent> = new Set(['need.money', 'need.addiction', 'need.health']);

export interface RoutingPolicy {
  /** Declines plus expiries before the request goes to the wijkteam as "no volunteer found". */
  maxVolunteerAttempts: number;
  /** Topics that go to the wijkteam queue (a volunteer buddy may still be added). */
  professionalTopics: ReadonlySet<NeedIntent>;
}

export const DEFAULT_POLICY: RoutingPolicy = { maxVolunteerAttempts: 3, professionalTopics: PROFESSIONAL_TOPICS };

export interface RouteInput {
  topics: NeedIntent[];
  urgency: 'normal' | 'urgent';
  wantsHuman?: boolean;
  /** Words that point at eviction or a similar housing emergency (from the NLU or the wijkwerker). */
  housingEmergency?: boolean;
}

export interface RouteDecision {
  /** Try volunteers (first one at a time). */
  volunteer: boolean;
  /** Put it in the wijkteam queue; `urgent` for a crisis. */
  wijkteam: false | 'normal' | 'urgent';
  reason: 'crisis' | 'professional_topic' | 'asked_for_human' | 'volunteer_topic';
}

export function decideRoute(request: RouteInput, policy: RoutingPolicy = DEFAULT_POLICY): RouteDecision {
  if (request.urgency === 'urgent') return { volunteer: false, wijkteam: 'urgent', reason: 'crisis' };
  const professional = request.housingEmergency || request.topics.some((t) => policy.professionalTopics.has(t));
  const volunteerTopics = request.topics.filter((t) => !policy.professionalTopics.has(t));
  if (request.wantsHuman) return { volunteer: volunteerTopics.length > 0, wijkteam: 'normal', reason: 'asked_for_human' };
  // Money trouble together with a letter to read: the wijkteam for the debt, a volunteer for the letter.
  if (professional) return { volunteer: volunteerTopics.length > 0, wijkteam: 'normal', reason: 'professional_topic' };
  return { volunteer: true, wijkteam: false, reason: 'volunteer_topic' };
}

/** After a decline or an expired offer: try the next volunteer, or give up and escalate. */
export function afterFailedOffer(attempts: number, policy: RoutingPolicy = DEFAULT_POLICY): 'next' | 'escalate' {
  return attempts >= policy.maxVolunteerAttempts ? 'escalate' : 'next';
}
