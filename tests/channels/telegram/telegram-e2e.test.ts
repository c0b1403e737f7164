/**
 * End to end: the bot long-polls a local Bot API server (fake-bot-api.ts) with
 * TELEGRAM_API_ROOT pointing at it, on the real pipeline and real Redis. The
 * webhook runs on the service's own HTTP server.
 */
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, loadAssets, type App } from '../../../src/app.js';
import { runAdmin } from '../../../src/admin/commands.js';
import { MessengerRouter } from '../../../src/channels/router.js';
import { TelegramChannel, type TurnHandler } from '../../../src/channels/telegram/telegram-channel.js';
import { createHttpServer, listen } from '../../../src/http/server.js';
import { isUnreachable } from '../../../src/store/people.js';
import type { HelpRequest } from '../../../src/domain/request.js';
import { dropPrefix, testConfig, testRedis } from '../../helpers/redis.js';
import { BLOCKED, FakeBotApi, FakeUser, NOT_FOUND, TOKEN, TOO_MANY, updates } from './fake-bot-api.js';

const redis = testRedis();
const assets = loadAssets();
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A fresh Redis prefix, app, local Bot API and a channel pointed at it (TELEGRAM_API_ROOT). */
async function setup(options: { pipeline?: (app: App) => TurnHandler } = {}) {
  const api = await new FakeBotApi().start();
  const config = testConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot });
  const app = createApp(config, redis, { assets, flood: false });
  const tg = new TelegramChannel({
    token: config.telegram.token!,
    apiRoot: config.telegram.apiRoot,
    pipeline: options.pipeline?.(app) ?? app.pipeline,
    i18n: app.i18n,
    redis,
    keys: app.keys,
    defaultLanguage: config.defaultLanguage,
  });
  cleanups.push(() => dropPrefix(redis, config.keyPrefix), () => api.close());
  return { config, api, app, tg };
}

async function poll(tg: TelegramChannel) {
  await tg.startPolling();
  cleanups.push(() => tg.stop());
}

async function requests(app: App): Promise<HelpRequest[]> {
  const ids = await redis.zrange(app.keys.requests(), 0, '-1');
  return Promise.all(ids.map(async (id) => JSON.parse((await redis.get(app.keys.request(id)))!) as HelpRequest));
}

describe('Telegram end to end (long polling against a local Bot API server)', () => {
  it('a resident does the whole intake with buttons; the request is stored; optional calls may fail', async () => {
    const { api, app, tg } = await setup();
    api.unsupported.add('setMyCommands');
    api.unsupported.add('sendChatAction');
    await tg.init();
    await tg.setCommands();
    expect(api.of('setMyCommands').map((c) => c.response.error_code)).toEqual(Array(7).fill(404));
    await poll(tg);

    const anna = new FakeUser(api, 7001, 'nl');
    anna.say('hoi');
    const [first] = await anna.expect(/Kies je taal/);
    expect(first.reply_markup.inline_keyboard.map((row: unknown[]) => row.length)).toEqual([2, 2, 2]);
    expect(first.text).toContain('اختر لغتك'); // the multilingual first question, Arabic intact
    anna.tap(/Nederlands/);
    await anna.expect(/Mag ik opschrijven/);
    anna.tap(/Ja, dat mag/);
    await anna.expect(/Wat heb je nodig/);
    anna.tap(/Praktische hulp/);
    await anna.expect(/In welke wijk/);
    anna.tap(/De Hoven/);
    await anna.expect(/Hoe wil je/);
    anna.tap(/Via deze chat/);
    await anna.expect(/Wanneer/);
    anna.tap(/Avond/);
    const done = await anna.expect(/Ik heb je vraag opgeschreven/);
    expect(done.at(-1)!.text).toContain('De Hoven');

    expect(api.of('answerCallbackQuery')).toHaveLength(6);
    const [request] = await requests(app);
    expect(request).toMatchObject({ resident: 'telegram:7001', topics: ['need.practical'], wijk: 'hoven', lang: 'nl', contact: { how: 'chat', when: 'evening' } });
  });

  it('a sticker gets the kind reply, a tampered button a polite answer and nothing else', async () => {
    const { api, tg } = await setup();
    await poll(tg);
    const ben = new FakeUser(api, 7002, 'en');
    ben.say('hello');
    await ben.expect(/Choose your language/);
    ben.send({ sticker: { file_id: 'CAACAgSTICKER', file_unique_id: 'u', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } });
    await ben.expect(/can't read photos, voice messages, stickers/);
    await ben.expect(/Choose your language/); // and the open question again

    const sent = api.sent(7002).length;
    const real = api.sent(7002).at(-1)!.reply_markup.inline_keyboard[0][0].callback_data as string;
    api.push({ callback_query: updates.callback(0, 7002, real.replace(/\|.*/, '|AAAAAAAAAAAA'), 1, 'en').callback_query });
    await api.until(() => api.of('answerCallbackQuery').length === 1, 'the answer to the tampered button');
    expect(api.of('answerCallbackQuery')[0].payload.text).toMatch(/doesn't work here/);
    // The next real message is answered, and nothing was sent for the tampered press.
    ben.say('/help');
    await ben.expect(/neighbourhood team/);
    expect(api.sent(7002).slice(sent).map((m) => m.text).join()).not.toMatch(/Choose your language|old message/);
  });

  it('a volunteer joins with /start CODE from a deep link; the code works once', async () => {
    const { api, app, tg } = await setup();
    await poll(tg);
    const { id, invite } = (await runAdmin(app, ['volunteer', 'add'], { name: 'Anna de Vries', languages: 'nl,ar', wijk: 'hoven' })) as { id: string; invite: string };
    const anna = new FakeUser(api, 7010, 'nl');
    anna.say(`/start ${invite}`); // what Telegram sends for https://t.me/<bot>?start=<code>
    await anna.expect(/Welkom, Anna!/);
    expect(await redis.get(app.keys.helperByChannel('telegram:7010'))).toBe(id);
    const other = new FakeUser(api, 7011, 'nl');
    other.say(`/start ${invite}`);
    await other.expect(/Die code werkt niet/);
  });

  it('a 429 is waited out (retry_after) and the message still arrives', async () => {
    const { api, tg } = await setup();
    await poll(tg);
    api.fail('sendMessage', TOO_MANY(1));
    const cas = new FakeUser(api, 7003, 'nl');
    cas.say('hoi');
    await cas.expect(/Kies je taal/);
    const attempts = api.of('sendMessage');
    expect(attempts.map((c) => c.response.error_code ?? 200)).toEqual([429, 200]);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(950);
  });

  it('a 403 on a proactive send marks the person unreachable and flags their requests, once; writing again clears it', async () => {
    const { api, app, tg } = await setup();
    await poll(tg);
    const router = new MessengerRouter().register('telegram', tg.messenger);
    const ref = { channel: 'telegram' as const, conversationId: '7004', userId: '7004' };
    await redis.sadd(app.keys.requestsOf('telegram:7004'), 'r-7004');
    api.fail('sendMessage', BLOCKED);
    const note = app.i18n.render({ text: [{ key: 'common.busy' }] }, 'nl');
    await expect(router.send(ref, note)).resolves.toBeUndefined();
    expect(await isUnreachable(redis, app.keys, 'telegram:7004')).toBe(true);
    const events = (await redis.lrange(app.keys.requestEvents('r-7004'), 0, -1)).map((e) => JSON.parse(e));
    expect(events).toEqual([expect.objectContaining({ type: 'person.unreachable', data: { person: 'telegram:7004' } })]);
    await router.send(ref, note); // no second call to Telegram, no second flag
    expect(api.of('sendMessage')).toHaveLength(1);
    expect(await redis.llen(app.keys.requestEvents('r-7004'))).toBe(1);

    const dee = new FakeUser(api, 7004, 'nl');
    dee.say('hoi');
    await dee.expect(/Kies je taal/);
    expect(await isUnreachable(redis, app.keys, 'telegram:7004')).toBe(false);
  });

  it('a crash mid-turn: the update is not confirmed, the next process answers it, once', async () => {
    let entered!: () => void;
    const inTurn = new Promise<void>((resolve) => (entered = resolve));
    // The first process "dies" in the middle of the turn: it never answers, never saves, never confirms the update.
    const crashed = await setup({ pipeline: () => ({ handle: () => (entered(), new Promise(() => {})) }) });
    const { api, app } = crashed;
    await crashed.tg.startPolling();
    cleanups.push(() => crashed.tg.bot.stop());
    const eve = new FakeUser(api, 7005, 'nl');
    eve.say('hoi');
    await inTurn;
    const restarted = new TelegramChannel({ token: TOKEN, apiRoot: api.apiRoot, pipeline: app.pipeline, i18n: app.i18n, redis, keys: app.keys, defaultLanguage: 'nl' });
    await poll(restarted);
    await eve.expect(/Kies je taal/);
    expect(api.sent(7005)).toHaveLength(1);
  });
});

describe('Telegram webhook on POST /telegram', () => {
  const SECRET = 'webhook-secret_123';

  async function serve() {
    const s = await setup();
    const server: Server = createHttpServer({ redis, metrics: s.app.metrics, routes: { '/telegram': s.tg.webhook(SECRET) } });
    const port = await listen(server, 0);
    cleanups.push(() => new Promise((r) => server.close(r)));
    const post = (update: unknown, secret?: string) =>
      fetch(`http://127.0.0.1:${port}/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) }, body: JSON.stringify(update) });
    return { ...s, post };
  }

  it('refuses requests without the right secret (401) and handles those with it', async () => {
    const { api, post } = await serve();
    expect((await post(updates.text(900, 7100, 'hoi'))).status).toBe(401);
    expect((await post(updates.text(901, 7100, 'hoi'), 'wrong')).status).toBe(401);
    expect(api.sent(7100)).toHaveLength(0);
    const ok = await post(updates.text(902, 7100, 'hoi'), SECRET);
    expect(ok.status).toBe(200);
    expect(api.sent(7100).map((m) => m.text).join()).toMatch(/Kies je taal/);
  });

  it('processes a repeated update_id once, even when both copies arrive at the same time', async () => {
    const { api, app, post } = await serve();
    const update = updates.text(903, 7101, 'hoi');
    const [a, b] = await Promise.all([post(update, SECRET), post(update, SECRET)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await post(update, SECRET)).status).toBe(200);
    expect(api.sent(7101)).toHaveLength(1);
    expect(app.metrics.get('duplicates_total')).toBe(2);
  });
});

/** One start of the real service (src/main.ts): it loads the NLU, so it costs a few seconds; polling is covered above at channel level. */
describe('npm start with Telegram settings', () => {
  const ROOT = new URL('../../../', import.meta.url).pathname;

  /** Starts src/main.ts as `npm start` would, with its own key prefix; resolves with the HTTP port once Telegram is up. */
  async function start(env: Record<string, string>) {
    const { spawn } = await import('node:child_process');
    const config = testConfig();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', REDIS_PREFIX: config.keyPrefix, WORKER: 'off', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    cleanups.push(() => dropPrefix(redis, config.keyPrefix), async () => (child.kill('SIGTERM'), await exited));
    let stderr = '';
    const port = await new Promise<number>((resolve, reject) => {
      let found = 0;
      child.stderr!.on('data', (d) => {
        stderr += d;
        found ||= Number(/"event":"service.started","port":(\d+)/.exec(stderr)?.[1] ?? 0);
        if (found && stderr.includes('"telegram.started"')) resolve(found);
      });
      void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    return { port, child, exited, stderr: () => stderr };
  }

  it('webhook: setWebhook with the secret; POST /telegram without it is 401, with it answered', async () => {
    const api = await new FakeBotApi().start();
    cleanups.push(() => api.close());
    const { port } = await start({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram', TELEGRAM_WEBHOOK_SECRET: 'shh_123' });
    expect(api.of('setWebhook')[0].payload).toMatchObject({ url: 'https://bot.example.org/telegram', secret_token: 'shh_123' });
    const post = (secret?: string) =>
      fetch(`http://127.0.0.1:${port}/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) }, body: JSON.stringify(updates.text(950, 7201, 'hoi')) });
    expect((await post()).status).toBe(401);
    expect((await post('shh_123')).status).toBe(200);
    expect(api.sent(7201).map((m) => m.text).join()).toMatch(/Kies je taal/);
  });
});
