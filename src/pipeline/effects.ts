import type { ConversationRef } from '../core/types.js';
import { isLang, type Lang } from '../core/lang.js';
import { isNeedIntent, type NeedIntent } from '../core/intents.js';
import { log } from '../core/log.js';
import type { Effect } from '../engine/engine.js';
import type { Person } from '../domain/person.js';
import type { Helper } from '../domain/helper.js';
import { newRequestId, OUTCOMES, type HelpRequest } from '../domain/request.js';
import { DECLINE_REASONS } from '../domain/offer.js';
import type { Documents } from '../store/documents.js';
import type { Keys } from '../store/keys.js';
import type { UnitOfWork } from '../store/unit-of-work.js';
import { addErasure } from '../store/people.js';
import { logEvent } from '../store/request-log.js';
import type { Redis } from 'ioredis';
import type { RoutingService } from '../routing/service.js';
import { Outbox } from '../routing/outbox.js';

/** What an effect may use: the turn's unit of work (committed atomically with the session) and read access. */
export interface EffectContext {
  now: Date;
  ref: ConversationRef;
  personId: string;
  lang: Lang;
  vars: Record<string, unknown>;
  work: UnitOfWork;
  keys: Keys;
  docs: Documents;
  redis: Redis;
  retentionSec: number;
  routing?: RoutingService;
}

export interface EffectOutcome {
  /** Values to put into the conversation's vars (e.g. the id of a stored request). */
  setVars?: Record<string, unknown>;
  /** Delete the conversation's session instead of saving it (erasure). */
  dropSession?: boolean;
  /** Counters for /metrics. */
  count?: string;
  /** An answer for a flow that waits on this effect (a `wait` step), fed back in the same turn. */
  event?: { name: string; data?: Record<string, unknown> };
}

export type EffectHandler = (effect: Effect, ctx: EffectContext) => Promise<EffectOutcome | void>;


function storeRequest(ctx: EffectContext, request: HelpRequest, eventType: string): void {
  ctx.work.setJson(ctx.keys.request(request.id), request);
  ctx.work.write('ZADD', ctx.keys.requests(), ctx.now.getTime(), request.id);
  ctx.work.write('SADD', ctx.keys.requestsOf(request.resident), request.id);
  logEvent(ctx.work, ctx.keys, request.id, {
    at: ctx.now.toISOString(),
    actor: request.resident,
    type: eventType,
    data: { topics: request.topics, wijk: request.wijk, lang: request.lang, urgency: request.urgency },
  });
}

function needTopics(value: unknown): NeedIntent[] {
  return Array.isArray(value) ? [...new Set(value.filter(isNeedIntent))] : [];
}

async function erasePerson(ctx: EffectContext): Promise<void> {
  await addErasure(ctx.redis, ctx.keys, ctx.personId, ctx.work);
}

/** The effects the flows may emit. A flow naming any other effect fails validation at start-up. */
export const EFFECTS: Record<string, EffectHandler> = {
  async 'consent.give'(_effect, ctx) {
    const existing = await ctx.docs.get<Person>(ctx.keys.person(ctx.personId));
    const person: Person = {
      v: (existing?.v ?? 0) + 1,
      id: ctx.personId,
      role: existing?.role ?? 'resident',
      ref: ctx.ref,
      lang: ctx.lang,
      consentAt: ctx.now.toISOString(),
      ...(existing?.helperId ? { helperId: existing.helperId } : {}),
      createdAt: existing?.createdAt ?? ctx.now.toISOString(),
    };
    ctx.work.setJson(ctx.keys.person(ctx.personId), person);
    ctx.work.write('SADD', ctx.keys.people(), ctx.personId);
  },

  async 'consent.refuse'(_effect, ctx) {
    // Refusing means nothing personal stays; the session keeps only language and step, and expires.
    await erasePerson(ctx);
  },

  async 'person.language'(effect, ctx) {
    const existing = await ctx.docs.get<Person>(ctx.keys.person(ctx.personId));
    if (!existing) return;
    ctx.work.setJson(ctx.keys.person(ctx.personId), { ...existing, v: existing.v + 1, lang: effect.args.lang ?? existing.lang });
  },

  async 'request.create'(effect, ctx) {
    const { text, topics, wijk, contact, wants_human, volunteer } = effect.args as {
      text?: string;
      topics?: unknown;
      wijk?: string;
      contact?: HelpRequest['contact'];
      wants_human?: boolean;
      volunteer?: boolean;
    };
    const request: HelpRequest = {
      v: 1,
      id: newRequestId(ctx.now),
      resident: ctx.personId,
      text: typeof text === 'string' ? text : '',
      topics: needTopics(topics),
      wijk: typeof wijk === 'string' ? wijk : 'elders',
      lang: ctx.lang,
      status: 'new',
      urgency: 'normal',
      contact: { how: contact?.how, when: contact?.when, ...(contact?.phone ? { phone: contact.phone } : {}) },
      ...(wants_human === true ? { wantsHuman: true } : {}),
      ...(volunteer === true ? { kind: 'volunteer_signup' as const } : {}),
      createdAt: ctx.now.toISOString(),
      updatedAt: ctx.now.toISOString(),
    };
    storeRequest(ctx, request, 'created');
    Outbox.add(ctx.work, ctx.keys, { type: 'route', requestId: request.id });
    log.info('request.created', { request: request.id, topics: request.topics, wijk: request.wijk, lang: request.lang });
    return { setVars: { last_request: request.id }, count: 'requests_created_total' };
  },

  async 'escalation.urgent'(effect, ctx) {
    // Stored even without consent: protecting someone's life is a vital interest (AVG art. 6(1)(d)).
    const request: HelpRequest = {
      v: 1,
      id: newRequestId(ctx.now),
      resident: ctx.personId,
      text: typeof effect.args.text === 'string' ? effect.args.text : '',
      topics: [],
      wijk: typeof ctx.vars.wijk === 'string' ? ctx.vars.wijk : 'elders',
      lang: ctx.lang,
      status: 'new',
      urgency: 'urgent',
      contact: {},
      createdAt: ctx.now.toISOString(),
      updatedAt: ctx.now.toISOString(),
    };
    storeRequest(ctx, request, 'crisis.detected');
    // Routing sends it to the wijkwerkers at once (never to a volunteer) and keeps the deadline.
    Outbox.add(ctx.work, ctx.keys, { type: 'route', requestId: request.id });
    // The resident must be reachable by the wijkteam, so their conversation reference is kept with the request.
    ctx.work.setJson(ctx.keys.person(ctx.personId), {
      v: 1,
      id: ctx.personId,
      role: 'resident',
      ref: ctx.ref,
      lang: ctx.lang,
      consentAt: typeof ctx.vars.consent === 'string' && ctx.vars.consent === 'yes' ? ctx.now.toISOString() : '',
      createdAt: ctx.now.toISOString(),
      ...((await ctx.docs.get<Person>(ctx.keys.person(ctx.personId))) ?? {}),
    });
    ctx.work.write('SADD', ctx.keys.people(), ctx.personId);
    log.warn('escalation.urgent', { request: request.id, channel: ctx.ref.channel });
    return { setVars: { crisis_request: request.id }, count: 'crisis_total' };
  },

  async 'escalation.contact'(effect, ctx) {
    const id = ctx.vars.crisis_request;
    if (typeof id !== 'string') return;
    logEvent(ctx.work, ctx.keys, id, {
      at: ctx.now.toISOString(),
      actor: ctx.personId,
      type: effect.args.allowed ? 'resident.contact_allowed' : 'resident.contact_declined',
    });
  },

  async 'person.erase'(_effect, ctx) {
    await erasePerson(ctx);
    log.info('person.erased', { channel: ctx.ref.channel });
    return { dropSession: true };
  },
};

/** Single-use invite codes: taken with GETDEL at once, so two people can never both use one. */
EFFECTS['invite.redeem'] = async (effect, ctx) => {
  const code = String(effect.args.code ?? '').trim().toUpperCase();
  const helperId = /^[A-Z0-9]{4,16}$/.test(code) ? await ctx.redis.getdel(ctx.keys.invite(code)) : null;
  const helper = helperId ? await ctx.docs.get<Helper>(ctx.keys.helper(helperId)) : undefined;
  if (!helper) {
    log.info('invite.refused', { channel: ctx.ref.channel });
    return { event: { name: 'invite.result', data: { ok: false } } };
  }
  const channels = [...new Set([...helper.channels, ctx.personId])];
  ctx.work.setJson(ctx.keys.helper(helper.id), { ...helper, v: helper.v + 1, channels, status: helper.status === 'invited' ? 'active' : helper.status });
  ctx.work.write('SET', ctx.keys.helperByChannel(ctx.personId), helper.id);
  const lang = isLang(ctx.vars.lang) ? ctx.vars.lang : helper.languages[0] ?? ctx.lang;
  const existing = await ctx.docs.get<Person>(ctx.keys.person(ctx.personId));
  const person: Person = {
    v: (existing?.v ?? 0) + 1,
    id: ctx.personId,
    role: helper.role,
    ref: ctx.ref,
    lang,
    consentAt: ctx.now.toISOString(),
    helperId: helper.id,
    createdAt: existing?.createdAt ?? ctx.now.toISOString(),
  };
  ctx.work.setJson(ctx.keys.person(ctx.personId), person);
  ctx.work.write('SADD', ctx.keys.people(), ctx.personId);
  log.info('invite.redeemed', { helper: helper.id, role: helper.role, channel: ctx.ref.channel });
  // Helpers agreed to be registered when they took the code; their first name is what residents will see.
  return {
    setVars: { role: helper.role, helper_id: helper.id, helper_name: helper.name.split(' ')[0], consent: 'yes', lang },
    event: {
      name: 'invite.result',
      data: {
        ok: true,
        name: helper.name.split(' ')[0],
        role_label: { key: `join.roles.${helper.role}` },
        helper: { languages: helper.languages, wijk: helper.wijk, topics: helper.topics, capacity: String(helper.capacity) },
      },
    },
  };
};

/* ---- The closed loop: requests to routing, offers, escalations, relay, follow-up. ---- */

function routingOf(ctx: EffectContext): RoutingService {
  if (!ctx.routing) throw new Error('routing is not wired into this pipeline');
  return ctx.routing;
}

/** The helper record behind this conversation: from the session, or (after it expired) from the registry's channel index. */
async function helperOf(ctx: EffectContext): Promise<string> {
  const id = ctx.vars.helper_id;
  if (typeof id === 'string' && id) return id;
  return (await ctx.redis.get(ctx.keys.helperByChannel(ctx.personId))) ?? '';
}

/** A result event for a flow that `wait`s on it. */
function answer(name: string, data: Record<string, unknown>, setVars?: Record<string, unknown>): EffectOutcome {
  return { event: { name, data }, ...(setVars ? { setVars } : {}) };
}

EFFECTS['referral.accept'] = async (effect, ctx) => {
  const result = await routingOf(ctx).accept(ctx.work, String(effect.args.offer ?? ''), await helperOf(ctx));
  if (!result.ok) return answer('referral.accept_result', { ok: false, why: result.why });
  const r = result.request;
  return answer(
    'referral.accept_result',
    { ok: true, request: r.id, text: r.text, how: { key: `contact.how.${r.contact.how ?? 'chat'}` }, when: { key: `contact.when.${r.contact.when ?? 'anytime'}` }, phone: r.contact.phone ?? '', lang: { key: `language.names.${r.lang}` } },
    { relay: { peer: result.resident, request: r.id, name: '' } },
  );
};

EFFECTS['referral.decline'] = async (effect, ctx) => {
  const reason = String(effect.args.reason ?? 'other');
  const status = await routingOf(ctx).decline(ctx.work, String(effect.args.offer ?? ''), await helperOf(ctx), DECLINE_REASONS.find((r) => r === reason) ?? 'other');
  return answer('referral.decline_result', { ok: status === 'ok', why: status });
};

EFFECTS['referral.close'] = async (effect, ctx) => {
  const outcome = OUTCOMES.find((o) => o === effect.args.outcome);
  if (!outcome) return answer('referral.close_result', { ok: false, why: 'no_outcome' });
  const status = await routingOf(ctx).close(ctx.work, String(effect.args.request ?? ''), await helperOf(ctx), outcome);
  const relay = ctx.vars.relay as { request?: string } | undefined;
  const endsRelay = status === 'ok' && relay?.request === effect.args.request;
  return { ...answer('referral.close_result', { ok: status === 'ok', why: status }), ...(endsRelay ? { setVars: { relay: undefined } } : {}) };
};

EFFECTS['referral.escalate'] = async (effect, ctx) => {
  const ok = await routingOf(ctx).volunteerEscalates(ctx.work, String(effect.args.request ?? ''), await helperOf(ctx));
  return answer('referral.escalate_result', { ok });
};

EFFECTS['escalation.claim'] = async (effect, ctx) => {
  const result = await routingOf(ctx).claim(ctx.work, String(effect.args.request ?? ''), await helperOf(ctx));
  if (!result.ok) return answer('escalation.claim_result', { ok: false, why: result.why });
  const r = result.request;
  return answer(
    'escalation.claim_result',
    { ok: true, request: r.id, how: { key: `contact.how.${r.contact.how ?? 'chat'}` }, when: { key: `contact.when.${r.contact.when ?? 'anytime'}` }, phone: r.contact.phone ?? '-', lang: { key: `language.names.${r.lang}` } },
    // The wijkwerker can write to the resident through the bot too.
    { relay: { peer: r.resident, request: r.id, name: '' } },
  );
};

EFFECTS['escalation.resolve'] = async (effect, ctx) => {
  const result = await routingOf(ctx).resolve(ctx.work, String(effect.args.request ?? ''), await helperOf(ctx), effect.args.hand_back === true);
  return answer('escalation.resolve_result', result.ok ? { ok: true } : { ok: false, why: result.why });
};

EFFECTS['relay.forward'] = async (effect, ctx) => {
  const relay = ctx.vars.relay as { peer?: string; request?: string } | undefined;
  if (!relay?.peer) return answer('relay.forwarded', { ok: false });
  const from = typeof ctx.vars.helper_name === 'string' ? ctx.vars.helper_name : '';
  const text = typeof effect.args.text === 'string' ? effect.args.text.slice(0, 3500) : '';
  const media = effect.args.media && typeof effect.args.media === 'object' ? effect.args.media : undefined;
  Outbox.add(ctx.work, ctx.keys, { type: 'notify', person: relay.peer, event: { name: 'relay.message', data: { from, text, ...(media ? { media } : {}), request: relay.request, peer: ctx.personId } } });
  logEvent(ctx.work, ctx.keys, relay.request ?? '', { at: ctx.now.toISOString(), actor: ctx.personId, type: 'relay.message', data: { media: media ? (media as { kind: string }).kind : undefined } });
  return answer('relay.forwarded', { ok: true });
};

EFFECTS['relay.end'] = async (_effect, ctx) => {
  const relay = ctx.vars.relay as { peer?: string; request?: string } | undefined;
  if (relay?.peer) Outbox.add(ctx.work, ctx.keys, { type: 'notify', person: relay.peer, event: { name: 'relay.ended', data: { request: relay.request } } });
  return { setVars: { relay: undefined } };
};

EFFECTS['followup.answer'] = async (effect, ctx) => {
  await routingOf(ctx).followUpAnswer(ctx.work, String(effect.args.request ?? ''), ctx.personId, effect.args.contact === 'yes', effect.args.solved === 'yes');
};

/* ---- Helpers keep their own profile: languages, wijk, topics, capacity, pause. ---- */

async function updateHelper(ctx: EffectContext, change: (helper: Helper) => Helper): Promise<boolean> {
  const id = await helperOf(ctx);
  const helper = id ? await ctx.docs.get<Helper>(ctx.keys.helper(id)) : undefined;
  if (!helper) return false;
  ctx.work.putVersioned<Helper>(ctx.keys.helper(id), change(helper));
  return true;
}

EFFECTS['helper.update'] = async (effect, ctx) => {
  const a = effect.args as { languages?: unknown; wijk?: unknown; topics?: unknown; capacity?: unknown };
  const languages = Array.isArray(a.languages) ? a.languages.filter(isLang) : [];
  const capacity = Number(a.capacity);
  const ok = await updateHelper(ctx, (h) => ({
    ...h,
    ...(languages.length ? { languages } : {}),
    ...(typeof a.wijk === 'string' && a.wijk ? { wijk: a.wijk } : {}),
    ...(Array.isArray(a.topics) ? { topics: needTopics(a.topics) } : {}),
    ...(Number.isInteger(capacity) && capacity > 0 ? { capacity } : {}),
    status: h.status === 'invited' ? 'active' : h.status,
  }));
  return answer('helper.updated', { ok });
};

EFFECTS['helper.pause'] = async (effect, ctx) => {
  const paused = effect.args.paused === true;
  const ok = await updateHelper(ctx, (h) => ({ ...h, status: paused ? 'paused' : 'active' }));
  return answer('helper.paused', { ok });
};
