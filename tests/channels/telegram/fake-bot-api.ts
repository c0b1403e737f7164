/**
 * Test helpers for the Telegram channel: a small local Bot API server (node:http)
 * that a grammy bot can long-poll, plus update builders and a recording API
 * transformer for tests without any network.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Transformer } from 'grammy';
import type { Message, Update, UserFromGetMe } from 'grammy/types';

export const TOKEN = '123456:TEST-token_for-the-fake-api';
export const BOT: UserFromGetMe = {
  id: 123456,
  is_bot: true,
  first_name: 'Samenredzaam',
  username: 'samenredzaam_test_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

export interface ApiCall {
  method: string;
  payload: Record<string, any>;
  at: number;
  /** What was answered (after any injected failure). */
  response: { ok: boolean; result?: unknown; error_code?: number; description?: string; parameters?: Record<string, unknown> };
}

type Failure = ApiCall['response'];
export const TOO_MANY = (retryAfter: number): Failure => ({ ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } });
export const BLOCKED: Failure = { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' };
export const NOT_FOUND: Failure = { ok: false, error_code: 404, description: 'Not Found: method not found' };

function unescapeHtml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Builds updates the way Telegram sends them (private chats: chat id = user id). */
export const updates = {
  text(updateId: number, userId: number, text: string, lang = 'nl'): Update {
    return { update_id: updateId, message: { message_id: updateId, date: 1, chat: { id: userId, type: 'private', first_name: 'Test' }, from: { id: userId, is_bot: false, first_name: 'Test', language_code: lang }, text } as any };
  },
  edited(updateId: number, userId: number, text: string, lang = 'nl'): Update {
    const { message } = updates.text(updateId, userId, text, lang);
    return { update_id: updateId, edited_message: { ...message!, edit_date: 2 } as any };
  },
  message(updateId: number, userId: number, fields: Record<string, unknown>, lang = 'nl'): Update {
    return { update_id: updateId, message: { message_id: updateId, date: 1, chat: { id: userId, type: 'private', first_name: 'Test' }, from: { id: userId, is_bot: false, first_name: 'Test', language_code: lang }, ...fields } as any };
  },
  sticker(updateId: number, userId: number, fileId = 'CAACAgSTICKER'): Update {
    return updates.message(updateId, userId, { sticker: { file_id: fileId, file_unique_id: 'u', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } });
  },
  callback(updateId: number, userId: number, data: string, messageId = 1, lang = 'nl', chatId = userId): Update {
    return {
      update_id: updateId,
      callback_query: {
        id: `cq${updateId}`,
        chat_instance: 'ci',
        from: { id: userId, is_bot: false, first_name: 'Test', language_code: lang },
        data,
        message: { message_id: messageId, date: 1, chat: { id: chatId, type: 'private', first_name: 'Test' }, from: BOT, text: 'question' } as Message.TextMessage,
      },
    };
  },
  blocked(updateId: number, userId: number, status: 'kicked' | 'member' = 'kicked'): Update {
    const user = { id: userId, is_bot: false, first_name: 'Test' };
    return {
      update_id: updateId,
      my_chat_member: { chat: { id: userId, type: 'private', first_name: 'Test' }, from: user, date: 1, old_chat_member: { status: 'member', user: BOT }, new_chat_member: { status, user: BOT, ...(status === 'kicked' ? { until_date: 0 } : {}) } as any },
    };
  },
};

/**
 * A transformer that stands in for the network: records every call and answers
 * ok (a message for sendMessage), unless a failure was queued for the method.
 */
export function recorder() {
  const calls: ApiCall[] = [];
  const failures = new Map<string, Failure[]>();
  let messageId = 1000;
  const transformer: Transformer = async (_prev, method, payload) => {
    const queued = failures.get(method)?.shift();
    const result = method === 'sendMessage' ? { message_id: ++messageId, date: 1, chat: { id: Number((payload as any).chat_id), type: 'private' }, text: unescapeHtml((payload as any).text) } : true;
    const response = (queued ?? { ok: true, result }) as ApiCall['response'];
    calls.push({ method, payload: payload as Record<string, any>, at: Date.now(), response });
    return response as any;
  };
  return {
    transformer,
    calls,
    sent: () => calls.filter((c) => c.method === 'sendMessage' && c.response.ok).map((c) => c.payload),
    of: (method: string) => calls.filter((c) => c.method === method),
    fail(method: string, failure: Failure, times = 1) {
      failures.set(method, [...(failures.get(method) ?? []), ...Array(times).fill(failure)]);
    },
  };
}

interface Waiter {
  check: () => boolean;
  resolve: () => void;
}

/**
 * A local Bot API server: getMe, deleteWebhook, setWebhook, getUpdates (offset,
 * limit, long poll), sendMessage, editMessageText, answerCallbackQuery,
 * setMyCommands, sendChatAction. Other methods answer 404, as small emulators do.
 * Failures can be queued per method (429, 403, …).
 */
export class FakeBotApi {
  readonly calls: ApiCall[] = [];
  private server?: Server;
  private queue: Update[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private readonly failures = new Map<string, Failure[]>();
  private waiters: Waiter[] = [];
  private readonly messages = new Map<string, Message.TextMessage>();
  /** Methods this emulator does not know (answered 404). */
  readonly unsupported = new Set<string>();

  constructor(readonly token = TOKEN) {}

  get apiRoot(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    for (const w of this.waiters.splice(0)) w.resolve();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  fail(method: string, failure: Failure, times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array(times).fill(failure)]);
  }

  /** Queues an update for getUpdates (a given update_id is kept: Telegram may send one twice). */
  push(update: Omit<Update, 'update_id'> & { update_id?: number }): number {
    const full = { ...update, update_id: update.update_id ?? this.nextUpdateId++ } as Update;
    this.nextUpdateId = Math.max(this.nextUpdateId, full.update_id + 1);
    this.queue.push(full);
    this.wake();
    return full.update_id;
  }

  /** Successful sendMessage payloads, optionally to one chat. */
  sent(chatId?: number): Record<string, any>[] {
    return this.calls.filter((c) => c.method === 'sendMessage' && c.response.ok && (chatId === undefined || Number(c.payload.chat_id) === chatId)).map((c) => c.payload);
  }

  of(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves when `check` holds (checked after every call the bot makes); rejects after `timeoutMs`. */
  until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}; last calls: ${JSON.stringify(this.calls.slice(-3).map((c) => [c.method, c.payload.text ?? '']))}`));
      }, timeoutMs);
      const waiter: Waiter = { check, resolve: () => (clearTimeout(timer), resolve()) };
      this.waiters.push(waiter);
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) {
      if (w.check()) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve();
      }
    }
  }

  private async serve(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const payload = raw ? JSON.parse(raw) : {};
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    const reply = (response: ApiCall['response']) => {
      if (match && match[2] !== 'getUpdates') {
        this.calls.push({ method: match[2], payload, at: Date.now(), response });
      }
      if (!res.destroyed) {
        res.writeHead(response.ok ? 200 : response.error_code ?? 400, { 'content-type': 'application/json' });
        res.end(JSON.stringify(response));
      }
      this.wake();
    };
    if (!match || match[1] !== this.token) return reply({ ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2];
    const failure = this.failures.get(method)?.shift();
    if (failure) return reply(failure);
    if (this.unsupported.has(method)) return reply(NOT_FOUND);
    switch (method) {
      case 'getMe':
        return reply({ ok: true, result: BOT });
      case 'deleteWebhook':
      case 'setWebhook':
      case 'answerCallbackQuery':
      case 'setMyCommands':
      case 'sendChatAction':
        return reply({ ok: true, result: true });
      case 'getUpdates':
        return reply({ ok: true, result: await this.getUpdates(payload, req) });
      case 'sendMessage': {
        const message = {
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(payload.chat_id), type: 'private', first_name: 'Test' },
          from: BOT,
          text: unescapeHtml(payload.text),
          ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}),
        } as Message.TextMessage;
        this.messages.set(`${message.chat.id}:${message.message_id}`, message);
        return reply({ ok: true, result: message });
      }
      case 'editMessageText': {
        const message = this.messages.get(`${payload.chat_id}:${payload.message_id}`);
        if (!message) return reply({ ok: false, error_code: 400, description: 'Bad Request: message to edit not found' });
        Object.assign(message, { text: unescapeHtml(payload.text), reply_markup: payload.reply_markup, edit_date: Math.floor(Date.now() / 1000) });
        return reply({ ok: true, result: message });
      }
      default:
        return reply(NOT_FOUND);
    }
  }

  /** Long polling: updates from `offset` on (those before it are confirmed and forgotten), waiting up to `timeout` seconds. */
  private async getUpdates(payload: { offset?: number; limit?: number; timeout?: number }, req: IncomingMessage): Promise<Update[]> {
    const offset = payload.offset ?? 0;
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    const pending = () => this.queue.filter((u) => u.update_id >= offset);
    if (pending().length === 0 && (payload.timeout ?? 0) > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, payload.timeout! * 1000);
        const waiter: Waiter = { check: () => pending().length > 0, resolve: done };
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(waiter);
        req.socket.once('close', () => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          done();
        });
      });
    }
    return pending().slice(0, payload.limit ?? 100);
  }
}

/**
 * A person in a private chat with the bot on a FakeBotApi: types, taps buttons
 * by label, and waits for the bot's answers.
 */
export class FakeUser {
  private seen = 0;

  constructor(private readonly api: FakeBotApi, readonly id: number, readonly lang = 'nl') {}

  messages(): Record<string, any>[] {
    return this.api.sent(this.id);
  }

  say(text: string): number {
    const { message } = updates.text(0, this.id, text, this.lang);
    return this.api.push({ message: { ...message!, message_id: Date.now() % 1e9 } });
  }

  send(fields: Record<string, unknown>): number {
    const { message } = updates.message(0, this.id, fields, this.lang);
    return this.api.push({ message: message! });
  }

  /** Taps the button whose label matches, on the newest message that has a keyboard. */
  tap(label: RegExp): string {
    const calls = this.api.calls.filter((c) => c.method === 'sendMessage' && c.response.ok && Number(c.payload.chat_id) === this.id && c.payload.reply_markup);
    const last = calls.at(-1);
    if (!last) throw new Error('no message with buttons to tap');
    const button = (last.payload.reply_markup.inline_keyboard as { text: string; callback_data: string }[][]).flat().find((b) => label.test(b.text));
    if (!button) throw new Error(`no button ${label} in ${JSON.stringify(last.payload.reply_markup)}`);
    const message = last.response.result as Message.TextMessage;
    const { callback_query } = updates.callback(0, this.id, button.callback_data, message.message_id, this.lang);
    this.api.push({ callback_query: { ...callback_query!, message } });
    return button.callback_data;
  }

  /** Waits until a new message from the bot matches, and returns the new messages. */
  async expect(text: RegExp, timeoutMs?: number): Promise<Record<string, any>[]> {
    const from = this.seen;
    await this.api.until(() => this.messages().slice(from).some((m) => text.test(unescapeHtml(m.text))), `a message matching ${text} to ${this.id}`, timeoutMs);
    const fresh = this.messages().slice(from);
    this.seen = from + fresh.findIndex((m) => text.test(unescapeHtml(m.text))) + 1;
    return fresh;
  }
}
