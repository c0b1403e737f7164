import type { NeedIntent } from '../core/intents.js';
import type { Lang } from '../core/lang.js';
import type { Wijken } from '../domain/wijken.js';

/**
 * Which volunteer gets the next offer: pure ranking, no I/O, the same in the
 * service and in the routing benchmark's simulated city.
 */

/** A volunteer as the matcher sees them (built from the registry's Helper plus live counters). */
export interface Candidate {
  id: string;
  languages: Lang[];
  wijk: string;
  /** Topics they like to help with; empty means "anything". */
  topics: NeedIntent[];
  /** How many open requests they can take at once. */
  capacity: number;
  /** Requests they hold now (the caller decides whether pending offers count; the service should count them). */
  openCount: number;
  status: 'invited' | 'active' | 'paused';
  /** When they last got an offer (ms epoch); never offered = waited longest. */
  lastOfferedAt?: number;
}

export interface MatchRequest {
  lang: Lang;
  wijk: string;
  /** The topics a volunteer is asked for (professional topics already left out by the caller). */
  topics: NeedIntent[];
  /** Volunteer ids who helped this resident before. */
  helpedBefore: string[];
  /** Volunteer ids already offered this request. */
  tried: string[];
}

export interface Ranked {
  id: string;
  /**
   * Summary of the first four criteria: 1000·continuity + 100·wijk (2 same, 1 near, 0 elsewhere)
   * + 10·topic fit + 9·free share of capacity. Never increases down the list; fair rotation and
   * the id break its ties.
   */
  score: number;
  /** Short machine-readable reasons for the request's event log, e.g. "wijk:same", "load:1/3". */
  reasons: string[];
}

const HOUR = 3_600_000;

interface Row {
  c: Candidate;
  continuity: boolean;
  /** 2 same wijk, 1 nearby, 0 elsewhere. */
  wijk: 0 | 1 | 2;
  /** Topics that fit, or 'any' (the volunteer takes anything or the request names none), or null. */
  fit: NeedIntent[] | 'any' | null;
  free: number;
  /** lastOfferedAt, with never offered as -Infinity (waited longest). */
  last: number;
}

function compare(a: Row, b: Row): number {
  if (a.continuity !== b.continuity) return a.continuity ? -1 : 1;
  if (a.wijk !== b.wijk) return b.wijk - a.wijk;
  const fa = a.fit !== null;
  const fb = b.fit !== null;
  if (fa !== fb) return fa ? -1 : 1;
  if (a.free !== b.free) return b.free - a.free;
  if (a.last !== b.last) return a.last < b.last ? -1 : 1;
  return a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0;
}

const WIJK_REASON = ['wijk:far', 'wijk:near', 'wijk:same'] as const;

/**
 * Available volunteers for a request, best first. Hard rules: active, speaks the
 * resident's language, has free capacity, not yet offered this request. Then, in
 * order: continuity (helped this resident before), same > nearby > other wijk,
 * fitting topics, most free capacity, waited longest since their last offer, id.
 */
export function rankVolunteers(request: MatchRequest, candidates: Candidate[], wijken: Pick<Wijken, 'isNear'>, now: number): Ranked[] {
  const helped = request.helpedBefore.length ? new Set(request.helpedBefore) : undefined;
  const tried = request.tried.length ? new Set(request.tried) : undefined;
  const wanted = request.topics;
  const rows: Row[] = [];
  for (const c of candidates) {
    if (c.status !== 'active' || !(c.openCount < c.capacity) || tried?.has(c.id) || !c.languages.includes(request.lang)) continue;
    const wijk = c.wijk === request.wijk ? 2 : wijken.isNear(request.wijk, c.wijk) || wijken.isNear(c.wijk, request.wijk) ? 1 : 0;
    let fit: Row['fit'];
    if (c.topics.length === 0 || wanted.length === 0) fit = 'any';
    else {
      const overlap = wanted.filter((t) => c.topics.includes(t));
      fit = overlap.length ? overlap : null;
    }
    rows.push({ c, continuity: helped?.has(c.id) ?? false, wijk, fit, free: (c.capacity - c.openCount) / c.capacity, last: c.lastOfferedAt ?? -Infinity });
  }
  rows.sort(compare);
  return rows.map((r) => {
    const reasons = [`language:${request.lang}`, WIJK_REASON[r.wijk]];
    if (r.fit === 'any') reasons.push('topic:any');
    else if (r.fit === null) reasons.push('topic:none');
    else for (const t of r.fit) reasons.push(`topic:${t}`);
    if (r.continuity) reasons.push('continuity');
    reasons.push(`load:${r.c.openCount}/${r.c.capacity}`);
    reasons.push(r.last === -Infinity ? 'waited:never' : `waited:${Math.max(0, Math.floor((now - r.last) / HOUR))}h`);
    const score = 1000 * (r.continuity ? 1 : 0) + 100 * r.wijk + 10 * (r.fit !== null ? 1 : 0) + Math.round(900 * r.free) / 100;
    return { id: r.c.id, score, reasons };
  });
}
