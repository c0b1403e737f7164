import { describe, expect, it } from 'vitest';
import { FlowError, loadFlows } from '../../../src/engine/loader.js';
import { flowDir } from '../../helpers/flows.js';

const commands = { first: 'a', home: 'a', commands: {} };

function load(flow: unknown, effects: string[] = []) {
  return () => loadFlows(flowDir({ 'commands.yaml': commands, 'a.yaml': flow }), new Set(effects));
}

describe('flow validation', () => {
  it('names the file and step of a jump to a missing step', () => {
    const bad = { id: 'a', start: 's', steps: { s: { say: 'x.y', next: 'nowhere' } } };
    expect(load(bad)).toThrow(FlowError);
    expect(load(bad)).toThrow('a.yaml step "s": goes to "nowhere"');
  });

  it('refuses a literal sentence where a key belongs', () => {
    const bad = { id: 'a', start: 's', steps: { s: { say: 'Hallo daar!', next: 'end' } } };
    expect(load(bad)).toThrow(/a\.yaml step "s".*i18n key/);
  });

  it('refuses an unknown effect, a call to a missing flow, and an ask without answers', () => {
    expect(load({ id: 'a', start: 's', steps: { s: { effect: 'no.such', next: 'end' } } })).toThrow('effect "no.such"');
    expect(load({ id: 'a', start: 's', steps: { s: { call: 'ghost', next: 'end' } } })).toThrow('calls flow "ghost"');
    expect(load({ id: 'a', start: 's', steps: { s: { ask: 'x.y', save: 'v', next: 'end' } } })).toThrow(/step "s"/);
  });

  it('refuses a branch without else and broken YAML', () => {
    expect(load({ id: 'a', start: 's', steps: { s: { branch: [{ if: { var: 'x', is: 1 }, goto: 'end' }] } } })).toThrow('else');
    expect(load('id: a\nsteps: [unclosed')).toThrow(/a\.yaml: not valid YAML/);
  });

  it('accepts a good flow', () => {
    const set = load({ id: 'a', start: 's', steps: { s: { say: 'x.y', next: 'end' } } })();
    expect(set.flows.get('a')?.start).toBe('s');
  });
});
