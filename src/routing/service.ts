import type { Redis } from 'ioredis';
import { errorFields, log } from '../core/log.js';
import type { Helper } from '../domain/helper.js';
import type { DeclineReason, Offer } from '../domain/offer.js';
import type { Escalation, EscalationReason, HelpRequest, Outcome, Urgency } from '../domain/request.js';
import type { Wijken } from '../domain/wijken.js';
import type { Documents } from '../store/documents.js';
import type { Keys } from '../store/keys.js';
import type { TurnStore } from '../store/turn-store.js';
import { UnitOfWork } from '../store/unit-of-work.js';
import { logEvent } from '../store/request-log.js';
import { rankVolunteers, type Candidate } from './matcher.js';
import { Outbox, type OutboxItem, type TimerName } from './outbox.js';
import { afterFailedOffer, decideRoute, DEFAULT_POLICY, type RoutingPolicy } from './policy.js';

export interface RoutingTimes {
  offerTimeoutMs: number;
  followUpAfterMs: number;
  escalationSlaMs: number;
  crisisEscalationSlaMs: number;
  retentionMs: number;
}

export type AcceptResult =
  | { ok: true; request: HelpRequest; resident: string }
  | { ok: false; why: 'not_yours' | 'expired' | 'taken' | 'gone' };

export type ClaimResult = { ok: true; request: HelpRequest } | { ok: false; why: 'taken' | 'gone' | 'closed' };

/** The first name is what others see of a helper; the rest stays in the registry. */
export function firstName(helper: Pick<Helper, 'name'>): string {
  return helper.name.trim().split(/\s+/)[0] ?? helper.name;
}

/**
 * The closed loop: offers to volunteers, expiry, escalation to the wijkteam,
 * claims, follow-ups. Every method writes into a UnitOfWork with version checks;
 * the caller commits it (inside a person's turn, or alone for timers and the CLI).
 */
export class RoutingService {
  constructor(
    private readonly redis: Redis,
    private readonly docs: Documents,
    private readonly keys: Keys,
    private readonly turns: TurnStore,
    private readonly wijken: Wijken,
    private readonly times: RoutingTimes,
    private readonly policy: RoutingPolicy = DEFAULT_POLICY,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private out(work: UnitOfWork, item: OutboxItem): void {
    Outbox.add(work, this.keys, item);
  }

  private event(work: UnitOfWork, requestId: string, actor: string, type: string, data?: Record<string, unknown>): void {
    logEvent(work, this.keys, requestId, { at: this.clock().toISOString(), actor, type, ...(data ? { data } : {}) });
  }

  private timer(work: UnitOfWork, name: TimerName, id: string, delayMs: number, data: Record<string, unknown>): void {
    this.out(work, { type: 'timer', name, id, delayMs, data });
  }

  private cancel(work: UnitOfWork, name: TimerName, id: string): void {
    this.out(work, { type: 'cancel', name, id });
  }

  /** Runs `build` on a fresh unit of work and commits it; on a concurrent change, reads again and retries. */
  async run<T>(build: (work: UnitOfWork) => Promise<T>, attempts = 5): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const work = new UnitOfWork();
      const result = await build(work);
      if ((await this.turns.commitWork(work)) === 'ok') return result;
      if (attempt >= attempts) throw new Error('routing: too many concurrent changes');
    }
  }

  async request(id: string): Promise<HelpRequest | undefined> {
    return this.docs.get<HelpRequest>(this.keys.request(id));
  }

  async helper(id: string): Promise<Helper | undefined> {
    return this.docs.get<Helper>(this.keys.helper(id));
  }

  /** A helper's person id on a channel that can reach them (first bound, not unreachable). */
  async reach(helper: Helper): Promise<string | undefined> {
    for (const personId of helper.channels) {
      if ((await this.redis.sismember(this.keys.unreachable(), personId)) === 0) return personId;
    }
    return undefined;
  }

  /** Decides where a new request goes and starts it on its way. */
  async route(work: UnitOfWork, requestId: string): Promise<void> {
    const request = await this.request(requestId);
    if (!request || request.status !== 'new') return;
    if (request.kind === 'volunteer_signup') {
      await this.escalate(work, request, 'asked_for_human', 'normal', { keepStatus: false });
      return;
    }
    const decision = decideRoute({ topics: request.topics, urgency: request.urgency, wantsHuman: request.wantsHuman });
    let current = request;
    if (decision.wijkteam) {
      const reason: EscalationReason = decision.reason === 'crisis' ? 'crisis' : decision.reason === 'asked_for_human' ? 'asked_for_human' : 'professional_topic';
      current = await this.escalate(work, current, reason, decision.wijkteam, { keepStatus: decision.volunteer });
    }
    if (decision.volunteer) await this.offerNext(work, current);
  }

  /** Offers the request to the best volunteer not tried yet, or escalates when there is none. */
  async offerNext(work: UnitOfWork, request: HelpRequest): Promise<void> {
    const attempts = request.attempts ?? [];
    if (afterFailedOffer(attempts.length, this.policy) === 'escalate') {
      await this.escalate(work, { ...request, status: 'new', offer: undefined }, 'no_volunteer', 'normal');
      return;
    }
    const volunteers = await this.candidates();
    const helped = await this.redis.smembers(this.keys.helpedBy(request.resident));
    const ranked = rankVolunteers(
      // The volunteer is asked for the volunteer part; debts or addiction are the wijkteam's.
      { lang: request.lang, wijk: request.wijk, topics: request.topics.filter((t) => !this.policy.professionalTopics.has(t)), helpedBefore: helped, tried: attempts },
      volunteers.map((v) => v.candidate),
      this.wijken,
      this.clock().getTime(),
    );
    const best = ranked[0];
    const chosen = best ? volunteers.find((v) => v.candidate.id === best.id) : undefined;
    if (!best || !chosen) {
      await this.escalate(work, { ...request, status: 'new', offer: undefined }, 'no_volunteer', 'normal');
      return;
    }
    const now = this.clock();
    const offer: Offer = {
      v: 1,
      id: `o${now.getTime().toString(36)}${Math.random().toString(36).slice(2, 7)}`,
      requestId: request.id,
      volunteerId: best.id,
      status: 'open',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.times.offerTimeoutMs).toISOString(),
      why: best.reasons,
    };
    work.expectVersion(this.keys.offer(offer.id), 0);
    work.setJson(this.keys.offer(offer.id), offer);
    work.putVersioned<HelpRequest>(this.keys.request(request.id), { ...request, status: 'offered', offer: offer.id, attempts: [...attempts, best.id], updatedAt: now.toISOString() });
    work.write('ZADD', this.keys.lastOffered(), now.getTime(), best.id);
    // An open offer holds a place, so nobody gets more offers than they have room for.
    work.write('SADD', this.keys.helperOpen(best.id), request.id);
    this.event(work, request.id, 'system', 'offer.sent', { offer: offer.id, volunteer: best.id, why: best.reasons });
    this.out(work, {
      type: 'notify',
      person: chosen.personId,
      event: { name: 'referral.offer', data: { offer: offer.id, request: request.id, text: request.text, topics: request.topics, wijk: this.wijkName(request.wijk), lang: request.lang, contact_how: request.contact.how ?? 'chat' } },
    });
    this.timer(work, 'offer-expire', offer.id, this.times.offerTimeoutMs, { offer: offer.id });
    log.info('offer.sent', { request: request.id, offer: offer.id, volunteer: best.id });
  }

  private wijkName(id: string): string {
    return this.wijken.get(id)?.name ?? id;
  }

  private async candidates(): Promise<{ candidate: Candidate; personId: string }[]> {
    const ids = await this.redis.smembers(this.keys.helpers('volunteer'));
    if (ids.length === 0) return [];
    const helpers = await this.docs.getMany<Helper>(ids.map((id) => this.keys.helper(id)));
    const pipe = this.redis.pipeline();
    for (const id of ids) pipe.scard(this.keys.helperOpen(id));
    pipe.zrange(this.keys.lastOffered(), 0, '-1', 'WITHSCORES');
    pipe.smembers(this.keys.unreachable());
    const results = (await pipe.exec()) ?? [];
    const lastFlat = (results[ids.length]?.[1] as string[]) ?? [];
    const last = new Map<string, number>();
    for (let i = 0; i < lastFlat.length; i += 2) last.set(lastFlat[i], Number(lastFlat[i + 1]));
    const unreachable = new Set((results[ids.length + 1]?.[1] as string[]) ?? []);
    const out: { candidate: Candidate; personId: string }[] = [];
    helpers.forEach((helper, i) => {
      if (!helper) return;
      const personId = helper.channels.find((c) => !unreachable.has(c));
      if (!personId) return;
      out.push({
        personId,
        candidate: {
          id: helper.id,
          languages: helper.languages,
          wijk: helper.wijk,
          topics: helper.topics,
          capacity: helper.capacity,
          openCount: Number(results[i]?.[1] ?? 0),
          status: helper.status,
          lastOfferedAt: last.get(helper.id),
        },
      });
    });
    return out;
  }

  /** The volunteer says yes. Exactly one yes wins: the commit checks the versions of offer and request. */
  async accept(work: UnitOfWork, offerId: string, helperId: string): Promise<AcceptResult> {
    const offer = await this.docs.get<Offer>(this.keys.offer(offerId));
    if (!offer) return { ok: false, why: 'gone' };
    if (offer.volunteerId !== helperId) return { ok: false, why: 'not_yours' };
    if (offer.status === 'expired' || offer.status === 'withdrawn') return { ok: false, why: 'expired' };
    if (offer.status !== 'open') return { ok: false, why: 'taken' };
    const request = await this.request(offer.requestId);
    if (!request) return { ok: false, why: 'gone' };
    if (request.status !== 'offered' || request.offer !== offerId) return { ok: false, why: 'taken' };
    const now = this.clock().toISOString();
    const helper = await this.helper(helperId);
    work.putVersioned<Offer>(this.keys.offer(offerId), { ...offer, status: 'accepted', answeredAt: now });
    const accepted = work.putVersioned<HelpRequest>(this.keys.request(request.id), { ...request, status: 'accepted', assignedTo: helperId, offer: undefined, updatedAt: now });
    work.write('SADD', this.keys.helperOpen(helperId), request.id);
    work.write('SADD', this.keys.helpedBy(request.resident), helperId);
    this.event(work, request.id, helperId, 'offer.accepted', { offer: offerId });
    this.cancel(work, 'offer-expire', offerId);
    const volunteerPerson = helper ? await this.reach(helper) : undefined;
    this.out(work, {
      type: 'notify',
      person: request.resident,
      event: { name: 'referral.accepted', data: { request: request.id, name: helper ? firstName(helper) : '', peer: volunteerPerson ?? '', how: request.contact.how ?? 'chat' } },
    });
    this.timer(work, 'follow-up', request.id, this.times.followUpAfterMs, { request: request.id });
    return { ok: true, request: accepted, resident: request.resident };
  }

  async decline(work: UnitOfWork, offerId: string, helperId: string, reason: DeclineReason): Promise<'ok' | 'not_yours' | 'gone' | 'closed'> {
    const offer = await this.docs.get<Offer>(this.keys.offer(offerId));
    if (!offer) return 'gone';
    if (offer.volunteerId !== helperId) return 'not_yours';
    if (offer.status !== 'open') return 'closed';
    const request = await this.request(offer.requestId);
    work.putVersioned<Offer>(this.keys.offer(offerId), { ...offer, status: 'declined', answeredAt: this.clock().toISOString(), reason });
    work.write('SREM', this.keys.helperOpen(helperId), offer.requestId);
    this.cancel(work, 'offer-expire', offerId);
    if (!request || request.offer !== offerId) return 'ok';
    this.event(work, request.id, helperId, 'offer.declined', { offer: offerId, reason });
    await this.offerNext(work, { ...request, offer: undefined });
    return 'ok';
  }

  /** Timer: nobody answered in time. The old buttons now say so, and the next volunteer gets it. */
  async expire(work: UnitOfWork, offerId: string): Promise<void> {
    const offer = await this.docs.get<Offer>(this.keys.offer(offerId));
    if (!offer || offer.status !== 'open') return;
    work.putVersioned<Offer>(this.keys.offer(offerId), { ...offer, status: 'expired', answeredAt: this.clock().toISOString() });
    work.write('SREM', this.keys.helperOpen(offer.volunteerId), offer.requestId);
    const helper = await this.helper(offer.volunteerId);
    const person = helper ? await this.reach(helper) : undefined;
    if (person) this.out(work, { type: 'notify', person, event: { name: 'referral.expired', data: { offer: offerId } } });
    const request = await this.request(offer.requestId);
    if (!request || request.offer !== offerId) return;
    this.event(work, request.id, 'system', 'offer.expired', { offer: offerId, volunteer: offer.volunteerId });
    await this.offerNext(work, { ...request, offer: undefined });
  }

  /**
   * Puts a request in the wijkteam queue and tells the wijkwerkers of its wijk
   * (all of them when the wijk has none). `keepStatus`: a volunteer is also being sought.
   */
  async escalate(
    work: UnitOfWork,
    request: HelpRequest,
    reason: EscalationReason,
    urgency: Urgency,
    options: { keepStatus?: boolean } = {},
  ): Promise<HelpRequest> {
    if (request.escalation && request.escalation.status !== 'resolved' && request.escalation.urgency === urgency) return request;
    const now = this.clock().toISOString();
    const escalation: Escalation = { reason, urgency, status: 'open', level: 0, at: now };
    const next: HelpRequest = { ...request, escalation, status: options.keepStatus ? request.status : 'escalated', updatedAt: now };
    const stored = work.putVersioned<HelpRequest>(this.keys.request(request.id), next);
    work.write('ZADD', this.keys.escalations(), urgency === 'urgent' ? 0 : Date.parse(now), request.id);
    this.event(work, request.id, 'system', 'escalation.opened', { reason, urgency });
    await this.notifyWijkteam(work, stored, "escalation.new", 0, false);
    const sla = urgency === 'urgent' ? this.times.crisisEscalationSlaMs : this.times.escalationSlaMs;
    this.timer(work, 'escalation-sla', `${request.id}:1`, sla, { request: request.id, level: 1 });
    log.info('escalation.opened', { request: request.id, reason, urgency });
    return stored;
  }

  private async notifyWijkteam(work: UnitOfWork, request: HelpRequest, name: string, level: number, includeLead: boolean): Promise<number> {
    const ids = await this.redis.smembers(this.keys.helpers('wijkwerker'));
    const all = (await this.docs.getMany<Helper>(ids.map((id) => this.keys.helper(id)))).filter((h): h is Helper => !!h && h.status === 'active');
    const local = all.filter((h) => h.wijk === request.wijk || this.wijken.isNear(h.wijk, request.wijk));
    const targets = level === 0 && local.length > 0 ? local : all;
    if (includeLead) {
      const leadIds = await this.redis.smembers(this.keys.helpers('coordinator'));
      targets.push(...(await this.docs.getMany<Helper>(leadIds.map((id) => this.keys.helper(id)))).filter((h): h is Helper => !!h && h.status === 'active'));
    }
    let sent = 0;
    const data = {
      request: request.id,
      text: request.text,
      topics: request.topics,
      wijk: this.wijkName(request.wijk),
      lang: request.lang,
      urgent: request.urgency === 'urgent' ? 'yes' : 'no',
      reason: request.escalation?.reason ?? 'crisis',
      level,
    };
    // One read of who is unreachable for all of them, not a round trip per wijkwerker.
    const unreachable = new Set(await this.redis.smembers(this.keys.unreachable()));
    for (const helper of targets) {
      const person = helper.channels.find((c) => !unreachable.has(c));
      if (!person) continue;
      this.out(work, { type: 'notify', person, event: { name, data } });
      sent += 1;
    }
    if (sent === 0) log.error('escalation.nobody_to_tell', { request: request.id });
    return sent;
  }

  /** Timer: the escalation is still unclaimed. Level 1: everyone and the team lead; level 2: the team lead again. */
  async escalationOverdue(work: UnitOfWork, requestId: string, level: number): Promise<void> {
    const request = await this.request(requestId);
    if (!request?.escalation || request.escalation.status !== 'open') return;
    work.putVersioned<HelpRequest>(this.keys.request(request.id), { ...request, escalation: { ...request.escalation, level } });
    this.event(work, request.id, 'system', 'escalation.overdue', { level });
    await this.notifyWijkteam(work, request, 'escalation.new', level, true);
    if (request.urgency === 'urgent') this.out(work, { type: 'notify', person: request.resident, event: { name: 'crisis.reassure', data: { request: request.id } } });
    if (level < 2) {
      const sla = request.urgency === 'urgent' ? this.times.crisisEscalationSlaMs : this.times.escalationSlaMs;
      this.timer(work, 'escalation-sla', `${request.id}:${level + 1}`, sla, { request: request.id, level: level + 1 });
    }
  }

  async claim(work: UnitOfWork, requestId: string, helperId: string): Promise<ClaimResult> {
    const request = await this.request(requestId);
    if (!request?.escalation) return { ok: false, why: 'gone' };
    if (request.escalation.status === 'resolved') return { ok: false, why: 'closed' };
    if (request.escalation.status === 'claimed' && request.escalation.claimedBy !== helperId) return { ok: false, why: 'taken' };
    const claimed = work.putVersioned<HelpRequest>(this.keys.request(request.id), { ...request, escalation: { ...request.escalation, status: 'claimed', claimedBy: helperId }, updatedAt: this.clock().toISOString() });
    this.event(work, request.id, helperId, 'escalation.claimed');
    for (const level of [1, 2]) this.cancel(work, 'escalation-sla', `${request.id}:${level}`);
    const helper = await this.helper(helperId);
    this.out(work, { type: 'notify', person: request.resident, event: { name: 'escalation.claimed', data: { request: request.id, name: helper ? firstName(helper) : '' } } });
    return { ok: true, request: claimed };
  }

  async resolve(work: UnitOfWork, requestId: string, helperId: string, handBack: boolean): Promise<ClaimResult> {
    const request = await this.request(requestId);
    if (!request?.escalation) return { ok: false, why: 'gone' };
    if (request.escalation.status === 'resolved') return { ok: false, why: 'closed' };
    if (request.escalation.claimedBy && request.escalation.claimedBy !== helperId) return { ok: false, why: 'taken' };
    const now = this.clock().toISOString();
    const escalation = { ...request.escalation, status: 'resolved' as const, claimedBy: request.escalation.claimedBy ?? helperId };
    work.write('ZREM', this.keys.escalations(), request.id);
    for (const level of [1, 2]) this.cancel(work, 'escalation-sla', `${request.id}:${level}`);
    if (handBack) {
      // Back to the volunteers: a fresh round of offers, the wijkwerker's part done.
      const next = work.putVersioned<HelpRequest>(this.keys.request(request.id), { ...request, escalation, status: 'new', wantsHuman: false, urgency: 'normal', topics: request.topics.filter((t) => !this.policy.professionalTopics.has(t)), attempts: [], updatedAt: now });
      this.event(work, request.id, helperId, 'escalation.handed_back');
      this.out(work, { type: 'route', requestId: request.id });
      return { ok: true, request: next };
    }
    const closed = request.status === 'accepted' ? request.status : 'closed';
    const next = work.putVersioned<HelpRequest>(this.keys.request(request.id), { ...request, escalation, status: closed, ...(closed === 'closed' ? { outcome: 'helped' as Outcome } : {}), updatedAt: now });
    this.event(work, request.id, helperId, 'escalation.resolved');
    if (closed === 'closed') this.retain(work, request.id);
    return { ok: true, request: next };
  }

  /** A volunteer's outcome closes the request (an outcome is required to close). */
  async close(work: UnitOfWork, requestId: string, helperId: string, outcome: Outcome): Promise<'ok' | 'not_yours' | 'closed' | 'gone'> {
    const request = await this.request(requestId);
    if (!request) return 'gone';
    if (request.assignedTo !== helperId) return 'not_yours';
    if (request.status === 'closed') return 'closed';
    work.putVersioned<HelpRequest>(this.keys.request(request.id), { ...request, status: 'closed', outcome, updatedAt: this.clock().toISOString() });
    work.write('SREM', this.keys.helperOpen(helperId), request.id);
    this.event(work, request.id, helperId, 'request.closed', { outcome });
    this.cancel(work, 'follow-up', request.id);
    this.out(work, { type: 'notify', person: request.resident, event: { name: 'referral.closed', data: { request: request.id } } });
    this.retain(work, request.id);
    return 'ok';
  }

  /** Closed requests are kept for RETENTION, then Redis forgets them. */
  private retain(work: UnitOfWork, requestId: string): void {
    const ttl = Math.ceil(this.times.retentionMs / 1000);
    work.write('EXPIRE', this.keys.requestEvents(requestId), ttl);
    // The document itself gets its expiry after the commit wrote it (EXPIRE after SET in the same script).
    work.write('EXPIRE', this.keys.request(requestId), ttl);
  }

  /** Timer: days after acceptance, ask the resident (and the volunteer, when no outcome yet) how it went. */
  async followUp(work: UnitOfWork, requestId: string): Promise<void> {
    const request = await this.request(requestId);
    if (!request || request.status !== 'accepted') return;
    const helper = request.assignedTo ? await this.helper(request.assignedTo) : undefined;
    this.event(work, request.id, 'system', 'follow_up.sent');
    this.out(work, { type: 'notify', person: request.resident, event: { name: 'followup.ask', data: { request: request.id, name: helper ? firstName(helper) : '' } } });
    const person = helper ? await this.reach(helper) : undefined;
    if (person) this.out(work, { type: 'notify', person, event: { name: 'followup.volunteer', data: { request: request.id } } });
  }

  /** The resident's answer to the follow-up. No contact: another volunteer. Not helped: the wijkteam. */
  async followUpAnswer(work: UnitOfWork, requestId: string, residentId: string, contact: boolean, solved: boolean): Promise<void> {
    const request = await this.request(requestId);
    if (!request || request.resident !== residentId || request.status === 'closed') return;
    this.event(work, request.id, residentId, 'follow_up.answered', { contact, solved });
    if (solved) {
      if (request.assignedTo) await this.close(work, request.id, request.assignedTo, 'helped');
      return;
    }
    if (!contact) {
      if (request.assignedTo) work.write('SREM', this.keys.helperOpen(request.assignedTo), request.id);
      await this.offerNext(work, { ...request, status: 'new', assignedTo: undefined });
      return;
    }
    await this.escalate(work, request, 'follow_up_failed', 'normal', { keepStatus: true });
  }

  /** A volunteer says "this is more than I can do": the wijkteam joins in, the volunteer stays. */
  async volunteerEscalates(work: UnitOfWork, requestId: string, helperId: string): Promise<boolean> {
    const request = await this.request(requestId);
    if (!request || request.assignedTo !== helperId || request.status === 'closed') return false;
    await this.escalate(work, request, 'volunteer_escalated', 'normal', { keepStatus: true });
    return true;
  }

  /** Timer entry point, used by the worker. */
  async onTimer(name: TimerName, data: Record<string, unknown>): Promise<void> {
    try {
      if (name === 'offer-expire') await this.run((work) => this.expire(work, String(data.offer)));
      else if (name === 'follow-up') await this.run((work) => this.followUp(work, String(data.request)));
      else if (name === 'escalation-sla') await this.run((work) => this.escalationOverdue(work, String(data.request), Number(data.level)));
    } catch (error) {
      log.error('timer.failed', { name, ...errorFields(error) });
      throw error;
    }
  }
}
