import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { CommandsSchema, FlowSchema, stepKind, type Commands, type Flow, type Step } from './flow.js';

/** A broken flow: names the file, the step and what is wrong. */
export class FlowError extends Error {
  constructor(readonly file: string, readonly step: string | undefined, problem: string) {
    super(`${file}${step ? ` step "${step}"` : ''}: ${problem}`);
    this.name = 'FlowError';
  }
}

export interface FlowSet {
  flows: Map<string, Flow>;
  commands: Commands;
}

/** Every i18n key a step can send, for the locale check. */
export function keysOfStep(step: Step): string[] {
  const keys: string[] = [];
  if ('say' in step) keys.push(...(Array.isArray(step.say) ? step.say : [step.say]));
  if ('ask' in step) {
    keys.push(step.ask);
    if (step.retry) keys.push(step.retry);
  }
  if ('choices' in step && step.choices) keys.push(...step.choices.map((c) => c.label));
  if ('buttons' in step && step.buttons) keys.push(...step.buttons.map((c) => c.label));
  if ('vars' in step && step.vars) for (const spec of Object.values(step.vars)) if (typeof spec === 'object' && 't' in spec) keys.push(spec.t);
  return keys;
}

/** Key patterns like "topic.{}.label" used with {each}: checked against every value they can take. */
export function keyPatternsOfStep(step: Step): string[] {
  if (!('vars' in step) || !step.vars) return [];
  return Object.values(step.vars).flatMap((spec) => (typeof spec === 'object' && 'each' in spec ? [spec.key] : []));
}

function issuePath(file: string, issue: { path: PropertyKey[]; message: string }): FlowError {
  const stepIndex = issue.path.indexOf('steps');
  const step = stepIndex >= 0 ? String(issue.path[stepIndex + 1]) : undefined;
  const rest = issue.path.slice(stepIndex >= 0 ? stepIndex + 2 : 0).join('.');
  return new FlowError(file, step, `${rest ? `${rest}: ` : ''}${issue.message}`);
}

function check(file: string, flow: Flow, flows: Map<string, Flow>, knownEffects: ReadonlySet<string>): void {
  const exists = (target: string) => target === 'end' || target in flow.steps;
  if (!(flow.start in flow.steps)) throw new FlowError(file, undefined, `start step "${flow.start}" does not exist`);
  for (const [name, step] of Object.entries(flow.steps)) {
    const targets: string[] = [];
    if ('next' in step && step.next) targets.push(step.next);
    if ('branch' in step) for (const arm of step.branch) targets.push('goto' in arm ? arm.goto : arm.else);
    if ('choices' in step && step.choices) for (const c of step.choices) if (c.goto) targets.push(c.goto);
    for (const target of targets) if (!exists(target)) throw new FlowError(file, name, `goes to "${target}", which is not a step of this flow`);
    const kind = stepKind(step);
    if (kind !== 'branch' && kind !== 'end' && !('next' in step && step.next)) throw new FlowError(file, name, 'needs a "next" (a step name or end)');
    if ('call' in step && !flows.has(step.call)) throw new FlowError(file, name, `calls flow "${step.call}", which does not exist`);
    if ('effect' in step && !knownEffects.has(step.effect)) throw new FlowError(file, name, `effect "${step.effect}" is not one the service knows`);
    if ('branch' in step) {
      const last = step.branch[step.branch.length - 1];
      if (!('else' in last)) throw new FlowError(file, name, 'a branch must end with an "else"');
    }
  }
}

/** Loads and validates every flow in a folder; throws a FlowError naming file and step on the first problem. */
export function loadFlows(dir: string, knownEffects: ReadonlySet<string>): FlowSet {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  const flows = new Map<string, Flow>();
  const fileOf = new Map<string, string>();
  let commands: Commands | undefined;
  for (const file of files) {
    let raw: unknown;
    try {
      raw = parse(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      throw new FlowError(file, undefined, `not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
    if (raw && typeof raw === 'object' && 'commands' in raw) {
      const parsed = CommandsSchema.safeParse(raw);
      if (!parsed.success) throw issuePath(file, parsed.error.issues[0]);
      commands = parsed.data;
      continue;
    }
    const parsed = FlowSchema.safeParse(raw);
    if (!parsed.success) throw issuePath(file, parsed.error.issues[0]);
    if (parsed.data.id !== basename(file).replace(/\.ya?ml$/, '')) throw new FlowError(file, undefined, `id "${parsed.data.id}" must match the file name`);
    flows.set(parsed.data.id, parsed.data);
    fileOf.set(parsed.data.id, file);
  }
  if (!commands) throw new FlowError(dir, undefined, 'no commands file (a YAML file with "commands:", "home:" and "first:")');
  for (const [id, flow] of flows) check(fileOf.get(id)!, flow, flows, knownEffects);
  for (const [name, command] of Object.entries(commands.commands)) {
    if (!flows.has(command.flow)) throw new FlowError('commands', name, `flow "${command.flow}" does not exist`);
  }
  for (const flow of Object.values(commands.events ?? {})) {
    if (!flows.has(flow)) throw new FlowError('commands', undefined, `event flow "${flow}" does not exist`);
  }
  for (const which of ['home', 'first', 'crisis', 'crisis_check'] as const) {
    if (commands[which] === undefined) continue;
    if (!flows.has(commands[which]!)) throw new FlowError('commands', undefined, `${which} flow "${commands[which]}" does not exist`);
  }
  return { flows, commands };
}
