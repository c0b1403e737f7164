import { Redis } from 'ioredis';
import { createApp, loadAssets, type App } from '../../src/app.js';
import { consoleRef } from '../../src/channels/console/console-channel.js';
import type { ConversationRef, Messenger, RenderedMessage } from '../../src/core/types.js';
import { loadDemo } from '../../src/channels/console/cli.js';
import type { HelpRequest } from '../../src/domain/request.js';
import { dropPrefix, REDIS_URL, testConfig } from './redis.js';
import type { Nlu } from '../../src/nlu/types.js';

const assets = loadAssets();

/** Records what the bot sends to whom, like the console but in memory. */
export class Inbox implements Messenger {
  readonly messages: { to: string; message: RenderedMessage }[] = [];
  async send(ref: ConversationRef, message: RenderedMessage): Promise<void> {
    this.messages.push({ to: ref.userId, message });
  }
  of(user: string): RenderedMessage[] {
    return this.messages.filter((m) => m.to === user).map((m) => m.message);
  }
  last(user: string): RenderedMessage | undefined {
    return this.of(user).at(-1);
  }
}

let seq = 0;

/**
 * A demo neighbourhood on real Redis and BullMQ, with its own prefix, driven
 * like the console: people type and tap; everything they cause is awaited.
 */
export class World {
  readonly inbox = new Inbox();
  readonly app: App;
  readonly redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  private workers: Redis[] = [];

  constructor(env: Record<string, string> = {}, options: { nlu?: Nlu } = {}) {
    this.app = createApp(testConfig(env), this.redis, { assets, messenger: this.inbox, flood: false, nlu: options.nlu });
  }

  async start(withWorker = true, seed = true): Promise<this> {
    if (seed) await loadDemo(this.app);
    if (withWorker) this.startWorker();
    return this;
  }

  startWorker(): void {
    const connection = this.redis.duplicate();
    this.workers.push(connection);
    this.app.startWorker(connection);
  }

  private async turn(user: string, activity: { type: 'message'; text: string } | { type: 'button'; button: string }): Promise<RenderedMessage[]> {
    const replies = await this.app.pipeline.handle({ id: `w${++seq}-${Date.now()}`, ref: consoleRef(user), ...activity });
    for (const message of replies) this.inbox.messages.push({ to: user, message });
    await this.app.idle();
    return replies;
  }

  say(user: string, text: string) {
    return this.turn(user, { type: 'message', text });
  }

  tap(user: string, button: string) {
    return this.turn(user, { type: 'button', button });
  }

  /** A resident goes through the intake by buttons. */
  async intake(user: string, topic: string, wijk: string, lang = 'nl'): Promise<void> {
    await this.say(user, 'hoi');
    await this.tap(user, `lang.${lang}`);
    await this.tap(user, 'consent.yes');
    await this.tap(user, `topic.${topic}`);
    await this.tap(user, `wijk.${wijk}`);
    await this.tap(user, 'contact.chat');
    await this.tap(user, 'contact.evening');
  }

  async requests(): Promise<HelpRequest[]> {
    const ids = await this.redis.zrange(this.app.keys.requests(), 0, '-1');
    return (await this.app.docs.getMany<HelpRequest>(ids.map((id) => this.app.keys.request(id)))).filter((r): r is HelpRequest => !!r);
  }

  async events(requestId: string): Promise<{ type: string; actor: string; data?: Record<string, unknown> }[]> {
    return (await this.redis.lrange(this.app.keys.requestEvents(requestId), 0, -1)).map((e) => JSON.parse(e));
  }

  /** Polls until `check` holds (timers run in the worker); no fixed sleeps. */
  async until<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.app.idle();
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error('condition not reached in time');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async stopWorkers(): Promise<void> {
    await this.app.close();
    for (const w of this.workers) w.disconnect();
    this.workers = [];
  }

  async close(): Promise<void> {
    await this.app.scheduler.queue.obliterate({ force: true }).catch(() => {});
    await this.stopWorkers();
    await dropPrefix(this.redis, this.app.config.keyPrefix);
    this.redis.disconnect();
  }
}
