import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { log, setLogLevel } from './core/log.js';
import { connectRedis, redisReachable } from './store/redis.js';
import { ROOT } from './app.js';
import type { Nlu } from './nlu/types.js';

/** Reads the settings or stops with one line naming the wrong one (exit code 2). */
export function configOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    const config = loadConfig(env);
    setLogLevel(config.logLevel);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Setting ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

let privateRedis: ChildProcess | undefined;

/**
 * Connects to Redis. When it is not reachable on this machine and redis-server
 * is installed, starts a private one (data in ./data/redis, append-only) and says so.
 */
export async function redisOrExit(config: Config): Promise<Redis> {
  if (!(await redisReachable(config.redisUrl))) {
    const url = new URL(config.redisUrl);
    const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname);
    const installed = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
    if (!local || !installed) {
      process.stderr.write(
        `Redis is not reachable at ${config.redisUrl}. Start it (e.g. \`redis-server --daemonize yes\`, or \`apt-get install -y redis-server\`), or set REDIS_URL.\n`,
      );
      process.exit(1);
    }
    const dir = join(ROOT, 'data', 'redis');
    mkdirSync(dir, { recursive: true });
    const port = url.port || '6379';
    privateRedis = spawn('redis-server', ['--port', port, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
    process.stderr.write(`Redis was not running; started a private one on port ${port} with its data in ${dir}.\n`);
    for (let i = 0; i < 50 && !(await redisReachable(config.redisUrl, 200)); i++) await new Promise((r) => setTimeout(r, 100));
  }
  const redis = connectRedis(config.redisUrl);
  redis.on('error', (error) => log.warn('redis.error', { message: error.message }));
  return redis;
}

export function stopPrivateRedis(): void {
  privateRedis?.kill('SIGTERM');
}

/** Loads the NLU (trained once, then cached on disk). */
export async function loadNluOrUndefined(): Promise<Nlu | undefined> {
  try {
    const { loadNlu } = await import('./nlu/model.js');
    const nlu = await loadNlu();
    // not awaited: the bot answers at once while the crisis patterns are compiled in the background
    const { warmUpLexicon } = await import('./nlu/crisis.js');
    const t0 = performance.now();
    warmUpLexicon().then(
      () => log.info('nlu.crisis_warm', { ms: Math.round(performance.now() - t0) }),
      (error: unknown) => log.warn('nlu.crisis_warm_failed', { message: (error as Error).message }),
    );
    return nlu;
  } catch (error) {
    log.warn('nlu.unavailable', { message: (error as Error).message });
    return undefined;
  }
}
