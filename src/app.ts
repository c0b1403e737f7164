import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Redis } from 'ioredis';
import { LANGS } from './core/lang.js';
import { NEED_INTENTS } from './core/intents.js';
import type { Config } from './config/config.js';
import type { Messenger, Text } from './core/types.js';
import { Engine, type EngineContext } from './engine/engine.js';
import type { Choice } from './engine/flow.js';
import { loadFlows, type FlowSet } from './engine/loader.js';
import { I18n } from './i18n/i18n.js';
import { Wijken } from './domain/wijken.js';
import { Metrics } from './http/metrics.js';
import type { Nlu } from './nlu/types.js';
import { EFFECTS } from './pipeline/effects.js';
import { Pipeline } from './pipeline/pipeline.js';
import { FloodGuard } from './pipeline/flood-guard.js';
import { Documents } from './store/documents.js';
import { Keys } from './store/keys.js';
import { TurnStore } from './store/turn-store.js';
import { RoutingService } from './routing/service.js';
import { DEFAULT_POLICY } from './routing/policy.js';
import { Scheduler } from './routing/scheduler.js';
import { Outbox } from './routing/outbox.js';
import { Notifier } from './routing/notifier.js';
import { isUrgent, quietFor } from './routing/quiet-hours.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The data a flow can list as choices. Labels are keys; wijk names are proper nouns passed as variables. */
export function choiceSources(wijken: Wijken): EngineContext['choices'] {
  const languages: Choice[] = LANGS.map((lang) => ({ value: lang, label: `language.names.${lang}`, kind: `lang.${lang}` }));
  const topics: Choice[] = NEED_INTENTS.map((intent) => ({ value: intent, label: `topics.${intent}`, kind: `topic.${intent}` }));
  const wijkChoices: Choice[] = wijken.all.map((w) =>
    w.name ? { value: w.id, label: 'wijken.named', label_vars: { name: w.name }, kind: `wijk.${w.id}` } : { value: w.id, label: `wijken.${w.id}`, kind: `wijk.${w.id}` },
  );
  return (source) => (source === 'languages' ? languages : source === 'topics' ? topics : wijkChoices);
}

function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[\p{Extended_Pictographic}\u{FE0F}\u{1F1E6}-\u{1F1FF}]/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A typed answer matches a button when it equals its label (without emoji) in any of our languages. */
export function labelMatcher(i18n: I18n): EngineContext['matchesLabel'] {
  return (typed: string, label: Text) => {
    const wanted = fold(typed);
    if (!wanted) return false;
    return LANGS.some((lang) => fold(i18n.text(label, lang)) === wanted);
  };
}

export interface Assets {
  flows: FlowSet;
  i18n: I18n;
  wijken: Wijken;
  engine: Engine;
}

/** Flows, texts and data from disk, validated. Throws a FlowError naming file and step. */
export function loadAssets(root = ROOT): Assets {
  const flows = loadFlows(join(root, 'flows'), new Set(Object.keys(EFFECTS)));
  const i18n = I18n.load(join(root, 'locales'));
  const wijken = Wijken.load(join(root, 'data', 'wijken.json'));
  const engine = new Engine(flows, { choices: choiceSources(wijken), matchesLabel: labelMatcher(i18n) });
  return { flows, i18n, wijken, engine };
}

export interface App extends Assets {
  config: Config;
  redis: Redis;
  routing: RoutingService;
  outbox: Outbox;
  scheduler: Scheduler;
  /** Resolves when no turn runs and the outbox is empty (all work caused so far is done). */
  idle(): Promise<void>;
  /** Runs the timer worker in this process (`WORKER=on`, or `npm run worker`). */
  startWorker(connection: Redis): void;
  close(): Promise<void>;
  keys: Keys;
  docs: Documents;
  turns: TurnStore;
  pipeline: Pipeline;
  metrics: Metrics;
}

export function createApp(config: Config, redis: Redis, options: { nlu?: Nlu; messenger?: Messenger; assets?: Assets; clock?: () => Date; flood?: false } = {}): App {
  const assets = options.assets ?? loadAssets();
  const keys = new Keys(config.keyPrefix);
  const docs = new Documents(redis);
  const turns = new TurnStore(redis, keys);
  const metrics = new Metrics();
  const clock = options.clock ?? (() => new Date());
  const routing = new RoutingService(redis, docs, keys, turns, assets.wijken, config, { ...DEFAULT_POLICY, maxVolunteerAttempts: config.maxOffers }, options.clock);
  const scheduler = new Scheduler(redis, config.keyPrefix);
  let outbox: Outbox | undefined;
  const pipeline = new Pipeline({
    routing,
    afterCommit: () => void outbox?.kick(),
    engine: assets.engine,
    i18n: assets.i18n,
    nlu: options.nlu,
    turns,
    docs,
    keys,
    redis,
    effects: EFFECTS,
    metrics,
    defaultLanguage: config.defaultLanguage,
    retentionMs: config.retentionMs,
    messenger: options.messenger,
    flood: options.flood === false ? undefined : new FloodGuard(redis, keys),
    clock: options.clock,
  });
  const notifier = new Notifier(docs, keys, pipeline, options.messenger);
  outbox = new Outbox(redis, keys, async (item) => {
    if (item.type === 'notify') {
      // Quiet hours: what is not urgent waits for the morning, as a timer in Redis.
      const wait = quietFor(clock(), config.quietHours, config.timeZone);
      if (wait > 0 && !isUrgent(item.event)) await scheduler.schedule('deliver', item.uid, wait, { uid: item.uid, person: item.person, event: item.event });
      else await notifier.deliver(item.uid, item.person, item.event);
    }
    else if (item.type === 'timer') await scheduler.schedule(item.name, item.id, item.delayMs, item.data);
    else if (item.type === 'cancel') await scheduler.cancel(item.name, item.id);
    else if (item.type === 'route') await routing.run((work) => routing.route(work, item.requestId));
  });
  const box = outbox;
  let workerConnection: Redis | undefined;
  return {
    ...assets,
    config,
    redis,
    keys,
    docs,
    turns,
    pipeline,
    metrics,
    routing,
    outbox: box,
    scheduler,
    async idle() {
      for (let i = 0; i < 50; i++) {
        await pipeline.drain();
        await box.kick();
        if ((await redis.llen(keys.outbox())) === 0 && (await redis.llen(keys.outboxBusy())) === 0) return;
      }
    },
    startWorker(connection: Redis) {
      workerConnection = connection;
      scheduler.start(async (name, data) => {
        if (name === 'deliver') await notifier.deliver(String(data.uid), String(data.person), data.event as { name: string; data?: Record<string, unknown> });
        else await routing.onTimer(name, data);
        await box.kick();
      }, connection);
      // Items a crashed process had taken go back in line, then everything waiting is carried out.
      void box.recover().then(() => box.kick());
    },
    async close() {
      await scheduler.close();
      workerConnection?.disconnect();
    },
  };
}
