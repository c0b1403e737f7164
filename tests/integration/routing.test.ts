import { afterEach, describe, expect, it } from 'vitest';
import { World } from '../helpers/world.js';
import type { Offer } from '../../src/domain/offer.js';
import type { Nlu } from '../../src/nlu/types.js';
import { loadNlu } from '../../src/nlu/model.js';

const worlds: World[] = [];
async function world(env: Record<string, string> = {}, withWorker = true, seed = true, nlu?: Nlu) {
  const w = await new World(env, { nlu }).start(withWorker, seed);
  worlds.push(w);
  return w;
}
afterEach(async () => {
  for (const w of worlds.splice(0).reverse()) await w.close();
});

async function openOffer(w: World, requestId: string): Promise<Offer | undefined> {
  const request = (await w.requests()).find((r) => r.id === requestId);
  return request?.offer ? w.app.docs.get<Offer>(w.app.keys.offer(request.offer)) : undefined;
}

describe('routing and the closed loop (real Redis and BullMQ)', () => {
  it('offers to the best volunteer, and after an unanswered offer expires, to the next one', async () => {
    const w = await world({ OFFER_TIMEOUT: '1s' });
    await w.intake('res-1', 'need.social_contact', 'hoven');
    const [request] = await w.requests();
    expect(request.status).toBe('offered');
    expect(request.attempts).toEqual(['vol-anna']); // speaks nl, same wijk, likes the topic
    expect(w.inbox.last('vol-anna')!.text).toMatch(/Nieuwe hulpvraag in De Hoven/);
    const sent = (await w.events(request.id)).find((e) => e.type === 'offer.sent')!;
    expect(sent.data!.why).toEqual(expect.arrayContaining(['language:nl', 'wijk:same']));

    // Nobody answers: the 1 s timer in the worker expires it and the next volunteer is asked.
    const next = await w.until(async () => (((await w.requests())[0].attempts?.length ?? 0) >= 2 ? (await w.requests())[0] : undefined));
    expect(next.status).toBe('offered');
    expect(w.inbox.of('vol-anna').some((m) => /niet op tijd/.test(m.text))).toBe(true);
    // The old button now says so, and changes nothing.
    const late = await w.tap('vol-anna', 'referral.accept');
    expect(late.map((m) => m.text).join()).toMatch(/verlopen/);
    expect((await w.requests())[0].assignedTo).toBeUndefined();
  });

  it('escalates to the wijkteam as "no volunteer found" when every volunteer declines', async () => {
    const w = await world({ OFFER_TIMEOUT: '1h', MAX_OFFERS: '3' });
    await w.intake('res-2', 'need.practical', 'werven');
    for (let i = 0; i < 3; i++) {
      const request = (await w.requests())[0];
      const volunteer = request.attempts!.at(-1)!;
      await w.tap(volunteer, 'referral.decline');
      await w.tap(volunteer, 'decline.no_time');
    }
    const [request] = await w.requests();
    expect(request.status).toBe('escalated');
    expect(request.escalation).toMatchObject({ reason: 'no_volunteer', status: 'open' });
    expect(request.attempts).toHaveLength(3);
    expect(w.inbox.last('ww-sanne')!.text).toMatch(/geen vrijwilliger gevonden/);
    // The wijkwerker claims it from the card; the resident hears a name.
    await w.tap('ww-sanne', 'escalation.claim');
    expect((await w.requests())[0].escalation).toMatchObject({ status: 'claimed', claimedBy: 'ww-sanne' });
    expect(w.inbox.last('res-2')!.text).toMatch(/Sanne van het wijkteam/);
  });

  it('never sends a crisis to a volunteer: wijkwerkers get it at once, and the team lead after the deadline', async () => {
    const w = await world({ CRISIS_ESCALATION_SLA: '1s' }, true, true, await loadNlu());
    await w.say('res-3', 'hoi');
    await w.tap('res-3', 'lang.nl');
    await w.tap('res-3', 'consent.yes');
    // The real crisis detector, on the answer to "what do you need?".
    const replies = await w.say('res-3', 'ik wil niet meer leven, iedereen is beter af zonder mij');
    expect(replies.map((r) => r.text).join()).toMatch(/113/);
    expect(replies.at(-1)!.text).toMatch(/Mag iemand van het wijkteam/);
    const [request] = await w.requests();
    expect(request.urgency).toBe('urgent');
    expect(request.attempts ?? []).toEqual([]);
    expect(w.inbox.messages.filter((m) => m.to.startsWith('vol-'))).toEqual([]);
    expect(w.inbox.last('ww-sanne')!.text).toMatch(/DRINGEND/);
    // Unclaimed after the deadline: sent again, to the team lead too, and the resident is reassured.
    await w.until(async () => w.inbox.of('coord-1').length > 0);
    expect(w.inbox.last('coord-1')!.text).toMatch(/DRINGEND/);
    await w.until(async () => w.inbox.of('res-3').some((m) => /niet vergeten/.test(m.text)));
  }, 20_000);

  it('gives the request to exactly one of two volunteers who press Accept at once', async () => {
    const w = await world({ OFFER_TIMEOUT: '1h' });
    await w.intake('res-4', 'need.social_contact', 'hoven');
    // Let the first offer expire (its timer run now) so that two volunteers hold buttons for the same request.
    expect(await w.app.scheduler.promote('offer-expire', (await w.requests())[0].offer!)).toBe(true);
    await w.until(async () => ((await w.requests())[0].attempts?.length === 2 ? true : undefined));
    const [first, second] = (await w.requests())[0].attempts!;
    // The expired offer's holder and the current one tap at the same moment.
    await Promise.all([w.tap(first, 'referral.accept'), w.tap(second, 'referral.accept')]);
    const [request] = await w.requests();
    expect(request.status).toBe('accepted');
    expect(request.assignedTo).toBe(second);
    expect(w.inbox.last(first)!.text).toMatch(/verlopen|al door iemand anders/);
  });

  it('lets two volunteers race for one open offer: one wins, the other is told kindly', async () => {
    const w = await world();
    await w.intake('res-5', 'need.social_contact', 'hoven');
    const offer = (await openOffer(w, (await w.requests())[0].id))!;
    // Two taps of the same offer at once (a double tap, or two devices): exactly one acceptance.
    const results = await Promise.all([w.app.routing.run((work) => w.app.routing.accept(work, offer.id, offer.volunteerId)), w.app.routing.run((work) => w.app.routing.accept(work, offer.id, offer.volunteerId))]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ why: 'taken' });
  });

  it('relays messages and photos both ways without sharing numbers, and closes with an outcome', async () => {
    const w = await world();
    await w.intake('res-6', 'need.social_contact', 'hoven');
    await w.tap('vol-anna', 'referral.accept');
    expect(w.inbox.last('res-6')!.text).toMatch(/Anna wil je helpen/);
    await w.say('res-6', 'Hoi Anna, ik ben vaak thuis');
    expect(w.inbox.last('vol-anna')!.text).toBe('Bewoner: Hoi Anna, ik ben vaak thuis');
    await w.say('vol-anna', 'Zullen we donderdag koffie drinken?');
    expect(w.inbox.last('res-6')!.text).toBe('Anna: Zullen we donderdag koffie drinken?');
    await w.app.pipeline.handle({ id: 'photo-1', type: 'media', ref: { channel: 'console', conversationId: 'res-6', userId: 'res-6' }, media: { kind: 'photo', fileRef: 'AgACAgQ-file' } });
    await w.app.idle();
    expect(w.inbox.last('vol-anna')!.media).toEqual({ kind: 'photo', fileRef: 'AgACAgQ-file' });
    await w.tap('vol-anna', 'referral.done');
    await w.tap('vol-anna', 'outcome.helped');
    const [request] = await w.requests();
    expect(request).toMatchObject({ status: 'closed', outcome: 'helped' });
    expect(await w.redis.ttl(w.app.keys.request(request.id))).toBeGreaterThan(0);
    expect(w.inbox.last('res-6')!.text).toMatch(/afgerond/);
  });

  it('routes again when the follow-up says there was no contact', async () => {
    const w = await world({ FOLLOW_UP_AFTER: '1h' });
    await w.intake('res-7', 'need.social_contact', 'hoven');
    await w.tap('vol-anna', 'referral.accept');
    const id = (await w.requests())[0].id;
    expect(await w.app.scheduler.promote('follow-up', id)).toBe(true);
    await w.until(async () => w.inbox.of('res-7').some((m) => /contact met je gehad/.test(m.text)));
    await w.tap('res-7', 'no');
    const request = (await w.requests())[0];
    expect(request.status).toBe('offered');
    expect(request.attempts).toHaveLength(2);
    expect(request.attempts![1]).not.toBe('vol-anna');
  });

  it('still expires a pending offer after the worker was stopped and another one started', async () => {
    const a = await world({ OFFER_TIMEOUT: '1h' });
    await a.intake('res-8', 'need.social_contact', 'hoven');
    const request = (await a.requests())[0];
    await a.stopWorkers(); // the process with the worker goes away; the delayed job stays in Redis
    const b = await world({ REDIS_PREFIX: a.app.config.keyPrefix, OFFER_TIMEOUT: '1h' }, true, false);
    expect(await b.app.scheduler.promote('offer-expire', request.offer!)).toBe(true);
    const moved = await b.until(async () => ((await b.requests())[0].attempts?.length === 2 ? (await b.requests())[0] : undefined));
    expect(moved.status).toBe('offered');
  });
});
