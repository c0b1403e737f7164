/**
 * The Telegram channel without network: grammy's API transformer hook records
 * calls, bot.handleUpdate feeds updates (botInfo given, so no getMe).
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createApp, loadAssets } from '../../../src/app.js';
import { LANGS } from '../../../src/core/lang.js';
import type { Activity, RenderedMessage } from '../../../src/core/types.js';
import { CallbackSigner } from '../../../src/channels/telegram/callback-data.js';
import { escapeHtml, keyboardRows, MAX_MESSAGE_LENGTH, splitText, toTelegramMessages } from '../../../src/channels/telegram/format.js';
import { launchTelegram } from '../../../src/channels/telegram/launch.js';
import { retryTransformer } from '../../../src/channels/telegram/retry.js';
import { TelegramChannel, type TurnHandler } from '../../../src/channels/telegram/telegram-channel.js';
import { COMMAND_MEANINGS, COMMAND_NAMES } from '../../../src/channels/telegram/texts.js';
import { translate } from '../../../src/channels/telegram/updates.js';
import { Keys } from '../../../src/store/keys.js';
import { isUnreachable } from '../../../src/store/people.js';
import { dropPrefix, testConfig, testPrefix, testRedis } from '../../helpers/redis.js';
import { BLOCKED, BOT, NOT_FOUND, recorder, TOKEN, TOO_MANY, updates } from './fake-bot-api.js';

const redis = testRedis();
const assets = loadAssets();
const prefixes: string[] = [];
afterEach(async () => {
  for (const p of prefixes.splice(0)) await dropPrefix(redis, p);
});
afterAll(() => redis.disconnect());

const signer = new CallbackSigner(TOKEN);

function message(text: string, buttons: RenderedMessage['buttons'] = [], lang: RenderedMessage['lang'] = 'nl'): RenderedMessage {
  return { text, buttons, lang, rtl: lang === 'ar' };
}

/** A channel on a fake pipeline that answers every turn with `answer`. */
function channel(answer: (a: Activity) => RenderedMessage[] | Promise<RenderedMessage[]> = () => [message('ok')], extra: Partial<ConstructorParameters<typeof TelegramChannel>[0]> = {}) {
  const api = recorder();
  const prefix = testPrefix();
  prefixes.push(prefix);
  const seen: Activity[] = [];
  const pipeline: TurnHandler = { handle: vi.fn(async (a: Activity) => (seen.push(a), answer(a))) };
  const tg = new TelegramChannel({ token: TOKEN, botInfo: BOT, transformers: [api.transformer], pipeline, i18n: assets.i18n, redis, keys: new Keys(prefix), defaultLanguage: 'nl', retry: { sleep: async () => {} }, ...extra });
  return { tg, api, seen, pipeline, keys: new Keys(prefix) };
}

describe('formatting for Telegram', () => {
  it('escapes HTML and leaves Arabic, emoji and RTL marks as they are', () => {
    expect(escapeHtml('a < b & c > d')).toBe('a &lt; b &amp; c &gt; d');
    const arabic = '\u200Fمرحبا! <اختر> لغتك 🇸🇦 & شكراً';
    const [out] = toTelegramMessages(message(arabic, [], 'ar'), (id) => id);
    expect(out.parse_mode).toBe('HTML');
    expect(out.text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')).toBe(arabic);
  });

  it('splits long texts at 4096 characters, at paragraph breaks first, and keeps the buttons on the last part', () => {
    const paragraph = 'Dit is een zin over de buurt. '.repeat(40).trim();
    const text = Array.from({ length: 12 }, () => paragraph).join('\n\n');
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(parts.join('\n\n')).toBe(text);
    const out = toTelegramMessages(message(text, [{ id: '3.0', kind: 'yes', label: 'Ja' }]), (id) => signer.sign(1, id));
    expect(out).toHaveLength(parts.length);
    expect(out.slice(0, -1).every((m) => !m.reply_markup)).toBe(true);
    expect(out.at(-1)!.reply_markup!.inline_keyboard.flat().map((b) => b.text)).toEqual(['Ja']);
  });

  it('cuts a text without spaces between graphemes, never inside an Arabic letter with its marks', () => {
    const word = 'مَرْحَبًا'; // letters with harakat (combining marks)
    const text = word.repeat(1000);
    const parts = splitText(text);
    expect(parts.join('')).toBe(text);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
      expect(/^\p{M}/u.test(p)).toBe(false);
    }
  });

  it('puts two short labels on a row and a long label alone', () => {
    const rows = keyboardRows([{ text: '🇳🇱 Nederlands' }, { text: '🇬🇧 English' }, { text: '📄 Taal, brieven, formulieren' }, { text: 'Ja' }, { text: 'Nee' }, { text: 'Middag' }]);
    expect(rows.map((r) => r.length)).toEqual([2, 1, 2, 1]);
  });

  it('signs callback data within 64 bytes, bound to the chat', () => {
    for (const id of ['0.0', '1z.12', 'topic.need.social_contact', 'referral.decline']) {
      const data = signer.sign(4242, id);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(signer.verify(4242, data)).toBe(id);
      expect(signer.verify(4243, data)).toBeUndefined();
    }
    const data = signer.sign(4242, '3.1');
    expect(signer.verify(4242, data.replace('3.1', '3.2'))).toBeUndefined();
    expect(signer.verify(4242, '3.1')).toBeUndefined();
    expect(new CallbackSigner('999:other').verify(4242, data)).toBeUndefined();
  });
});

describe('updates → Activities', () => {
  it('text and commands stay text; the deep link payload arrives as "/start CODE"', () => {
    const hello = translate(updates.text(10, 77, 'hoi', 'uk'), signer);
    expect(hello).toEqual({
      type: 'activity',
      activity: { id: '10', type: 'message', ref: { channel: 'telegram', conversationId: '77', userId: '77' }, text: 'hoi', localeHint: 'uk', displayName: 'Test' },
    });
    for (const text of ['/start ABCD2345', '/help', '/taal', '/privacy', '/stop']) {
      expect(translate(updates.text(11, 77, text), signer)).toMatchObject({ type: 'activity', activity: { type: 'message', text } });
    }
  });

  it('an edited message is a new message with its own id; an edited live location is not', () => {
    expect(translate(updates.edited(12, 77, 'ik bedoel: schulden'), signer)).toMatchObject({ type: 'activity', activity: { id: '12', type: 'message', text: 'ik bedoel: schulden' } });
    const live = { update_id: 13, edited_message: { ...updates.message(13, 77, { location: { latitude: 52, longitude: 5 } }).message!, edit_date: 3 } };
    expect(translate(live as any, signer).type).toBe('ignore');
  });

  it('what the bot cannot read becomes media with a kind and a reference', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ voice: { file_id: 'VOICE', file_unique_id: 'u', duration: 3 } }, 'voice', 'VOICE'],
      [{ photo: [{ file_id: 'SMALL', file_unique_id: 'a', width: 90, height: 90 }, { file_id: 'BIG', file_unique_id: 'b', width: 900, height: 900 }] }, 'photo', 'BIG'],
      [{ video: { file_id: 'VID', file_unique_id: 'u', width: 1, height: 1, duration: 1 } }, 'video', 'VID'],
      [{ sticker: { file_id: 'STK', file_unique_id: 'u', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } }, 'sticker', 'STK'],
      [{ document: { file_id: 'DOC', file_unique_id: 'u' } }, 'file', 'DOC'],
      [{ location: { latitude: 52.1, longitude: 5.1 } }, 'location', 'tg-message:77:14'],
      [{ contact: { phone_number: '0612345678', first_name: 'Ali' } }, 'contact', 'tg-message:77:14'],
    ];
    for (const [fields, kind, fileRef] of cases) {
      expect(translate(updates.message(14, 77, fields), signer)).toMatchObject({ type: 'activity', activity: { id: '14', type: 'media', media: { kind, fileRef } } });
    }
    // Never the phone number or the place itself: only where to find the message.
    expect(JSON.stringify(translate(updates.message(14, 77, cases[6][0]), signer))).not.toContain('0612345678');
  });

  it('ignores groups, bots and service messages', () => {
    const group = updates.text(15, 77, 'hoi');
    (group.message as any).chat = { id: -100, type: 'group', title: 'Buurt' };
    expect(translate(group, signer).type).toBe('ignore');
    expect(translate(updates.message(16, 77, { new_chat_title: 'x' }), signer).type).toBe('ignore');
  });
});

describe('the channel (transformer hook, handleUpdate)', () => {
  it('hands a text to the pipeline and sends the replies as HTML with a signed inline keyboard', async () => {
    const { tg, api, seen } = channel(() => [message('Kies <één>:', [{ id: '1.0', kind: 'lang.nl', label: '🇳🇱 Nederlands' }, { id: '1.1', kind: 'lang.en', label: '🇬🇧 English' }])]);
    await tg.bot.handleUpdate(updates.text(100, 555, 'hoi', 'en'));
    expect(seen).toEqual([expect.objectContaining({ id: '100', type: 'message', text: 'hoi', localeHint: 'en', ref: { channel: 'telegram', conversationId: '555', userId: '555' } })]);
    const [sent] = api.sent();
    expect(sent).toMatchObject({ chat_id: '555', text: 'Kies &lt;één&gt;:', parse_mode: 'HTML' });
    const row = sent.reply_markup.inline_keyboard[0];
    expect(row.map((b: any) => b.text)).toEqual(['🇳🇱 Nederlands', '🇬🇧 English']);
    expect(signer.verify(555, row[1].callback_data)).toBe('1.1');
  });

  it('a button press: the spinner is stopped and the pipeline gets the button id', async () => {
    const { tg, api, seen } = channel();
    await tg.bot.handleUpdate(updates.callback(101, 555, signer.sign(555, '2.0')));
    expect(api.of('answerCallbackQuery')).toHaveLength(1);
    expect(api.of('answerCallbackQuery')[0].payload).toEqual({ callback_query_id: 'cq101' });
    expect(seen).toEqual([expect.objectContaining({ id: '101', type: 'button', button: '2.0' })]);
    expect(api.sent()).toHaveLength(1);
  });

  it('tampered or foreign callback data gets a polite answer in the person\'s language, and nothing changes', async () => {
    const { tg, api, pipeline } = channel();
    const forged = signer.sign(555, '2.0').replace('2.0', '2.1');
    await tg.bot.handleUpdate(updates.callback(102, 555, forged, 1, 'en'));
    await tg.bot.handleUpdate(updates.callback(103, 555, signer.sign(999, '2.0'), 1, 'pl'));
    await tg.bot.handleUpdate(updates.callback(104, 555, 'lang.nl', 1, 'ar'));
    const answers = api.of('answerCallbackQuery').map((c) => c.payload.text);
    expect(answers).toEqual([assets.i18n.t('telegram.button_invalid', 'en'), assets.i18n.t('telegram.button_invalid', 'pl'), assets.i18n.t('telegram.button_invalid', 'ar')]);
    expect(answers[0]).toMatch(/doesn't work here/);
    expect(pipeline.handle).not.toHaveBeenCalled();
    expect(api.sent()).toHaveLength(0);
  });

  it('keeps updates of one chat in order when a webhook delivers them at once; other chats are not held up', async () => {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = new Promise<void>((r) => (releaseFirst = r));
    const { tg } = channel(async (a) => {
      order.push(`start ${a.id}`);
      if (a.id === '200') await first;
      order.push(`end ${a.id}`);
      return [message('ok')];
    });
    const a = tg.bot.handleUpdate(updates.text(200, 1, 'een'));
    const b = tg.bot.handleUpdate(updates.text(201, 1, 'twee'));
    await tg.bot.handleUpdate(updates.text(202, 2, 'ander'));
    expect(order).toEqual(['start 200', 'start 202', 'end 202']);
    releaseFirst();
    await Promise.all([a, b]);
    expect(order).toEqual(['start 200', 'start 202', 'end 202', 'end 200', 'start 201', 'end 201']);
  });

  it('"typing…" on a slow turn; its failure changes nothing', async () => {
    const { tg, api } = channel(async () => (await new Promise((r) => setTimeout(r, 30)), [message('klaar')]), { typingAfterMs: 0 });
    api.fail('sendChatAction', NOT_FOUND);
    await tg.bot.handleUpdate(updates.text(300, 9, 'hoi'));
    expect(api.of('sendChatAction')).toHaveLength(1);
    expect(api.sent().map((m) => m.text)).toEqual(['klaar']);
  });

  it('sets the command menu in all six languages and the default; survives an API without setMyCommands', async () => {
    const { tg, api } = channel();
    api.fail('setMyCommands', NOT_FOUND, 7);
    await tg.setCommands();
    const calls = api.of('setMyCommands');
    expect(calls).toHaveLength(7);
    expect(calls.map((c) => c.payload.language_code).sort()).toEqual([undefined, ...LANGS].sort());
    const ar = calls.find((c) => c.payload.language_code === 'ar')!.payload.commands;
    expect(ar.map((c: any) => c.command)).toEqual(['menu', 'language', 'help', 'privacy', 'stop']);
    expect(ar[0].description).toBe(assets.i18n.t('telegram.commands.menu', 'ar'));
    await tg.setCommands(); // now succeeding
    expect(api.of('setMyCommands').filter((c) => c.response.ok)).toHaveLength(7);
  });

  it('every command in the menu is a command the flows know, with the meaning it is listed under', () => {
    for (const lang of LANGS) {
      for (const meaning of COMMAND_MEANINGS) {
        const name = COMMAND_NAMES[lang][meaning];
        expect(name).toMatch(/^[a-z0-9_]{1,32}$/);
        expect(assets.engine.commandFor(`/${name}`)).toBe(meaning === 'menu' ? 'menu' : meaning);
      }
    }
  });

  it('relays media by reference after the text: a file_id is sent again, a message reference is copied', async () => {
    const { tg, api } = channel();
    const ref = { channel: 'telegram' as const, conversationId: '88', userId: '88' };
    await tg.messenger.send(ref, { ...message('Een foto van Ali:'), media: { kind: 'photo', fileRef: 'PHOTO-ID' } });
    await tg.messenger.send(ref, { ...message('Een plek:'), media: { kind: 'location', fileRef: 'tg-message:77:14' } });
    api.fail('sendVoice', { ok: false, error_code: 400, description: 'Bad Request: wrong file identifier' });
    await tg.messenger.send(ref, { ...message('Spraak:'), media: { kind: 'voice', fileRef: 'NOT-OURS' } });
    expect(api.calls.map((c) => c.method)).toEqual(['sendMessage', 'sendPhoto', 'sendMessage', 'copyMessage', 'sendMessage', 'sendVoice']);
    expect(api.of('sendPhoto')[0].payload).toMatchObject({ chat_id: '88', photo: 'PHOTO-ID' });
    expect(api.of('copyMessage')[0].payload).toMatchObject({ chat_id: '88', from_chat_id: '77', message_id: 14 });
  });

  it('a reply to someone who blocked the bot marks them unreachable; the bot goes on with the next update', async () => {
    const { tg, api, keys } = channel();
    api.fail('sendMessage', BLOCKED);
    await tg.bot.handleUpdate(updates.text(400, 31, 'hoi'));
    expect(await isUnreachable(redis, keys, 'telegram:31')).toBe(true);
    api.fail('sendMessage', { ok: false, error_code: 400, description: 'Bad Request: something' });
    await expect(tg.bot.handleUpdate(updates.text(401, 32, 'hoi'))).rejects.toThrow(/Bad Request/);
    await tg.bot.handleUpdate(updates.text(402, 32, 'nog een keer'));
    expect(api.sent().map((m) => m.chat_id)).toEqual(['32']);
  });

  it('a blocked bot (my_chat_member kicked) marks the person unreachable; unblocking clears it', async () => {
    const { tg, keys, pipeline } = channel();
    await tg.bot.handleUpdate(updates.blocked(500, 41, 'kicked'));
    expect(await isUnreachable(redis, keys, 'telegram:41')).toBe(true);
    await tg.bot.handleUpdate(updates.blocked(501, 41, 'member'));
    expect(await isUnreachable(redis, keys, 'telegram:41')).toBe(false);
    expect(pipeline.handle).not.toHaveBeenCalled();
  });
});

describe('start-up', () => {
  function unstarted() {
    const api = recorder();
    const config = testConfig({ TELEGRAM_BOT_TOKEN: TOKEN });
    const tg = new TelegramChannel({ token: TOKEN, transformers: [api.transformer], pipeline: { handle: async () => [] }, i18n: assets.i18n, redis, keys: new Keys(config.keyPrefix), defaultLanguage: 'nl' });
    return { api, config, tg };
  }

  it('a token the Bot API refuses stops start-up with one line naming TELEGRAM_BOT_TOKEN', async () => {
    const { api, config, tg } = unstarted();
    api.fail('getMe', { ok: false, error_code: 401, description: 'Unauthorized' });
    await expect(launchTelegram(tg, config, () => {})).rejects.toThrow(/^TELEGRAM_BOT_TOKEN: .*refused the token \(401\)/);
  });

  it('polling that Telegram stops for good (409: another process polls this bot) is reported as fatal', async () => {
    const { api, config, tg } = unstarted();
    api.fail('getMe', { ok: true, result: BOT } as any);
    api.fail('getUpdates', { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request' });
    const fatal = new Promise<unknown>((resolve) => void launchTelegram(tg, config, resolve));
    expect(String(await fatal)).toMatch(/409/);
    expect(api.of('deleteWebhook')).toHaveLength(1);
  });
});

describe('429 and 5xx retries (API transformer)', () => {
  it('waits retry_after and tries again, bounded', async () => {
    const waits: number[] = [];
    const api = recorder();
    const retry = retryTransformer({ maxAttempts: 3, sleep: async (ms) => void waits.push(ms) });
    const call = (method: string) => retry((m, p, s) => api.transformer(null as any, m, p, s) as any, method as any, { chat_id: 1, text: 'x' } as any);
    api.fail('sendMessage', TOO_MANY(3), 2);
    expect((await call('sendMessage')).ok).toBe(true);
    expect(waits).toEqual([3000, 3000]);
    api.fail('sendMessage', TOO_MANY(1), 3);
    expect((await call('sendMessage')).ok).toBe(false); // gave up after three tries; the caller hears it
    api.fail('sendMessage', { ok: false, error_code: 502, description: 'Bad Gateway' });
    expect((await call('sendMessage')).ok).toBe(true);
    api.fail('sendMessage', BLOCKED);
    expect((await call('sendMessage')).ok).toBe(false);
    expect(api.of('sendMessage')).toHaveLength(2 + 1 + 3 + 2 + 1);
  });
});

describe('on the real pipeline (Redis), still without network', () => {
  it('a sticker gets the kind reply in the person\'s language and is kept by reference', async () => {
    const config = testConfig();
    prefixes.push(config.keyPrefix);
    const app = createApp(config, redis, { assets, flood: false });
    const api = recorder();
    const tg = new TelegramChannel({ token: TOKEN, botInfo: BOT, transformers: [api.transformer], pipeline: app.pipeline, i18n: app.i18n, redis, keys: app.keys, defaultLanguage: 'nl' });
    let id = 600;
    await tg.bot.handleUpdate(updates.text(id++, 61, 'hello', 'en'));
    await tg.bot.handleUpdate(updates.callback(id++, 61, signer.sign(61, 'lang.en'), 1, 'en'));
    await tg.bot.handleUpdate(updates.callback(id++, 61, signer.sign(61, 'consent.yes'), 1, 'en'));
    const before = api.sent().length;
    await tg.bot.handleUpdate(updates.sticker(id++, 61, 'CAACAgSTICKER-61'));
    const reply = api.sent().slice(before).map((m) => m.text).join('\n');
    expect(reply).toContain(escapeHtml(assets.i18n.t('common.media_unsupported', 'en')));
    const inbox = await redis.lrange(app.keys.inbox('telegram:61'), 0, -1);
    expect(inbox.map((e) => JSON.parse(e))).toEqual([expect.objectContaining({ kind: 'sticker', fileRef: 'CAACAgSTICKER-61', channel: 'telegram' })]);
  });
});
