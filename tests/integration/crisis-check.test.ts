import { afterEach, describe, expect, it } from 'vitest';
import { World } from '../helpers/world.js';
import type { Classification, Nlu } from '../../src/nlu/types.js';

/**
 * A scripted NLU: the crisis model's grey zone is data-dependent, so the flow is tested with a
 * classifier that says "unsure" for texts marked [unsure] (the real model is tested in tests/unit/nlu).
 */
const scripted: Nlu = {
  async classify(text): Promise<Classification> {
    const base: Classification = { text, lang: 'nl', intent: 'none', score: 0.2, crisis: false, needs: [] };
    if (text.startsWith('[unsure]')) return { ...base, crisisCheck: true };
    return base;
  },
};

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0).reverse()) await w.close();
});

async function resident(user: string): Promise<World> {
  const w = await new World({}, { nlu: scripted }).start(true, true);
  worlds.push(w);
  await w.say(user, 'hoi');
  await w.tap(user, 'lang.nl');
  await w.tap(user, 'consent.yes');
  return w;
}

describe('an unsure crisis signal: the bot asks instead of guessing', () => {
  it('asks with the numbers; "safe" goes back to the open question and alarms no one', async () => {
    const w = await resident('res-c1');
    const asked = await w.say('res-c1', '[unsure] soms denk ik dat het beter is als ik er niet ben');
    const question = asked.at(-1)!;
    expect(question.text).toMatch(/Ben je nu in gevaar/);
    expect(question.text).toMatch(/112/);
    expect(question.text).toMatch(/0800-0113/);
    expect(question.buttons.map((b) => b.kind)).toEqual(['yes', 'no']);
    const after = await w.tap('res-c1', 'no');
    expect(after[0].text).toMatch(/Fijn dat je veilig bent/);
    // the question that was open comes back
    expect(after.at(-1)!.text).toMatch(/Wat heb je nodig/);
    expect(await w.requests()).toEqual([]);
    expect(w.inbox.messages.filter((m) => m.to.startsWith('ww-'))).toEqual([]);
    // nothing of what was written stays in the session
    const session = JSON.parse((await w.redis.get(w.app.keys.session('console:res-c1')))!);
    expect(JSON.stringify(session)).not.toMatch(/beter is als ik er niet ben/);
  });

  it('"I need help now" runs the crisis flow: numbers, an urgent escalation to the wijkteam', async () => {
    const w = await resident('res-c2');
    await w.say('res-c2', '[unsure] ik weet het allemaal niet meer');
    const after = await w.tap('res-c2', 'yes');
    expect(after.map((m) => m.text).join('\n')).toMatch(/113/);
    expect(after.at(-1)!.text).toMatch(/Mag iemand van het wijkteam/);
    const [request] = await w.requests();
    expect(request.urgency).toBe('urgent');
    expect(w.inbox.last('ww-sanne')!.text).toMatch(/DRINGEND/);
  });

  it('in contact with a volunteer, "safe" still delivers the message to them: nothing is lost', async () => {
    const w = await new World({}, { nlu: scripted }).start(true, true);
    worlds.push(w);
    await w.intake('res-c5', 'need.social_contact', 'hoven');
    await w.tap('vol-anna', 'referral.accept');
    await w.say('res-c5', '[unsure] ik zie het soms niet meer zitten, maar kom je donderdag?');
    expect(w.inbox.last('vol-anna')!.text).not.toMatch(/donderdag/);
    await w.tap('res-c5', 'no');
    expect(w.inbox.last('vol-anna')!.text).toBe('Bewoner: [unsure] ik zie het soms niet meer zitten, maar kom je donderdag?');
  });

  it('keeps nothing of the text when the person leaves the question with a command', async () => {
    const w = await resident('res-c4');
    await w.say('res-c4', '[unsure] alles is zo zwaar geworden');
    const menu = await w.say('res-c4', '/menu');
    expect(menu.length).toBeGreaterThan(0);
    const session = JSON.parse((await w.redis.get(w.app.keys.session('console:res-c4')))!);
    expect(JSON.stringify(session)).not.toMatch(/zo zwaar geworden/);
    expect(await w.requests()).toEqual([]);
  });

  it('a second unsure message while the question is open does not stack another question', async () => {
    const w = await resident('res-c3');
    await w.say('res-c3', '[unsure] het gaat niet goed');
    const again = await w.say('res-c3', '[unsure] ik weet niet');
    expect(again.filter((m) => /Ben je nu in gevaar/.test(m.text))).toHaveLength(1);
    const after = await w.tap('res-c3', 'no');
    expect(after.at(-1)!.text).toMatch(/Wat heb je nodig/);
  });
});
