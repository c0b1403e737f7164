import { GrammyError } from 'grammy';
import type { App } from '../../app.js';
import type { Config } from '../../config/config.js';
import { errorFields, log } from '../../core/log.js';
import { TelegramChannel } from './telegram-channel.js';

/** The Telegram channel for `npm start`, from the settings (TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT). */
export function createTelegram(config: Config, app: App): TelegramChannel {
  if (!config.telegram.token) throw new Error('TELEGRAM_BOT_TOKEN is not set');
  return new TelegramChannel({
    token: config.telegram.token,
    apiRoot: config.telegram.apiRoot,
    pipeline: app.pipeline,
    i18n: app.i18n,
    redis: app.redis,
    keys: app.keys,
    defaultLanguage: config.defaultLanguage,
  });
}

/**
 * Checks the token (getMe), sets the command menu (failures only logged), then
 * either registers the webhook (TELEGRAM_WEBHOOK_URL) or starts long polling.
 * `onFatal` hears when polling stops for good (e.g. another process polls the same bot).
 */
export async function launchTelegram(channel: TelegramChannel, config: Config, onFatal: (error: unknown) => void): Promise<void> {
  try {
    await channel.init();
  } catch (error) {
    if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
      throw new Error(`TELEGRAM_BOT_TOKEN: the Bot API at ${config.telegram.apiRoot ?? 'api.telegram.org'} refused the token (${error.error_code}); check it with @BotFather`);
    }
    throw error;
  }
  void channel.setCommands();
  if (config.telegram.webhookUrl) {
    await channel.setWebhook(config.telegram.webhookUrl, config.telegram.webhookSecret!);
    return;
  }
  await channel.startPolling((error) => {
    if (error === undefined) return;
    log.error('telegram.stopped', errorFields(error));
    onFatal(error);
  });
}
