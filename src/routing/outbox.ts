import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { errorFields, log } from '../core/log.js';
import type { Keys } from '../store/keys.js';
import type { UnitOfWork } from '../store/unit-of-work.js';

/** Timers the scheduler knows. Jobs carry ids and event names, never rendered text. */
export type TimerName = 'offer-expire' | 'follow-up' | 'escalation-sla' | 'deliver';

export type OutboxItem =
  /** Deliver an event into a person's conversation (rendered there, in their language). */
  | { type: 'notify'; person: string; event: { name: string; data?: Record<string, unknown> } }
  | { type: 'timer'; name: TimerName; id: string; delayMs: number; data: Record<string, unknown> }
  | { type: 'cancel'; name: TimerName; id: string }
  /** Find a volunteer (or escalate) for a request. */
  | { type: 'route'; requestId: string };

type Stored = OutboxItem & { uid: string; tries?: number };

const MAX_TRIES = 8;

/**
 * The transactional outbox: what must happen after a commit (a message to a
 * volunteer, a timer) is written in the same commit, then carried out. A crash
 * in between loses nothing: the items are still in Redis and are drained later.
 */
export class Outbox {
  private draining?: Promise<void>;
  private again = false;

  constructor(private readonly redis: Redis, private readonly keys: Keys, private readonly handle: (item: Stored) => Promise<void>) {}

  static add(work: UnitOfWork, keys: Keys, item: OutboxItem): void {
    work.write('RPUSH', keys.outbox(), JSON.stringify({ ...item, uid: randomUUID() }));
  }

  /** Starts draining (or makes a running drain go round once more). Resolves when the outbox is empty. */
  kick(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      do {
        this.again = false;
        await this.drainOnce();
      } while (this.again);
    })().finally(() => (this.draining = undefined));
    return this.draining;
  }

  /** Resolves once nothing is being drained. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** After a crash: items a dead process had taken go back in line (handlers are idempotent by uid or job id). */
  async recover(): Promise<number> {
    let moved = 0;
    while (await this.redis.lmove(this.keys.outboxBusy(), this.keys.outbox(), 'LEFT', 'LEFT')) moved += 1;
    return moved;
  }

  private async drainOnce(): Promise<void> {
    for (;;) {
      const raw = await this.redis.lmove(this.keys.outbox(), this.keys.outboxBusy(), 'LEFT', 'RIGHT');
      if (!raw) return;
      const item = JSON.parse(raw) as Stored;
      try {
        await this.handle(item);
      } catch (error) {
        const tries = (item.tries ?? 0) + 1;
        log.warn('outbox.retry', { type: item.type, tries, ...errorFields(error) });
        if (tries < MAX_TRIES) await this.redis.rpush(this.keys.outbox(), JSON.stringify({ ...item, tries }));
        else {
          log.error('outbox.gave_up', { type: item.type, uid: item.uid });
          await this.redis.rpush(`${this.keys.outbox()}:dead`, raw);
        }
        if (tries < MAX_TRIES) await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** tries, 2000)));
      } finally {
        await this.redis.lrem(this.keys.outboxBusy(), 1, raw);
      }
    }
  }
}
