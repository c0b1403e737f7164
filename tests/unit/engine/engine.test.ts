import { describe, expect, it } from 'vitest';
import { Engine, type EngineInput, type SessionState } from '../../../src/engine/engine.js';
import { loadFlows } from '../../../src/engine/loader.js';
import { flowDir } from '../../helpers/flows.js';

const commands = {
  first: 'main',
  home: 'main',
  crisis: 'crisis',
  commands: {
    help: { aliases: ['/help', 'help'], flow: 'help', mode: 'interrupt' },
    stop: { aliases: ['/stop'], flow: 'help', mode: 'replace' },
  },
};

const main = {
  id: 'main',
  start: 'color',
  steps: {
    color: {
      ask: 't.color',
      choices: [
        { value: 'red', label: 't.red', kind: 'red' },
        { value: 'blue', label: 't.blue', kind: 'blue', goto: 'blue_path' },
      ],
      save: 'color',
      next: 'age',
    },
    blue_path: { say: 't.blue_chosen', next: 'age' },
    age: { ask: 't.age', free_text: { min: 1, max: 3 }, save: 'age', retry: 't.age_retry', next: 'sub' },
    sub: { call: 'child', next: 'check' },
    check: {
      branch: [{ if: { var: 'child_answer', is: 'yes' }, goto: 'happy' }, { else: 'sad' }],
    },
    happy: { say: 't.happy', next: 'effect' },
    sad: { say: 't.sad', next: 'effect' },
    effect: { effect: 'thing.do', args: { color: '$color', age: '$age' }, next: 'end' },
  },
};
const child = {
  id: 'child',
  start: 'q',
  steps: {
    q: {
      ask: 't.yesno',
      choices: [
        { value: 'yes', label: 't.yes', kind: 'yes' },
        { value: 'no', label: 't.no', kind: 'no' },
      ],
      save: 'child_answer',
      next: 'end',
    },
  },
};
const help = { id: 'help', start: 's', steps: { s: { say: 't.help', next: 'end' } } };
const crisis = { id: 'crisis', start: 's', steps: { s: { say: 't.numbers', next: 'end' } } };

function engine() {
  const set = loadFlows(flowDir({ 'commands.yaml': commands, 'main.yaml': main, 'child.yaml': child, 'help.yaml': help, 'crisis.yaml': crisis }), new Set(['thing.do']));
  return new Engine(set, {
    choices: () => [],
    matchesLabel: (text, label) => text.toLowerCase() === label.key.split('.').pop(),
  });
}

function keysOf(result: { replies: { text: { key: string }[] }[] }): string[] {
  return result.replies.flatMap((r) => r.text.map((t) => t.key));
}

function drive(e: Engine, inputs: EngineInput[]) {
  let state: SessionState | undefined;
  const all = [];
  for (const input of inputs) {
    const result = e.step(state, input);
    state = result.state;
    all.push(result);
  }
  return all;
}

const text = (t: string): EngineInput => ({ type: 'text', text: t });
const button = (id: string): EngineInput => ({ type: 'button', id });

describe('Engine', () => {
  it('asks the first question with buttons on first contact', () => {
    const [first] = drive(engine(), [text('hallo')]);
    expect(keysOf(first)).toEqual(['t.color']);
    expect(first.replies[0].buttons?.map((b) => b.kind)).toEqual(['red', 'blue']);
    expect(first.state.awaiting?.buttons).toHaveLength(2);
  });

  it('follows a choice goto, validates free text, runs a sub-flow, branches and emits an effect', () => {
    const e = engine();
    const results = drive(e, [text('hi'), button('blue'), text('1234'), text('42'), text('yes')]);
    expect(keysOf(results[1])).toEqual(['t.blue_chosen', 't.age']);
    expect(keysOf(results[2])).toEqual(['common.too_long', 't.age']); // too long: re-asked kindly
    expect(keysOf(results[3])).toEqual(['t.yesno']);
    const last = results[4];
    expect(keysOf(last)).toEqual(['t.happy']);
    expect(last.effects).toEqual([{ type: 'thing.do', args: { color: 'blue', age: '42' } }]);
    expect(last.state.stack).toEqual([]);
  });

  it('takes a button by its id, a typed number or a typed label', () => {
    const e = engine();
    const [first] = drive(e, [text('hi')]);
    const id = first.replies[0].buttons![0].id;
    expect(e.step(first.state, button(id)).state.vars.color).toBe('red');
    expect(e.step(first.state, text('2')).state.vars.color).toBe('blue');
    expect(e.step(first.state, text('RED')).state.vars.color).toBe('red');
  });

  it('answers unknown input with a re-ask and keeps the same buttons valid', () => {
    const e = engine();
    const [first] = drive(e, [text('hi')]);
    const again = e.step(first.state, text('purple'));
    expect(keysOf(again)).toEqual(['common.retry_choice', 't.color']);
    expect(again.replies[1].buttons).toEqual(first.replies[0].buttons);
    expect(again.state.stack).toEqual(first.state.stack);
  });

  it('refuses a button from an old message and changes nothing', () => {
    const e = engine();
    const [first, second] = drive(e, [text('hi'), button('red')]);
    const stale = first.replies[0].buttons![1].id;
    const result = e.step(second.state, button(stale));
    expect(keysOf(result)[0]).toBe('common.old_button');
    expect(result.state.vars).toEqual(second.state.vars);
  });

  it('answers a tampered button and media kindly', () => {
    const e = engine();
    const [first] = drive(e, [text('hi')]);
    expect(keysOf(e.step(first.state, button('zz-not-a-button')))[0]).toBe('common.retry_choice');
    expect(keysOf(e.step(first.state, { type: 'media', kind: 'sticker' }))[0]).toBe('common.media_unsupported');
    expect(keysOf(e.step(first.state, text('   ')))[0]).toBe('common.empty');
  });

  it('runs an interrupting command and asks the open question again after', () => {
    const e = engine();
    const [first] = drive(e, [text('hi')]);
    const result = e.step(first.state, { type: 'command', name: '/help' });
    expect(keysOf(result)).toEqual(['t.help', 't.color']);
    expect(e.commandFor('HELP')).toBe('help');
  });

  it('answers an unknown command and keeps the question open', () => {
    const e = engine();
    const [first] = drive(e, [text('hi')]);
    const result = e.step(first.state, { type: 'command', name: '/nonsense' });
    expect(keysOf(result)).toEqual(['common.unknown_command', 't.color']);
  });

  it('runs the crisis flow on top of anything, then continues', () => {
    const e = engine();
    const [first] = drive(e, [text('hi')]);
    const result = e.step(first.state, { type: 'text', text: '...', understood: { intent: 'crisis', score: 1, needs: [], crisis: true } });
    expect(keysOf(result)).toEqual(['t.numbers', 't.color']);
  });

  it('is pure: the input state is not changed', () => {
    const e = engine();
    const [first] = drive(e, [text('hi')]);
    const copy = structuredClone(first.state);
    e.step(first.state, button('red'));
    expect(first.state).toEqual(copy);
  });
});
