import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { errorFields, log } from '../core/log.js';
import type { TimerName } from './outbox.js';

export type TimerHandler = (name: TimerName, data: Record<string, unknown>) => Promise<void>;

/**
 * Delayed jobs with fixed ids (`offer-expire:<offer>`), so a retry or a second
 * process never doubles a timer, and a step that happens first can cancel it.
 * They live in Redis and survive restarts.
 */
export class Scheduler {
  readonly queue: Queue;
  private worker?: Worker;

  constructor(private readonly connection: Redis, private readonly prefix: string) {
    this.queue = new Queue('timers', { connection, prefix: `${prefix}bull` });
  }

  /** BullMQ refuses ':' in custom ids and integer-like ids; ours are "<timer>.<id>". */
  static jobId(name: TimerName, id: string): string {
    return `${name}.${id.replace(/:/g, '.')}`;
  }

  async schedule(name: TimerName, id: string, delayMs: number, data: Record<string, unknown>): Promise<void> {
    await this.queue.add(name, data, { jobId: Scheduler.jobId(name, id), delay: Math.max(0, delayMs), removeOnComplete: true, removeOnFail: 1000, attempts: 5, backoff: { type: 'exponential', delay: 1000 } });
  }

  async cancel(name: TimerName, id: string): Promise<void> {
    try {
      await this.queue.remove(Scheduler.jobId(name, id));
    } catch (error) {
      // Already running or gone: the handler checks state and does nothing when the step already happened.
      log.debug('timer.cancel_skipped', { name, ...errorFields(error) });
    }
  }

  /** Runs a delayed timer now (tests and admin "do it now"). */
  async promote(name: TimerName, id: string): Promise<boolean> {
    const job = await this.queue.getJob(Scheduler.jobId(name, id));
    if (!job || !(await job.isDelayed())) return false;
    await job.promote();
    return true;
  }

  start(handler: TimerHandler, connection: Redis): void {
    this.worker = new Worker(
      'timers',
      async (job: Job) => handler(job.name as TimerName, job.data as Record<string, unknown>),
      { connection, prefix: `${this.prefix}bull`, concurrency: 8, stalledInterval: 30_000 },
    );
    this.worker.on('failed', (job, error) => log.warn('timer.failed', { name: job?.name, ...errorFields(error) }));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
