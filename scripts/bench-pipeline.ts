/**
 * The `pipeline` bench: many concurrent scripted conversations through the full
 * turn (dedupe, lock, session load/save, engine step, effects, render) on real
 * Redis, against a baseline of the same number of turns doing one GET and one SET.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createApp, loadAssets } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { consoleRef } from '../src/channels/console/console-channel.js';
import type { Activity } from '../src/core/types.js';
import { setLogLevel } from '../src/core/log.js';
import { percentile, deleteKeys } from './bench-util.js';

const ROUNDS = 4;

function script(): ({ text: string } | { button: string })[] {
  const steps: ({ text: string } | { button: string })[] = [{ text: 'hoi' }, { button: 'lang.nl' }, { button: 'consent.yes' }];
  for (let i = 0; i < ROUNDS; i++) {
    steps.push({ button: 'topic.need.practical' }, { button: 'wijk.hoven' }, { button: 'contact.chat' }, { button: 'contact.evening' }, { text: '/menu' });
  }
  return steps;
}


async function runConcurrent(conversations: number, turnsEach: number, turn: (conversation: number, step: number) => Promise<void>) {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: conversations }, async (_, c) => {
      for (let s = 0; s < turnsEach; s++) {
        const t0 = performance.now();
        await turn(c, s);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { turns: latencies.length, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}


export async function benchPipeline(conversations = 1000, lightLoad = 20): Promise<Record<string, unknown>> {
  setLogLevel('silent');
  const prefix = `bench:${randomBytes(4).toString('hex')}:`;
  const config = loadConfig({ ...process.env, REDIS_PREFIX: prefix, LOG_LEVEL: 'error' });
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const app = createApp(config, redis, { assets: loadAssets(), flood: false });
  const steps = script();
  const run = Math.random().toString(36).slice(2, 8);
  try {
    let failures = 0;
    const turn = (tag: string) => async (c: number, s: number) => {
      const step = steps[s];
      const activity: Activity = { id: `${run}-${tag}-${c}-${s}`, ref: consoleRef(`bench-${tag}-${c}`), ...('text' in step ? { type: 'message', text: step.text } : { type: 'button', button: step.button }) };
      const replies = await app.pipeline.handle(activity);
      if (replies.length === 0 || /iets mis/.test(replies[0].text)) failures += 1;
    };
    // Saturated: all conversations at once (latency here is mostly waiting in line).
    const project = await runConcurrent(conversations, steps.length, turn('full'));
    // Light load: the latency one person feels when the service is not overloaded.
    const light = await runConcurrent(lightLoad, steps.length * 10, async (c, s) => turn('light')(c + 1000 * Math.floor(s / steps.length), s % steps.length));
    const requests = await redis.zcard(app.keys.requests());
    const baseline = await runConcurrent(conversations, steps.length, async (c, s) => {
      const key = `${prefix}baseline:${c}`;
      const value = await redis.get(key);
      await redis.set(key, JSON.stringify({ v: (value ? JSON.parse(value).v : 0) + 1, s }));
    });
    return {
      bench: 'pipeline',
      conversations,
      messages: project.turns,
      msgs_per_s: Math.round(project.perSecond),
      p50_ms: +project.p50.toFixed(2),
      p99_ms: +project.p99.toFixed(2),
      light_concurrency: lightLoad,
      light_p50_ms: +light.p50.toFixed(2),
      light_p99_ms: +light.p99.toFixed(2),
      baseline_msgs_per_s: Math.round(baseline.perSecond),
      baseline_p99_ms: +baseline.p99.toFixed(2),
      ratio: +(project.perSecond / baseline.perSecond).toFixed(3),
      failed_turns: failures,
      requests_stored: requests,
    };
  } finally {
    await deleteKeys(redis, `${prefix}*`);
    redis.disconnect();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchPipeline(Number(process.argv[2] ?? 1000)).then((line) => {
    process.stdout.write(`${JSON.stringify(line)}\n`);
    process.exit(0);
  });
}
