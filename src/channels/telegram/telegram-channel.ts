/**
 * The Telegram channel: the only place that knows grammy. It turns updates into
 * Activities for the pipeline and RenderedMessages into sendMessage calls with
 * inline keyboards. Duplicates, locks, atomic saves and flood protection live
 * in the pipeline; this file only translates, in and out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Api, Bot, GrammyError, webhookCallback, type Context, type NextFunction, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Redis } from 'ioredis';
import { LANGS, langFromLocale, type Lang } from '../../core/lang.js';
import { errorFields, log } from '../../core/log.js';
import { personIdOf, type Activity, type ConversationRef, type MediaKind, type Messenger, type RenderedMessage } from '../../core/types.js';
import type { I18n } from '../../i18n/i18n.js';
import type { Keys } from '../../store/keys.js';
import { isUnreachable, markUnreachable } from '../../store/people.js';
import { CallbackSigner } from './callback-data.js';
import { toTelegramMessages } from './format.js';
import { isUnreachableError, retryTransformer, type RetryOptions } from './retry.js';
import { BUTTON_INVALID_KEY, COMMAND_MEANINGS, COMMAND_NAMES } from './texts.js';
import { translate } from './updates.js';

/** The updates we ask Telegram for (polling and webhook alike). */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

/** What the channel needs from the pipeline: one turn in, the replies out. */
export interface TurnHandler {
  handle(activity: Activity): Promise<RenderedMessage[]>;
}

export interface TelegramChannelOptions {
  token: string;
  /** Bot API server; default Telegram's own. */
  apiRoot?: string;
  pipeline: TurnHandler;
  i18n: I18n;
  redis: Redis;
  keys: Keys;
  defaultLanguage: Lang;
  /** Known bot info skips the getMe call (tests, benchmarks). */
  botInfo?: UserFromGetMe;
  /** Transformers below the retry layer, closest to the network (tests put a fake Bot API here). */
  transformers?: Transformer[];
  retry?: RetryOptions;
  /** Show "typing…" when a turn takes longer than this. */
  typingAfterMs?: number;
  /** A webhook request that takes longer gets a 500, so Telegram sends the update again (the pipeline drops the copy). */
  webhookTimeoutMs?: number;
}

/** Logs a failed optional call (setMyCommands, sendChatAction, answerCallbackQuery) and carries on. */
function optional(method: string): (error: unknown) => void {
  return (error) => log.warn('telegram.optional_failed', { method, ...errorFields(error) });
}

/** Sends rendered messages to one chat. Resolves 'unreachable' (after marking the person) when Telegram says they blocked the bot. */
async function sendRendered(
  api: Api,
  signer: CallbackSigner,
  store: { redis: Redis; keys: Keys },
  ref: ConversationRef,
  messages: RenderedMessage[],
): Promise<'sent' | 'unreachable'> {
  const chatId = ref.conversationId;
  try {
    for (const message of messages) {
      for (const part of toTelegramMessages(message, (id) => signer.sign(chatId, id))) {
        await api.sendMessage(chatId, part.text, { parse_mode: part.parse_mode, reply_markup: part.reply_markup });
      }
      if (message.media?.fileRef) await sendMedia(api, chatId, message.media.kind, message.media.fileRef);
    }
  } catch (error) {
    if (!isUnreachableError(error)) throw error;
    const personId = personIdOf(ref);
    await markUnreachable(store.redis, store.keys, personId);
    log.warn('telegram.unreachable', { person: personId, ...errorFields(error) });
    return 'unreachable';
  }
  return 'sent';
}

/**
 * Relays what someone sent (a photo, a voice note) by its reference, after the
 * text that explains it: a file_id is sent again, a message reference is copied.
 * A reference Telegram does not accept (e.g. from another bot) is logged and skipped.
 */
async function sendMedia(api: Api, chatId: string, kind: MediaKind, fileRef: string): Promise<void> {
  const copied = /^tg-message:(-?\d+):(\d+)$/.exec(fileRef);
  const send = (): Promise<unknown> | undefined => {
    if (copied) return api.copyMessage(chatId, copied[1], Number(copied[2]));
    switch (kind) {
      case 'photo':
        return api.sendPhoto(chatId, fileRef);
      case 'voice':
        return api.sendVoice(chatId, fileRef);
      case 'video':
        return api.sendVideo(chatId, fileRef);
      case 'sticker':
        return api.sendSticker(chatId, fileRef);
      case 'file':
        return api.sendDocument(chatId, fileRef);
      default:
        return undefined;
    }
  };
  try {
    await send();
  } catch (error) {
    if (isUnreachableError(error) || !(error instanceof GrammyError) || error.error_code !== 400) throw error;
    log.warn('telegram.media_not_relayed', { kind, ...errorFields(error) });
  }
}

/**
 * Proactive sends (a referral to a volunteer, a reminder) through a stored
 * reference. Someone who blocked the bot is marked unreachable once; later sends
 * to them are skipped until they write again (the pipeline clears the mark).
 */
export class TelegramMessenger implements Messenger {
  constructor(
    private readonly api: Api,
    private readonly signer: CallbackSigner,
    private readonly store: { redis: Redis; keys: Keys },
  ) {}

  async send(ref: ConversationRef, message: RenderedMessage): Promise<void> {
    const personId = personIdOf(ref);
    if (await isUnreachable(this.store.redis, this.store.keys, personId)) {
      log.info('telegram.skipped_unreachable', { person: personId });
      return;
    }
    await sendRendered(this.api, this.signer, this.store, ref, [message]);
  }
}

export class TelegramChannel {
  readonly bot: Bot;
  readonly signer: CallbackSigner;
  readonly messenger: TelegramMessenger;
  private readonly chains = new Map<string, Promise<void>>();
  private readonly typingAfterMs: number;

  constructor(private readonly options: TelegramChannelOptions) {
    this.bot = new Bot(options.token, { botInfo: options.botInfo, client: options.apiRoot ? { apiRoot: options.apiRoot } : undefined });
    this.bot.api.config.use(...(options.transformers ?? []), retryTransformer(options.retry));
    this.signer = new CallbackSigner(options.token);
    this.messenger = new TelegramMessenger(this.bot.api, this.signer, options);
    this.typingAfterMs = options.typingAfterMs ?? 700;
    this.bot.use((ctx, next) => this.oneAtATime(ctx, next));
    this.bot.use((ctx) => this.onUpdate(ctx));
    this.bot.catch((error) => log.error('telegram.update_failed', { update: error.ctx.update.update_id, ...errorFields(error.error) }));
  }

  /**
   * Updates of one chat run one after the other, in arrival order, also when a
   * webhook delivers several at once. (Long polling is sequential already; across
   * processes the pipeline's Redis lock keeps turns apart.)
   */
  private async oneAtATime(ctx: Context, next: NextFunction): Promise<void> {
    const chat = ctx.chat?.id ?? ctx.from?.id;
    if (chat === undefined) return next();
    const key = String(chat);
    const previous = this.chains.get(key) ?? Promise.resolve();
    let release!: () => void;
    const tail = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
    this.chains.set(key, tail);
    await previous;
    try {
      await next();
    } finally {
      release();
      if (this.chains.get(key) === tail) this.chains.delete(key);
    }
  }

  private async onUpdate(ctx: Context): Promise<void> {
    const incoming = translate(ctx.update, this.signer);
    switch (incoming.type) {
      case 'activity':
        return this.turn(ctx.api, incoming.activity);
      case 'callback': {
        if (!incoming.activity) {
          const lang = langFromLocale(incoming.localeHint) ?? this.options.defaultLanguage;
          log.info('telegram.button_refused', { update: ctx.update.update_id });
          await ctx.api.answerCallbackQuery(incoming.queryId, { text: this.options.i18n.t(BUTTON_INVALID_KEY, lang) }).catch(optional('answerCallbackQuery'));
          return;
        }
        // Stop the spinner at once; the turn's answer follows as a message.
        const answered = ctx.api.answerCallbackQuery(incoming.queryId).catch(optional('answerCallbackQuery'));
        try {
          await this.turn(ctx.api, incoming.activity);
        } finally {
          await answered;
        }
        return;
      }
      case 'membership': {
        const personId = personIdOf(incoming.ref);
        if (incoming.blocked) await markUnreachable(this.options.redis, this.options.keys, personId);
        else await this.options.redis.srem(this.options.keys.unreachable(), personId);
        log.info(incoming.blocked ? 'telegram.blocked' : 'telegram.unblocked', { person: personId });
        return;
      }
      case 'ignore':
        log.debug('telegram.ignored', { update: ctx.update.update_id, reason: incoming.reason });
    }
  }

  private async turn(api: Api, activity: Activity): Promise<void> {
    const chatId = activity.ref.conversationId;
    const typing = setTimeout(() => void api.sendChatAction(chatId, 'typing').catch(optional('sendChatAction')), this.typingAfterMs);
    let replies: RenderedMessage[];
    try {
      replies = await this.options.pipeline.handle(activity);
    } finally {
      clearTimeout(typing);
    }
    await sendRendered(api, this.signer, this.options, activity.ref, replies);
  }

  /** The command menu in each language (and the default language for everyone else). Failures are logged, never fatal. */
  async setCommands(): Promise<void> {
    const commands = (lang: Lang) => COMMAND_MEANINGS.map((meaning) => ({ command: COMMAND_NAMES[lang][meaning], description: this.options.i18n.t(`telegram.commands.${meaning}`, lang) }));
    await Promise.all([
      this.bot.api.setMyCommands(commands(this.options.defaultLanguage)).catch(optional('setMyCommands')),
      ...LANGS.map((lang) => this.bot.api.setMyCommands(commands(lang), { language_code: lang }).catch(optional('setMyCommands'))),
    ]);
  }

  /** Asks getMe once (unless bot info was given). Throws when Telegram refuses the token. */
  init(): Promise<void> {
    return this.bot.init();
  }

  /** Long polling. Resolves once polling runs; `onStopped` hears when it ends for good (an error, or stop()). */
  startPolling(onStopped?: (error?: unknown) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      let started = false;
      this.bot
        .start({
          allowed_updates: [...ALLOWED_UPDATES],
          onStart: () => {
            started = true;
            log.info('telegram.polling', { bot: this.bot.botInfo.id });
            resolve();
          },
        })
        .then(
          () => onStopped?.(),
          (error) => {
            if (!started) return reject(error);
            log.error('telegram.polling_stopped', errorFields(error));
            onStopped?.(error);
          },
        );
    });
  }

  /** The `POST /telegram` route: 401 without the right X-Telegram-Bot-Api-Secret-Token. */
  webhook(secretToken: string): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
    const callback = webhookCallback(this.bot, 'http', { secretToken, timeoutMilliseconds: this.options.webhookTimeoutMs ?? 30_000 });
    return async (req, res) => {
      await callback(req, res);
    };
  }

  /** Tells Telegram where to deliver updates. */
  async setWebhook(url: string, secretToken: string): Promise<void> {
    await this.bot.api.setWebhook(url, { secret_token: secretToken, allowed_updates: [...ALLOWED_UPDATES] });
    log.info('telegram.webhook_set', { bot: this.bot.botInfo.id });
  }

  /** Stops polling (confirming what was handled) and waits for the running updates. */
  async stop(): Promise<void> {
    if (this.bot.isRunning()) await this.bot.stop();
    await Promise.all([...this.chains.values()]);
  }
}
