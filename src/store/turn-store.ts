import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';
import { BEGIN_TURN, COMMIT_TURN, RELEASE_LOCK } from './scripts.js';
import type { UnitOfWork } from './unit-of-work.js';

export class LockTimeout extends Error {
  constructor(conversation: string) {
    super(`conversation ${conversation} stayed locked too long`);
    this.name = 'LockTimeout';
  }
}

export type BeginResult = { status: 'duplicate' } | { status: 'ok'; token: string; session?: string };
export type CommitResult = 'ok' | 'fenced' | 'stale' | 'conflict';

export interface TurnStoreOptions {
  lockTtlMs?: number;
  lockWaitMs?: number;
  seenTtlSec?: number;
}

/** The Redis side of one turn: duplicate check, per-conversation lock, load; then an atomic commit. */
export class TurnStore {
  private readonly lockTtlMs: number;
  private readonly lockWaitMs: number;
  private readonly seenTtlSec: number;

  constructor(private readonly redis: Redis, private readonly keys: Keys, options: TurnStoreOptions = {}) {
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    this.lockWaitMs = options.lockWaitMs ?? 20_000;
    this.seenTtlSec = options.seenTtlSec ?? 7 * 24 * 3600;
    redis.defineCommand('srBeginTurn', { numberOfKeys: 3, lua: BEGIN_TURN });
    redis.defineCommand('srCommitTurn', { numberOfKeys: 3, lua: COMMIT_TURN });
    redis.defineCommand('srReleaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK });
  }

  /**
   * Waits for the conversation's lock (another turn of the same conversation may
   * hold it), then returns its session JSON — or `duplicate` when this activity
   * was already committed.
   */
  async begin(conversation: string, activityKey: string): Promise<BeginResult> {
    const token = randomUUID();
    const deadline = Date.now() + this.lockWaitMs;
    let pause = 2;
    for (;;) {
      const [status, session] = (await (this.redis as any).srBeginTurn(
        this.keys.seen(activityKey),
        this.keys.lock(conversation),
        this.keys.session(conversation),
        token,
        this.lockTtlMs,
      )) as [string, string | null];
      if (status === 'dup') return { status: 'duplicate' };
      if (status === 'ok') return { status: 'ok', token, session: session ?? undefined };
      if (Date.now() > deadline) throw new LockTimeout(conversation);
      await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
      pause = Math.min(pause * 2, 50);
    }
  }

  /** Saves the session (or deletes it when `session` is null) and the turn's writes, all or nothing. */
  async commit(
    conversation: string,
    activityKey: string,
    token: string,
    expectedVersion: number,
    session: string | null,
    sessionTtlSec: number,
    work: UnitOfWork,
  ): Promise<CommitResult> {
    const ops = work.encode();
    return (await (this.redis as any).srCommitTurn(
      this.keys.lock(conversation),
      this.keys.session(conversation),
      activityKey ? this.keys.seen(activityKey) : '',
      token,
      expectedVersion,
      session ?? '',
      sessionTtlSec,
      this.seenTtlSec,
      work.size,
      ...ops,
    )) as CommitResult;
  }

  /** Applies a unit of work outside any conversation (timers, admin): checks first, then all writes, atomically. */
  async commitWork(work: UnitOfWork): Promise<'ok' | 'conflict'> {
    if (work.size === 0) return 'ok';
    return (await (this.redis as any).srCommitTurn('', '', '', '', 0, '', 0, 0, work.size, ...work.encode())) as 'ok' | 'conflict';
  }

  async release(conversation: string, token: string): Promise<void> {
    await (this.redis as any).srReleaseLock(this.keys.lock(conversation), token);
  }
}
