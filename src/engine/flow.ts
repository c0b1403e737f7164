import { z } from 'zod';

/**
 * The flow language. A flow is a set of named steps; each step does one thing
 * (say, ask, set, branch, call, effect, end) and names the next step. Texts are
 * i18n keys only: a flow never holds a sentence a person will read.
 */

const Key = z.string().regex(/^[a-z][\w-]*(\.[\w-]+)+$/, 'must be an i18n key like "intake.ask_need"');
const StepName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'step names are lower_snake_case');
const Next = z.union([StepName, z.literal('end')]);

/** A value: a literal, or "$path.to.var" read from the conversation's vars. */
const Value: z.ZodType<unknown> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(Value), z.record(z.string(), Value)]));

/** A text variable: a value, a key to render ({t}), or each item of a list rendered through a key pattern ({each, key}). */
const TextVarSpec = z.union([
  z.string(),
  z.number(),
  z.object({ t: Key }).strict(),
  z.object({ each: z.string().startsWith('$'), key: z.string().includes('{}') }).strict(),
]);

const Condition = z
  .object({
    var: z.string().min(1),
    is: Value.optional(),
    not: Value.optional(),
    in: z.array(Value).optional(),
    exists: z.boolean().optional(),
  })
  .strict()
  .refine((c) => ['is', 'not', 'in', 'exists'].filter((k) => k in c).length === 1, 'a condition needs exactly one of is, not, in, exists');

const Choice = z
  .object({
    value: z.string(),
    label: Key,
    /** Variables for the label, e.g. a neighbourhood's proper name. */
    label_vars: z.record(z.string(), z.string()).optional(),
    kind: z.string().regex(/^[a-z][\w.-]*$/),
    /** Jump somewhere else than `next` when this choice is taken. */
    goto: Next.optional(),
  })
  .strict();

export const CHOICE_SOURCES = ['languages', 'topics', 'wijken'] as const;
export const VALIDATORS = ['text', 'phone'] as const;

const Common = {
  next: Next.optional(),
  vars: z.record(z.string(), TextVarSpec).optional(),
};

const SayStep = z
  .object({
    say: z.union([Key, z.array(Key).min(1)]),
    /** Action buttons: each value is a command, optionally with an argument ("accept_offer $event.offer"). */
    buttons: z.array(Choice).optional(),
    /** A photo, voice note or file to pass on by reference ("$event.media"). */
    media: z.string().startsWith('$').optional(),
    multilingual: z.boolean().optional(),
    ...Common,
  })
  .strict();

const AskStep = z
  .object({
    ask: Key,
    choices: z.array(Choice).optional(),
    choices_from: z.enum(CHOICE_SOURCES).optional(),
    free_text: z
      .object({
        min: z.number().int().min(0).default(1),
        max: z.number().int().min(1).default(2000),
        validate: z.enum(VALIDATORS).default('text'),
        /** Keep what the NLU understood (topics, confidence) with the text. */
        understand: z.boolean().default(false),
      })
      .strict()
      .optional(),
    save: z.string().regex(/^[a-z]\w*(\.[a-z]\w*)*$/, "a variable name like need or contact.how"),
    /** Several choices may be ticked (toggle buttons and a Done button); saves a list. */
    multi: z.boolean().optional(),
    /** For multi: what is ticked at the start ("$helper.languages"). */
    preselect: z.string().startsWith('$').optional(),
    /** The text sent again after an answer that does not fit. */
    retry: Key.optional(),
    /** The conversation's opening message (same turn only) may answer this question. */
    accept_opening_text: z.boolean().optional(),
    multilingual: z.boolean().optional(),
    ...Common,
  })
  .strict()
  .refine((s) => s.choices || s.choices_from || s.free_text, 'an ask needs choices, choices_from or free_text')
  .refine((s) => !s.multi || (!s.free_text && (s.choices || s.choices_from)), 'a multi ask needs choices and no free_text');

const SetStep = z.object({ set: z.record(z.string(), Value), ...Common }).strict();
const BranchStep = z
  .object({
    branch: z.array(z.union([z.object({ if: Condition, goto: Next }).strict(), z.object({ else: Next }).strict()])).min(1),
  })
  .strict();
const CallStep = z.object({ call: z.string(), ...Common }).strict();
const EffectStep = z.object({ effect: z.string().regex(/^[a-z]+(\.[a-z_]+)+$/), args: z.record(z.string(), Value).optional(), ...Common }).strict();
/** Pauses until an effect answers with this event (same turn), e.g. the result of redeeming a code. */
const WaitStep = z.object({ wait: z.string().regex(/^[a-z]+(\.[a-z_]+)+$/), save: z.string().optional(), ...Common }).strict();
const EndStep = z.object({ end: z.literal(true) }).strict();

export const StepSchema = z.union([SayStep, AskStep, SetStep, BranchStep, CallStep, EffectStep, WaitStep, EndStep]);

export const FlowSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    start: StepName,
    steps: z.record(StepName, StepSchema),
  })
  .strict();

export const CommandsSchema = z
  .object({
    commands: z.record(
      z.string().regex(/^[a-z_]+$/),
      z
        .object({
          /** Words that call it, with or without a slash (e.g. "/taal", "taal"). Slash forms are matched exactly; bare words only as the whole message. */
          aliases: z.array(z.string().min(1)).min(1),
          flow: z.string(),
          /** interrupt: run it on top and ask the open question again after; replace: clear the stack first. */
          mode: z.enum(['interrupt', 'replace']),
        })
        .strict(),
    ),
    /** The flow for a message when nothing is open. */
    home: z.string(),
    /** The flow for the very first message of a conversation. */
    first: z.string(),
    /** The flow run on top of anything when the crisis detector fires. */
    crisis: z.string().optional(),
    /** The flow run on top when the crisis signal is unsure: it asks whether the person is in danger. */
    crisis_check: z.string().optional(),
    /** Flows run on top when an event (a reminder, a result of an effect) arrives. */
    events: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export type Step = z.infer<typeof StepSchema>;
export type SayStep = z.infer<typeof SayStep>;
export type AskStep = z.infer<typeof AskStep>;
export type Choice = z.infer<typeof Choice>;
export type Condition = z.infer<typeof Condition>;
export type TextVarSpec = z.infer<typeof TextVarSpec>;
export type Flow = z.infer<typeof FlowSchema>;
export type Commands = z.infer<typeof CommandsSchema>;

export function stepKind(step: Step): 'say' | 'ask' | 'set' | 'branch' | 'call' | 'effect' | 'wait' | 'end' {
  if ('wait' in step) return 'wait';
  if ('ask' in step) return 'ask';
  if ('say' in step) return 'say';
  if ('set' in step) return 'set';
  if ('branch' in step) return 'branch';
  if ('call' in step) return 'call';
  if ('effect' in step) return 'effect';
  return 'end';
}
