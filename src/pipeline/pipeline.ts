import type { Redis } from 'ioredis';
import type { Activity, Messenger, RenderedMessage, Reply } from '../core/types.js';
import { conversationKey, personIdOf } from '../core/types.js';
import { isLang, langFromLocale, type Lang } from '../core/lang.js';
import { errorFields, log } from '../core/log.js';
import type { Engine, EngineInput, SessionState } from '../engine/engine.js';
import type { I18n } from '../i18n/i18n.js';
import type { Nlu } from '../nlu/types.js';
import type { Metrics } from '../http/metrics.js';
import type { Documents } from '../store/documents.js';
import type { Keys } from '../store/keys.js';
import { LockTimeout, type TurnStore } from '../store/turn-store.js';
import { UnitOfWork } from '../store/unit-of-work.js';
import type { EffectHandler, EffectOutcome } from './effects.js';
import type { FloodGuard } from './flood-guard.js';
import type { RoutingService } from '../routing/service.js';

/** The session as stored: the engine's state plus its version. */
interface StoredSession {
  v: number;
  state: SessionState;
}

export interface PipelineDeps {
  engine: Engine;
  i18n: I18n;
  nlu?: Nlu;
  turns: TurnStore;
  docs: Documents;
  keys: Keys;
  redis: Redis;
  effects: Record<string, EffectHandler>;
  metrics: Metrics;
  defaultLanguage: Lang;
  retentionMs: number;
  /** Sessions of people who did not (yet) consent live this long. */
  anonymousSessionTtlSec?: number;
  clock?: () => Date;
  /** Sends to other people than the one in this turn (proactive). */
  messenger?: Messenger;
  /** Per-conversation flood protection for what people send (not for events). */
  flood?: FloodGuard;
  routing?: RoutingService;
  /** Called after every successful commit (the outbox drains what the turn queued). */
  afterCommit?: () => void;
}

/** Splits "/taal" or "/start ABC123" into command and argument; "join CODE" too. Undefined for ordinary text. */
export function parseCommand(text: string): { name: string; arg?: string } | undefined {
  const trimmed = text.trim();
  const slash = /^(\/[^\s@]+)(?:@\w+)?(?:\s+([\s\S]*))?$/u.exec(trimmed);
  if (slash) return { name: slash[1].toLowerCase(), arg: slash[2]?.trim() || undefined };
  const join = /^join\s+(\S+)$/i.exec(trimmed);
  if (join) return { name: '/start', arg: join[1] };
  return undefined;
}

const MAX_ATTEMPTS = 3;

/**
 * One turn: drop duplicates → lock the conversation → load the session →
 * understand → step the engine → run effects → commit all at once → render.
 * A turn that throws saves nothing and the person still gets a kind answer.
 */
export class Pipeline {
  private readonly clock: () => Date;
  private readonly anonymousTtl: number;
  private inFlight = 0;
  private idle: (() => void)[] = [];

  constructor(private readonly deps: PipelineDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.anonymousTtl = deps.anonymousSessionTtlSec ?? 24 * 3600;
  }

  /** Resolves when no turn is running (graceful shutdown). */
  async drain(): Promise<void> {
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  async handle(activity: Activity): Promise<RenderedMessage[]> {
    this.inFlight += 1;
    const started = performance.now();
    try {
      return await this.turn(activity);
    } finally {
      this.deps.metrics.observeTurn(performance.now() - started);
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  private async turn(activity: Activity): Promise<RenderedMessage[]> {
    const { deps } = this;
    const conversation = conversationKey(activity.ref);
    const activityKey = `${activity.ref.channel}:${activity.id}`;
    const hint = langFromLocale(activity.localeHint);
    let lang: Lang = hint ?? deps.defaultLanguage;
    if (deps.flood && activity.type !== 'event') {
      const verdict = await deps.flood.check(conversation);
      if (verdict === 'drop') return [];
      if (verdict === 'warn') {
        const stored = await deps.redis.get(deps.keys.session(conversation));
        const storedLang = stored ? (JSON.parse(stored) as StoredSession).state.vars.lang : undefined;
        return [deps.i18n.render({ text: [{ key: 'common.flood' }, { key: 'common.emergency' }] }, isLang(storedLang) ? storedLang : lang)];
      }
    }
    for (let attempt = 1; ; attempt++) {
      let token: string | undefined;
      try {
        const begun = await deps.turns.begin(conversation, activityKey);
        if (begun.status === 'duplicate') {
          deps.metrics.inc('duplicates_total');
          return [];
        }
        token = begun.token;
        const stored = begun.session ? (JSON.parse(begun.session) as StoredSession) : undefined;
        const storedLang = stored?.state.vars.lang;
        if (isLang(storedLang)) lang = storedLang;

        const input = await this.toInput(activity, isLang(storedLang) ? storedLang : undefined, hint);
        let result = deps.engine.step(stored?.state, input);
        const replies = [...result.replies];
        const work = new UnitOfWork();
        let dropSession = false;
        const counters: string[] = [];
        // Effects may answer a waiting flow with an event; feed it back, a few rounds at most.
        for (let round = 0; ; round++) {
          const vars = result.state.vars;
          if (isLang(vars.lang)) lang = vars.lang;
          const events: NonNullable<EffectOutcome['event']>[] = [];
          for (const effect of result.effects) {
            const handler = deps.effects[effect.type];
            if (!handler) throw new Error(`no handler for effect ${effect.type}`);
            const outcome = await handler(effect, {
              now: this.clock(),
              ref: activity.ref,
              personId: personIdOf(activity.ref),
              lang,
              vars,
              work,
              keys: deps.keys,
              docs: deps.docs,
              redis: deps.redis,
              retentionSec: Math.ceil(deps.retentionMs / 1000),
              routing: deps.routing,
            });
            if (outcome?.setVars) Object.assign(vars, outcome.setVars);
            if (outcome?.dropSession) dropSession = true;
            if (outcome?.count) counters.push(outcome.count);
            if (outcome?.event) events.push(outcome.event);
          }
          if (events.length === 0) break;
          if (round >= 4) throw new Error('effects kept answering with events');
          for (const event of events) {
            result = deps.engine.step(result.state, { type: 'event', name: event.name, data: event.data });
            replies.push(...result.replies);
          }
        }
        const vars = result.state.vars;
        if (isLang(vars.lang)) lang = vars.lang;
        const personId = personIdOf(activity.ref);
        // Whoever writes is reachable again (a 403 earlier put them in this set).
        if (activity.type !== 'event') work.write('SREM', deps.keys.unreachable(), personId);
        if (activity.type === 'media' && activity.media?.fileRef && vars.consent === 'yes') {
          // What we cannot read yet is kept by reference (never downloaded), for the helper to receive later.
          const inbox = deps.keys.inbox(personId);
          work.write('RPUSH', inbox, JSON.stringify({ at: this.clock().toISOString(), kind: activity.media.kind, fileRef: activity.media.fileRef, channel: activity.ref.channel }));
          work.write('EXPIRE', inbox, Math.ceil(deps.retentionMs / 1000));
        }

        const version = stored?.v ?? 0;
        const session = dropSession ? null : JSON.stringify({ v: version + 1, state: result.state } satisfies StoredSession);
        const ttl = vars.consent === 'yes' ? Math.ceil(deps.retentionMs / 1000) : this.anonymousTtl;
        const committed = await deps.turns.commit(conversation, activityKey, token, version, session, ttl, work);
        if (committed !== 'ok') {
          // Nothing of ours was saved: our lock expired and someone else wrote (fenced, stale), or a
          // document we changed was changed meanwhile (conflict). Run the turn again on fresh state.
          await deps.turns.release(conversation, token);
          token = undefined;
          log.warn('turn.retry', { reason: committed, attempt });
          if (attempt < MAX_ATTEMPTS) continue;
          throw new Error(`commit refused: ${committed}`);
        }
        token = undefined;
        deps.metrics.inc('turns_total');
        deps.afterCommit?.();
        for (const name of counters) deps.metrics.inc(name);
        return replies.map((reply) => deps.i18n.render(reply, lang));
      } catch (error) {
        if (token) await deps.turns.release(conversation, token).catch(() => {});
        deps.metrics.inc('turn_errors_total');
        log.error('turn.failed', { channel: activity.ref.channel, type: activity.type, ...errorFields(error) });
        return [this.apology(lang, error instanceof LockTimeout ? 'common.busy' : 'common.error')];
      }
    }
  }

  /** The answer when a turn fails: an apology, and always the emergency numbers. */
  apology(lang: Lang, key = 'common.error'): RenderedMessage {
    const reply: Reply = { text: [{ key }, { key: 'common.emergency' }] };
    return this.deps.i18n.render(reply, lang);
  }

  private async toInput(activity: Activity, stored: Lang | undefined, hint: Lang | undefined): Promise<EngineInput> {
    switch (activity.type) {
      case 'button':
        return { type: 'button', id: activity.button ?? '' };
      case 'media':
        return { type: 'media', kind: activity.media?.kind ?? 'other', fileRef: activity.media?.fileRef };
      case 'event':
        return { type: 'event', name: activity.event?.name ?? 'unknown', data: activity.event?.data };
      default: {
        const text = activity.text ?? '';
        const command = parseCommand(text);
        if (command) return { type: 'command', name: command.name, arg: command.arg };
        const bare = this.deps.engine.commandFor(text.trim());
        if (bare) return { type: 'command', name: bare };
        if (!this.deps.nlu || text.trim() === '') return { type: 'text', text };
        const understood = await this.deps.nlu.classify(text, { stored, hint });
        const otherLang = understood.langDiffers && understood.detected && understood.detected !== stored ? understood.detected : undefined;
        return {
          type: 'text',
          text,
          understood: {
            intent: understood.intent,
            score: understood.score,
            needs: understood.needs,
            crisis: understood.crisis,
            ...(understood.crisisCheck ? { crisisCheck: true } : {}),
            ...(otherLang ? { otherLang } : {}),
          },
        };
      }
    }
  }
}
