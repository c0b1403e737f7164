/**
 * `npm start`: config → Redis → NLU → app → HTTP server → channels. With no
 * channel configured and a terminal on stdin it opens the console chat on demo data.
 */
import { createApp } from './app.js';
import { errorFields, log } from './core/log.js';
import { createHttpServer, listen } from './http/server.js';
import { InteractiveConsole, loadDemo } from './channels/console/cli.js';
import { configOrExit, loadNluOrUndefined, redisOrExit, stopPrivateRedis } from './runtime.js';
import { MessengerRouter } from './channels/router.js';
import { createTelegram, launchTelegram } from './channels/telegram/launch.js';

async function main(): Promise<void> {
  const config = configOrExit();
  const redis = await redisOrExit(config);
  const nlu = await loadNluOrUndefined();
  const channelConfigured = Boolean(config.telegram.token || config.microsoft.appId);
  const consoleChat = !channelConfigured && process.stdin.isTTY ? new InteractiveConsole('res-1') : undefined;
  const messenger = new MessengerRouter();
  if (consoleChat) messenger.register('console', consoleChat.channel);
  const app = createApp(config, redis, { nlu, messenger });
  const telegram = config.telegram.token ? createTelegram(config, app) : undefined;
  if (telegram) messenger.register('telegram', telegram.messenger);
  const webhook = telegram && config.telegram.webhookUrl ? { '/telegram': telegram.webhook(config.telegram.webhookSecret!) } : undefined;

  const server = createHttpServer({ redis, metrics: app.metrics, routes: webhook });
  let port: number;
  try {
    port = await listen(server, config.port);
  } catch (error) {
    process.stderr.write(`PORT: ${config.port} cannot be used (${(error as Error).message}); set PORT to a free port.\n`);
    process.exit(2);
  }
  log.info('service.started', { port, channels: channelConfigured ? 'configured' : 'none' });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('service.stopping', { signal });
    server.close();
    await telegram?.stop();
    await app.pipeline.drain();
    redis.disconnect();
    stopPrivateRedis();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  if (telegram) {
    await launchTelegram(telegram, config, () => process.exit(1));
    log.info('telegram.started', { mode: webhook ? 'webhook' : 'polling' });
  }

  if (consoleChat) {
    await loadDemo(app);
    process.stdout.write(`HTTP on :${port} (/healthz, /readyz, /metrics). No channel configured, so here is the console chat on demo data.\n`);
    await consoleChat.run(app);
    await shutdown('end of input');
  } else if (!channelConfigured) {
    log.info('service.no_channel', { hint: 'set TELEGRAM_BOT_TOKEN, or run npm run chat for the console' });
  }
}

main().catch((error) => {
  log.error('service.failed', errorFields(error));
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
