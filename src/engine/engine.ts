import type { ButtonSpec, MediaKind, Reply, Text, TextVar } from '../core/types.js';
import type { Lang } from '../core/lang.js';
import type { Choice, Flow, Step, TextVarSpec } from './flow.js';
import type { FlowSet } from './loader.js';
import { fill, holds, readPath, resolve } from './values.js';

/** Where a conversation is: a stack of flows (like a dialog stack) and its variables. Plain JSON. */
export interface SessionState {
  stack: Frame[];
  vars: Record<string, unknown>;
  /** The open question: only its buttons are valid answers. */
  awaiting?: { nonce: number; buttons: PendingButton[]; event?: string; selected?: string[] };
  /**
   * Action buttons under earlier messages ("new question", "accept this offer", "claim"): each runs a
   * command, whatever question is open. The newest few are kept; the command itself checks whether
   * the action still makes sense (an offer may have expired).
   */
  actions?: PendingButton[];
  /** Bumped for every question asked; button ids carry it, so a button from an old message is recognised. */
  nonce: number;
}

export interface Frame {
  flow: string;
  step: string;
}

export interface PendingButton {
  id: string;
  value: string;
  kind: string;
  goto?: string;
  label: Text;
}

/** What the NLU understood of a free text (filled in by the pipeline; the engine does no I/O). */
export interface Understood {
  intent: string;
  score: number;
  needs: string[];
  crisis: boolean;
  /** No alarm, but the text may mean danger: ask the person (the crisis_check flow). */
  crisisCheck?: boolean;
  /** The text is clearly in another of our languages than the conversation's: offer to switch (once). */
  otherLang?: Lang;
}

export type EngineInput =
  | { type: 'text'; text: string; understood?: Understood }
  | { type: 'button'; id: string }
  | { type: 'command'; name: string; arg?: string }
  | { type: 'media'; kind: MediaKind; fileRef?: string }
  | { type: 'event'; name: string; data?: Record<string, unknown> };

/** A side effect for the pipeline to carry out after the step: store a request, route it, schedule… */
export interface Effect {
  type: string;
  args: Record<string, unknown>;
}

export interface TurnResult {
  state: SessionState;
  replies: Reply[];
  effects: Effect[];
}

/** What the engine may ask of its surroundings, all pure: data lists and label matching. */
export interface EngineContext {
  /** Choices that come from data (languages, topics, wijken). */
  choices(source: 'languages' | 'topics' | 'wijken'): Choice[];
  /** True when a typed text names this label in the person's language (or any). */
  matchesLabel(text: string, label: Text, vars: Record<string, unknown>): boolean;
}

export class EngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

const MAX_STEPS_PER_TURN = 200;
const MAX_ACTIONS = 12;
const MULTI_DONE = '__done';

export function newSession(): SessionState {
  return { stack: [], vars: {}, nonce: 0 };
}

/** Renders a step's `vars` specs into text variables. */
function textVars(specs: Record<string, TextVarSpec> | undefined, vars: Record<string, unknown>): Record<string, TextVar> | undefined {
  if (!specs) return undefined;
  const out: Record<string, TextVar> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (typeof spec === 'number') out[name] = spec;
    else if (typeof spec === 'string') out[name] = toTextVar(resolve(spec, vars));
    else if ('t' in spec) out[name] = { key: spec.t };
    else {
      const list = resolve(spec.each, vars);
      out[name] = (Array.isArray(list) ? list : list === undefined ? [] : [list]).map((item) => ({ key: spec.key.replace('{}', String(item)) }));
    }
  }
  return out;
}

function toTextVar(value: unknown): TextVar {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(toTextVar);
  if (typeof (value as Text).key === 'string') return value as Text;
  return '';
}

/** Intents that are small talk, not an answer to "what do you need?". */
const SMALL_TALK = new Set(['greeting', 'thanks', 'affirm', 'deny', 'help', 'stop', 'language.change']);

function normalise(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

/**
 * The flow interpreter: (state, input) → (state, replies, effects). Pure: the
 * caller loads and saves state and carries out effects.
 */
export class Engine {
  constructor(private readonly set: FlowSet, private readonly ctx: EngineContext) {}

  flow(id: string): Flow {
    const flow = this.set.flows.get(id);
    if (!flow) throw new EngineError(`unknown flow ${id}`);
    return flow;
  }

  /** Resolves a typed command word ("/taal", "help") to its command name, if it is one. */
  commandFor(word: string): string | undefined {
    const w = word.toLowerCase();
    for (const [name, command] of Object.entries(this.set.commands.commands)) if (command.aliases.includes(w)) return name;
    return undefined;
  }

  step(previous: SessionState | undefined, input: EngineInput): TurnResult {
    const state: SessionState = previous ? structuredClone(previous) : newSession();
    const turn = new Turn(this, this.set, this.ctx, state);
    // What the person just sent is readable by flows as $message for this turn only; it is never saved.
    if (input.type === 'text') state.vars.message = { text: input.text };
    if (input.type === 'media') state.vars.message = { media: { kind: input.kind, fileRef: input.fileRef } };
    turn.handle(input, previous === undefined);
    delete state.vars.message;
    if (input.type === 'text' && input.understood?.otherLang) turn.offerLanguage(input.understood.otherLang);
    return { state: turn.state, replies: turn.replies, effects: turn.effects };
  }
}

class Turn {
  readonly replies: Reply[] = [];
  readonly effects: Effect[] = [];
  private steps = 0;
  private opening?: Extract<EngineInput, { type: 'text' }>;

  constructor(private readonly engine: Engine, private readonly set: FlowSet, private readonly ctx: EngineContext, readonly state: SessionState) {}

  handle(input: EngineInput, firstContact: boolean): void {
    if (input.type === 'command') return this.command(input.name, input.arg);
    if (input.type === 'button' && !this.state.awaiting?.buttons.some((b) => b.id === input.id)) {
      // A shortcut offered earlier ("new question", "continue in Türkçe") works while it is the latest offer.
      const action = this.state.actions?.find((b) => b.id === input.id) ?? this.state.actions?.find((b) => b.kind === input.id);
      if (action) {
        const [name, arg] = action.value.split(' ');
        return this.command(name, arg);
      }
    }
    if (input.type === 'text' && input.understood?.crisis && this.set.commands.crisis) {
      // Safety first: the crisis flow runs on top of whatever was open, which is asked again after.
      this.state.vars.crisis_text = input.text;
      return this.interrupt(this.set.commands.crisis);
    }
    if (input.type === 'text' && input.understood?.crisisCheck && this.set.commands.crisis_check && !this.checking()) {
      // Kept until the answer: a "yes" escalates with what was written.
      this.state.vars.crisis_text = input.text;
      return this.interrupt(this.set.commands.crisis_check);
    }
    if (input.type === 'event') {
      if (this.state.awaiting?.event === input.name) return this.resume(input.data);
      return this.event(input.name, input.data);
    }
    if (firstContact || this.state.stack.length === 0) {
      if (input.type === 'button' && !firstContact) this.say('common.old_button');
      if (input.type === 'media' && !firstContact && this.state.vars.relay === undefined) this.say('common.media_unsupported');
      if (input.type === 'text') {
        // Only what the message was about is kept (never its words): the home flow greets or thanks.
        this.state.vars.opening = { intent: input.understood?.intent ?? 'none' };
        if (!SMALL_TALK.has(input.understood?.intent ?? 'none')) this.opening = input;
      }
      this.begin(firstContact ? this.set.commands.first : this.set.commands.home);
      return this.run();
    }
    this.answer(input);
  }

  /**
   * The person wrote in another of our languages: ask once, in both languages,
   * whether to go on in that one. Nothing switches silently.
   */
  offerLanguage(other: Lang): void {
    const current = this.state.vars.lang;
    const offered = Array.isArray(this.state.vars.lang_offered) ? (this.state.vars.lang_offered as string[]) : [];
    if (typeof current !== 'string' || current === other || offered.includes(other)) return;
    this.state.vars.lang_offered = [...offered, other];
    this.state.nonce += 1;
    const choices = [
      { value: `language ${other}`, label: `language.names.${other}`, kind: `lang.${other}` },
      { value: `language ${current}`, label: `language.names.${current}`, kind: `lang.${current}` },
    ];
    const built = this.buttons(choices);
    this.replies.push({ text: [{ key: 'language.switch_offer', multilingual: [other, current as Lang] }], buttons: built.map(([spec]) => spec) });
    this.addActions(built.map(([, pending]) => pending));
  }

  private addActions(buttons: PendingButton[]): void {
    this.state.actions = [...buttons, ...(this.state.actions ?? [])].slice(0, MAX_ACTIONS);
  }

  private command(name: string, arg?: string): void {
    const resolved = this.set.commands.commands[name] ? name : this.engine.commandFor(name);
    const command = resolved ? this.set.commands.commands[resolved] : undefined;
    if (!command) {
      this.say('common.unknown_command');
      return this.reask();
    }
    if (arg !== undefined) this.state.vars.command_arg = arg;
    else delete this.state.vars.command_arg;
    if (command.mode === 'replace') {
      // the unanswered crisis question goes with the stack, and so does the text it kept
      if (this.checking()) delete this.state.vars.crisis_text;
      this.state.stack = [];
      this.begin(command.flow);
      return this.run();
    }
    this.interrupt(command.flow);
  }

  /** The crisis check is already open (a second unsure message is the answer, not a new check). */
  private checking(): boolean {
    return this.state.stack.some((f) => f.flow === this.set.commands.crisis_check);
  }

  private interrupt(flow: string): void {
    // The open question stays on its frame: when the interrupting flow ends, running that frame asks it again.
    this.state.awaiting = undefined;
    this.begin(flow);
    this.run();
  }

  /** An effect answered the wait step: keep its data and go on. */
  private resume(data: Record<string, unknown> | undefined): void {
    const { frame, step } = this.current();
    if (!('wait' in step)) throw new EngineError(`event arrived but ${frame.flow}.${frame.step} is not waiting`);
    if (step.save) setPath(this.state.vars, step.save, data ?? {});
    this.state.awaiting = undefined;
    frame.step = step.next!;
    this.run();
  }

  private event(name: string, data?: Record<string, unknown>): void {
    this.state.vars.event = { name, ...data };
    const handler = this.set.commands.events?.[name];
    if (!handler) return;
    this.interrupt(handler);
  }

  private begin(flowId: string): void {
    this.state.awaiting = undefined;
    this.state.stack.push({ flow: flowId, step: this.engine.flow(flowId).start });
  }

  /** Asks the open question again (after an unknown command or a wrong answer elsewhere). */
  private reask(): void {
    if (this.state.stack.length === 0) return;
    this.state.awaiting = undefined;
    this.run();
  }

  private say(key: string, vars?: Record<string, TextVar>): void {
    this.replies.push({ text: [{ key, vars }] });
  }

  private current(): { frame: Frame; step: Step; flow: Flow } {
    const frame = this.state.stack[this.state.stack.length - 1];
    const flow = this.engine.flow(frame.flow);
    const step = flow.steps[frame.step];
    if (!step) throw new EngineError(`flow ${frame.flow} has no step ${frame.step}`);
    return { frame, step, flow };
  }

  private run(): void {
    while (this.state.stack.length > 0) {
      if (++this.steps > MAX_STEPS_PER_TURN) throw new EngineError('a flow ran too many steps without asking anything (a loop?)');
      const frame = this.state.stack[this.state.stack.length - 1];
      if (frame.step === 'end') {
        this.state.stack.pop();
        continue;
      }
      const { step } = this.current();
      const vars = this.state.vars;
      if ('wait' in step) {
        this.state.awaiting = { nonce: this.state.nonce, buttons: [], event: step.wait };
        return;
      }
      if ('ask' in step) {
        if (this.opening && step.accept_opening_text) {
          const opening = this.opening;
          this.opening = undefined;
          this.state.awaiting = { nonce: this.state.nonce, buttons: [] };
          if (this.accept(frame, step, opening, true)) continue;
          this.state.awaiting = undefined;
        }
        this.ask(step);
        return;
      }
      if ('say' in step) {
        const keys = Array.isArray(step.say) ? step.say : [step.say];
        const tv = textVars(step.vars, vars);
        const reply: Reply = { text: keys.map((key) => ({ key, vars: tv, ...(step.multilingual ? { multilingual: true } : {}) })) };
        if (step.buttons?.length) {
          this.state.nonce += 1;
          const buttons = this.buttons(step.buttons.map((b) => ({ ...b, value: fill(b.value, vars) })));
          reply.buttons = buttons.map(([spec]) => spec);
          this.addActions(buttons.map(([, pending]) => pending));
        }
        if (step.media) {
          const media = resolve(step.media, vars) as Reply['media'];
          if (media && typeof media === 'object' && typeof media.kind === 'string') reply.media = media;
        }
        this.replies.push(reply);
        frame.step = step.next!;
      } else if ('set' in step) {
        for (const [name, value] of Object.entries(step.set)) setPath(vars, name, resolve(value, vars));
        frame.step = step.next!;
      } else if ('branch' in step) {
        const arm = step.branch.find((a) => 'else' in a || holds(a.if, vars))!;
        frame.step = 'goto' in arm ? arm.goto : arm.else;
      } else if ('call' in step) {
        frame.step = step.next!;
        this.begin(step.call);
      } else if ('effect' in step) {
        this.effects.push({ type: step.effect, args: (resolve(step.args ?? {}, vars) as Record<string, unknown>) ?? {} });
        frame.step = step.next!;
      } else {
        this.state.stack.pop();
      }
    }
    this.state.awaiting = undefined;
    this.opening = undefined;
  }

  private choicesOf(step: Extract<Step, { ask: string }>): Choice[] {
    return step.choices ?? (step.choices_from ? this.ctx.choices(step.choices_from) : []);
  }

  private buttons(choices: Choice[]): [ButtonSpec, PendingButton][] {
    const nonce = this.state.nonce.toString(36);
    return choices.map((choice, index) => {
      const id = `${nonce}.${index}`;
      const label: Text = choice.label_vars ? { key: choice.label, vars: choice.label_vars } : { key: choice.label };
      return [
        { id, kind: choice.kind, label },
        { id, value: choice.value, kind: choice.kind, label, ...(choice.goto ? { goto: choice.goto } : {}) },
      ];
    });
  }

  private ask(step: Extract<Step, { ask: string }>, reuse = false): void {
    const previous = reuse ? this.state.awaiting?.selected : undefined;
    if (!reuse) this.state.nonce += 1;
    let choices = this.choicesOf(step);
    let selected: string[] | undefined;
    if (step.multi) {
      const initial = step.preselect ? resolve(step.preselect, this.state.vars) : [];
      selected = previous ?? (Array.isArray(initial) ? initial.map(String) : []);
      // Ticked choices show a check mark; the last button closes the question.
      choices = [...choices, { value: MULTI_DONE, label: 'common.done', kind: 'done' }];
    }
    const built = this.buttons(choices).map(([spec, pending]): [ButtonSpec, PendingButton] =>
      selected?.includes(pending.value) ? [{ ...spec, label: { key: 'common.ticked', vars: { label: spec.label } } }, pending] : [spec, pending],
    );
    const text: Text = { key: step.ask, vars: textVars(step.vars, this.state.vars), ...(step.multilingual ? { multilingual: true } : {}) };
    this.replies.push({ text: [text], buttons: built.map(([spec]) => spec) });
    this.state.awaiting = { nonce: this.state.nonce, buttons: built.map(([, pending]) => pending), ...(selected ? { selected } : {}) };
  }

  /** A tap on a multi question: toggle, or Done. The question comes again with the new ticks. */
  private toggle(frame: Frame, step: Extract<Step, { ask: string }>, button: PendingButton): boolean {
    const awaiting = this.state.awaiting!;
    const selected = awaiting.selected ?? [];
    if (button.value === MULTI_DONE) {
      if (selected.length === 0) {
        this.say('common.choose_some');
        this.ask(step, true);
        return false;
      }
      setPath(this.state.vars, step.save, selected);
      this.state.awaiting = undefined;
      frame.step = step.next!;
      return true;
    }
    awaiting.selected = selected.includes(button.value) ? selected.filter((v) => v !== button.value) : [...selected, button.value];
    this.state.nonce = awaiting.nonce;
    this.ask(step, true);
    return false;
  }

  private answer(input: EngineInput): void {
    const { frame, step } = this.current();
    if (!('ask' in step) || !this.state.awaiting || this.state.awaiting.event) {
      // A stack without an open question should not happen; start over kindly rather than stall.
      this.state.stack = [];
      this.begin(this.set.commands.home);
      return this.run();
    }
    if (this.accept(frame, step, input)) return this.run();
  }

  /** Tries the input as the answer to `step`; on success saves it and moves the frame on. */
  private accept(frame: Frame, step: Extract<Step, { ask: string }>, input: EngineInput, silent = false): boolean {
    const awaiting = this.state.awaiting!;
    const retry = (reason: string, vars?: Record<string, TextVar>) => {
      if (silent) return false;
      this.say(step.retry && reason === 'common.retry_choice' ? step.retry : reason, vars);
      this.state.nonce = awaiting.nonce;
      this.ask(step, true);
      return false;
    };
    const take = (value: unknown, goto?: string, label?: Text) => {
      setPath(this.state.vars, step.save, value);
      // Keep what was picked as a text too, so a later step can say it back in the person's language.
      setPath(this.state.vars, `${step.save}_label`, label);
      this.state.awaiting = undefined;
      frame.step = goto ?? step.next!;
      return true;
    };
    const choices = this.choicesOf(step);
    const takeChoice = (button: PendingButton) =>
      step.multi
        ? this.toggle(frame, step, button)
        : step.free_text?.understand
        ? take({ text: '', topics: [button.value], intent: button.value, confident: true, picked: true }, button.goto)
        : take(button.value, button.goto, button.label);

    if (input.type === 'button') {
      const pending = awaiting.buttons.find((b) => b.id === input.id) ?? uniqueBy(awaiting.buttons, (b) => b.kind === input.id);
      const byLabel = pending ?? awaiting.buttons.find((b) => this.ctx.matchesLabel(input.id, b.label, this.state.vars));
      if (byLabel) return takeChoice(byLabel);
      return retry(/^[0-9a-z]+\.\d+$/.test(input.id) ? 'common.old_button' : 'common.retry_choice');
    }
    if (input.type === 'media') return retry('common.media_unsupported');
    if (input.type !== 'text') return false;

    const text = input.text.trim();
    if (text === '') return retry('common.empty');
    if (choices.length > 0) {
      const number = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
      const chosen =
        (number >= 1 && number <= awaiting.buttons.length ? awaiting.buttons[number - 1] : undefined) ??
        awaiting.buttons.find((b) => this.ctx.matchesLabel(text, b.label, this.state.vars) || (b.value !== '' && normalise(b.value) === normalise(text))) ??
        this.byIntent(awaiting.buttons, input.understood, !!step.free_text);
      if (chosen) return takeChoice(chosen);
    }
    const free = step.free_text;
    if (!free) return retry('common.retry_choice');
    if (text.length > free.max) return retry('common.too_long', { max: free.max });
    if (text.length < free.min) return retry('common.too_short');
    if (free.validate === 'phone' && !/^\+?[\d\s()-]{8,20}$/.test(text)) return retry('common.bad_phone');
    if (!free.understand) return take(text);
    const needs = input.understood?.needs ?? [];
    // "hoi", "ok", "dank je" are not a need: ask again, kindly.
    if (needs.length === 0 && SMALL_TALK.has(input.understood?.intent ?? 'none')) return retry('common.small_talk');
    return take({ text, topics: needs, intent: input.understood?.intent ?? 'none', confident: needs.length > 0 });
  }

  /** A typed "ja"/"ok" answers a yes/no question; a typed need answers a topic question. */
  private byIntent(buttons: PendingButton[], understood: Understood | undefined, hasFreeText: boolean): PendingButton | undefined {
    if (!understood) return undefined;
    if (understood.intent === 'affirm') return buttons.find((b) => b.kind === 'yes' || b.kind === 'consent.yes');
    if (understood.intent === 'deny') return buttons.find((b) => b.kind === 'no' || b.kind === 'consent.no');
    if (!hasFreeText && understood.needs.length > 0) return buttons.find((b) => b.value === understood.needs[0]);
    return undefined;
  }
}

function uniqueBy<T>(items: T[], predicate: (item: T) => boolean): T | undefined {
  const found = items.filter(predicate);
  return found.length === 1 ? found[0] : undefined;
}

function setPath(vars: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let target = vars;
  for (const part of parts.slice(0, -1)) {
    if (!target[part] || typeof target[part] !== 'object') target[part] = {};
    target = target[part] as Record<string, unknown>;
  }
  if (value === undefined) delete target[parts[parts.length - 1]];
  else target[parts[parts.length - 1]] = value;
}

export { readPath };
