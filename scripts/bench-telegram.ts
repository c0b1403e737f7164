/**
 * The `telegram` bench: webhook updates per second through grammy and the whole
 * pipeline (real Redis) to the replies on a local Bot API sink, against a bare
 * grammy bot that answers every update with a fixed text, on the same harness
 * (same HTTP server, same load, same sink) in the same run.
 *
 *   npx tsx scripts/bench-telegram.ts [conversations]
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { Worker } from 'node:worker_threads';
import { Bot, webhookCallback } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { Redis } from 'ioredis';
import { createApp, loadAssets } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { setLogLevel } from '../src/core/log.js';
import { CallbackSigner } from '../src/channels/telegram/callback-data.js';
import { TelegramChannel } from '../src/channels/telegram/telegram-channel.js';
import { createHttpServer, listen, type Route } from '../src/http/server.js';
import { Metrics } from '../src/http/metrics.js';
import { percentile, deleteKeys } from './bench-util.js';

const TOKEN = '4242:bench-token';
const SECRET = 'bench-secret';
const BOT = { id: 4242, is_bot: true, first_name: 'Bench', username: 'bench_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false } as UserFromGetMe;
const ROUNDS = 4;

type Step = { text: string } | { button: string };

/** The intake, then a few more questions, as in the pipeline bench. */
function script(): Step[] {
  const steps: Step[] = [{ text: 'hoi' }, { button: 'lang.nl' }, { button: 'consent.yes' }];
  for (let i = 0; i < ROUNDS; i++) {
    steps.push({ button: 'topic.need.practical' }, { button: 'wijk.hoven' }, { button: 'contact.chat' }, { button: 'contact.evening' }, { text: '/menu' });
  }
  return steps;
}

/**
 * The Bot API sink and the load driver run in worker threads, as Telegram and
 * its users are other machines: the main thread does only the bot's own work.
 */
const SINK = `
const { parentPort } = require('node:worker_threads');
const { createServer } = require('node:http');
const calls = {}; let apologies = 0; let messageId = 0;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const method = (req.url || '').split('/').pop();
    calls[method] = (calls[method] || 0) + 1;
    let result = true;
    if (method === 'sendMessage') {
      const payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (payload.text.includes('iets mis') || payload.text.includes('nog bezig')) apologies += 1;
      result = { message_id: ++messageId, date: 0, chat: { id: Number(payload.chat_id), type: 'private' }, text: '' };
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, result }));
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', () => parentPort.postMessage({ calls, apologies }));
`;

const DRIVER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Agent, request } = require('node:http');
const { port, secret, chats } = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: chats.length });
const latencies = []; let failed = 0;
const post = (body) => new Promise((resolve, reject) => {
  const req = request({ host: '127.0.0.1', port, path: '/telegram', method: 'POST', agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-telegram-bot-api-secret-token': secret } },
    (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
  req.on('error', reject);
  req.end(body);
});
(async () => {
  const started = performance.now();
  await Promise.all(chats.map(async (bodies) => {
    for (const body of bodies) {
      const t0 = performance.now();
      if ((await post(body)) !== 200) failed += 1;
      latencies.push(performance.now() - t0);
    }
  }));
  parentPort.postMessage({ latencies, seconds: (performance.now() - started) / 1000, failed });
  agent.destroy();
})();
`;

function once<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}


let nextUpdateId = 1;

/** The updates one chat sends, as webhook bodies (callback data signed as the bot would have). */
function bodiesFor(chat: number, steps: Step[], signer: CallbackSigner): string[] {
  const from = { id: chat, is_bot: false, first_name: 'Bench', language_code: 'nl' };
  const chatObj = { id: chat, type: 'private', first_name: 'Bench' };
  return steps.map((step) => {
    const update_id = nextUpdateId++;
    const update =
      'text' in step
        ? { update_id, message: { message_id: update_id, date: 0, chat: chatObj, from, text: step.text } }
        : { update_id, callback_query: { id: `q${update_id}`, chat_instance: 'bench', from, data: signer.sign(chat, step.button), message: { message_id: 1, date: 0, chat: chatObj, from: BOT, text: '?' } } };
    return JSON.stringify(update);
  });
}

interface Run {
  latencies: number[];
  seconds: number;
  failed: number;
}

/** Many chats at once, each sending its steps one after the other to POST /telegram; latency is the webhook round trip. */
async function drive(port: number, conversations: number, steps: Step[], firstChat: number): Promise<Run> {
  const signer = new CallbackSigner(TOKEN);
  const chats = Array.from({ length: conversations }, (_, c) => bodiesFor(firstChat + c, steps, signer));
  const worker = new Worker(DRIVER, { eval: true, workerData: { port, secret: SECRET, chats } });
  const run = await once<Run>(worker);
  await worker.terminate();
  return run;
}

function summary(runs: Run[]) {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((a, r) => a + r.seconds, 0);
  return { updates: latencies.length, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed: runs.reduce((a, r) => a + r.failed, 0) };
}

async function serve(route: Route, redis: Redis): Promise<{ server: Server; port: number }> {
  const server = createHttpServer({ redis, metrics: new Metrics(), routes: { '/telegram': route } });
  return { server, port: await listen(server, 0) };
}


export async function benchTelegram(conversations = 200, rounds = 3): Promise<Record<string, unknown>> {
  setLogLevel('silent');
  const prefix = `bench:${randomBytes(4).toString('hex')}:`;
  const config = loadConfig({ ...process.env, REDIS_PREFIX: prefix, LOG_LEVEL: 'error' });
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const sink = new Worker(SINK, { eval: true });
  const apiRoot = `http://127.0.0.1:${(await once<{ port: number }>(sink)).port}`;
  const sinkStats = async () => (sink.postMessage('stats'), once<{ calls: Record<string, number>; apologies: number }>(sink));
  const totalCalls = async () => Object.values((await sinkStats()).calls).reduce((a, b) => a + b, 0);

  const app = createApp(config, redis, { assets: loadAssets(), flood: false });
  const channel = new TelegramChannel({ token: TOKEN, botInfo: BOT, apiRoot, pipeline: app.pipeline, i18n: app.i18n, redis, keys: app.keys, defaultLanguage: 'nl' });
  const project = await serve(channel.webhook(SECRET), redis);

  const bare = new Bot(TOKEN, { botInfo: BOT, client: { apiRoot } });
  bare.on('callback_query', (ctx, next) => (void ctx.answerCallbackQuery(), next()));
  bare.use((ctx) => ctx.api.sendMessage(ctx.chat!.id, 'Dank je, ik heb je bericht ontvangen.'));
  const baseline = await serve(webhookCallback(bare, 'http', { secretToken: SECRET }) as Route, redis);

  const steps = script();
  let chat = 1_000_000;
  try {
    // Warm both up (JIT, connections), then alternate rounds so drift hits both alike.
    await drive(project.port, 20, steps, (chat += 10_000));
    await drive(baseline.port, 20, steps, (chat += 10_000));
    const projectRuns: Run[] = [];
    const baselineRuns: Run[] = [];
    let projectCalls = 0;
    for (let round = 0; round < rounds; round++) {
      const before = await totalCalls();
      projectRuns.push(await drive(project.port, conversations, steps, (chat += 10_000)));
      projectCalls += (await totalCalls()) - before;
      baselineRuns.push(await drive(baseline.port, conversations, steps, (chat += 10_000)));
    }
    const measured = summary(projectRuns);
    const base = summary(baselineRuns);
    const requests = await redis.zcard(app.keys.requests());
    return {
      bench: 'telegram',
      conversations,
      updates: measured.updates,
      updates_per_s: Math.round(measured.perSecond),
      p50_ms: +measured.p50.toFixed(2),
      p99_ms: +measured.p99.toFixed(2),
      baseline_updates_per_s: Math.round(base.perSecond),
      baseline_p99_ms: +base.p99.toFixed(2),
      ratio: +(measured.perSecond / base.perSecond).toFixed(3),
      api_calls_per_update: +(projectCalls / measured.updates).toFixed(2),
      failed_updates: measured.failed + base.failed + (await sinkStats()).apologies,
      requests_stored: requests,
    };
  } finally {
    project.server.close();
    baseline.server.close();
    await sink.terminate();
    await deleteKeys(redis, `${prefix}*`);
    redis.disconnect();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchTelegram(Number(process.argv[2] ?? 200)).then(
    (line) => {
      process.stdout.write(`${JSON.stringify(line)}\n`);
      process.exit(0);
    },
    (error) => {
      process.stderr.write(`${(error as Error).stack}\n`);
      process.exit(1);
    },
  );
}
