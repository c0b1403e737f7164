import type { Versioned } from '../store/documents.js';

/** An offer of one request to one volunteer (a referral), with its own life. */
export interface Offer extends Versioned {
  id: string;
  requestId: string;
  volunteerId: string;
  status: 'open' | 'accepted' | 'declined' | 'expired' | 'withdrawn';
  createdAt: string;
  expiresAt: string;
  answeredAt?: string;
  reason?: DeclineReason;
  /** Why this volunteer was chosen (matcher reasons), also in the request's event log. */
  why: string[];
}

export const DECLINE_REASONS = ['no_time', 'not_my_topic', 'too_far', 'other'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];
