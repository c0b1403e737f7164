import { describe, expect, it } from 'vitest';
import { Engine, type EngineInput, type SessionState } from '../../../src/engine/engine.js';
import { loadFlows } from '../../../src/engine/loader.js';
import { flowDir } from '../../helpers/flows.js';

const commands = {
  first: 'main',
  home: 'main',
  commands: {
    accept: { aliases: ['/accept'], flow: 'accept', mode: 'interrupt' },
    language: { aliases: ['/taal'], flow: 'lang', mode: 'interrupt' },
  },
  events: { 'thing.offered': 'offered' },
};
const main = {
  id: 'main',
  start: 'pick',
  steps: {
    pick: {
      ask: 't.pick',
      multi: true,
      preselect: '$pre',
      choices: [
        { value: 'a', label: 't.a', kind: 'a' },
        { value: 'b', label: 't.b', kind: 'b' },
      ],
      save: 'picked',
      next: 'wait',
    },
    wait: { effect: 'thing.do', next: 'result' },
    result: { wait: 'thing.done', save: 'result', next: 'end' },
  },
};
const offered = { id: 'offered', start: 's', steps: { s: { say: 't.offer', buttons: [{ value: 'accept $event.id', label: 't.yes', kind: 'accept' }], next: 'end' } } };
const accept = { id: 'accept', start: 's', steps: { s: { say: 't.accepted', vars: { id: '$command_arg' }, next: 'end' } } };
const lang = { id: 'lang', start: 's', steps: { s: { set: { lang: '$command_arg' }, next: 'end' } } };

function engine() {
  const set = loadFlows(flowDir({ 'commands.yaml': commands, 'main.yaml': main, 'offered.yaml': offered, 'accept.yaml': accept, 'lang.yaml': lang }), new Set(['thing.do']));
  return new Engine(set, { choices: () => [], matchesLabel: () => false });
}
const keys = (r: { replies: { text: { key: string }[] }[] }) => r.replies.flatMap((x) => x.text.map((t) => t.key));

describe('Engine: multi choice, waits, events and action buttons', () => {
  it('toggles ticks, needs at least one, and saves the list on Done', () => {
    const e = engine();
    let r = e.step(undefined, { type: 'text', text: 'hi' });
    expect(r.replies[0].buttons!.map((b) => b.kind)).toEqual(['a', 'b', 'done']);
    r = e.step(r.state, { type: 'button', id: 'done' });
    expect(keys(r)).toEqual(['common.choose_some', 't.pick']);
    r = e.step(r.state, { type: 'button', id: 'b' });
    expect(r.replies[0].buttons![1].label).toEqual({ key: 'common.ticked', vars: { label: { key: 't.b' } } });
    r = e.step(r.state, { type: 'button', id: 'a' });
    r = e.step(r.state, { type: 'button', id: 'b' });
    r = e.step(r.state, { type: 'button', id: 'done' });
    expect(r.state.vars.picked).toEqual(['a']);
    expect(r.effects).toEqual([{ type: 'thing.do', args: {} }]);
    expect(r.state.awaiting?.event).toBe('thing.done');
    // The effect answers; the flow goes on with what it said.
    r = e.step(r.state, { type: 'event', name: 'thing.done', data: { ok: true } });
    expect(r.state.vars.result).toEqual({ ok: true });
    expect(r.state.stack).toEqual([]);
  });

  it('shows an event as a message whose action buttons run commands with arguments, whatever is open', () => {
    const e = engine();
    const first = e.step(undefined, { type: 'text', text: 'hi' });
    const offer = e.step(first.state, { type: 'event', name: 'thing.offered', data: { id: 'o42' } });
    expect(keys(offer)).toEqual(['t.offer', 't.pick']);
    const tapped = e.step(offer.state, { type: 'button', id: offer.replies[0].buttons![0].id });
    expect(tapped.replies[0].text[0]).toEqual({ key: 't.accepted', vars: { id: 'o42' } });
    // The open question is asked again after the action.
    expect(keys(tapped)[1]).toBe('t.pick');
  });

  it('offers another language once, in both languages, and switches only when tapped', () => {
    const e = engine();
    let state: SessionState = e.step(undefined, { type: 'text', text: 'hi' }).state;
    state = { ...state, vars: { ...state.vars, lang: 'nl' } };
    const text: EngineInput = { type: 'text', text: 'merhaba nasılsın', understood: { intent: 'greeting', score: 1, needs: [], crisis: false, otherLang: 'tr' } };
    const r = e.step(state, text);
    const offer = r.replies.at(-1)!;
    expect(offer.text[0]).toEqual({ key: 'language.switch_offer', multilingual: ['tr', 'nl'] });
    expect(offer.buttons!.map((b) => b.kind)).toEqual(['lang.tr', 'lang.nl']);
    expect(r.state.vars.lang).toBe('nl');
    expect(e.step(r.state, text).replies.some((x) => x.text[0].key === 'language.switch_offer')).toBe(false);
    const switched = e.step(r.state, { type: 'button', id: offer.buttons![0].id });
    expect(switched.state.vars.lang).toBe('tr');
  });
});
