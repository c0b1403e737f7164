/** `npm run worker`: the timer worker alone (offer expiry, follow-ups, escalation deadlines), for scaling out. */
import { createApp } from './app.js';
import { log } from './core/log.js';
import { configOrExit, redisOrExit } from './runtime.js';

async function main(): Promise<void> {
  const config = configOrExit();
  const redis = await redisOrExit(config);
  const app = createApp(config, redis);
  app.startWorker(redis.duplicate());
  log.info('worker.started', {});
  const stop = async () => {
    await app.close();
    redis.disconnect();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main();
