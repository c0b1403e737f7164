/** `npm run --silent admin -- <command>`: the coordinators' CLI. JSON on stdout; a mistake is one line on stderr. */
import { parseArgs } from 'node:util';
import { createApp } from '../app.js';
import { configOrExit, redisOrExit } from '../runtime.js';
import { runAdmin, UsageError } from './commands.js';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: Object.fromEntries(['name', 'languages', 'wijk', 'topics', 'capacity', 'status', 'as'].map((o) => [o, { type: 'string' as const }])),
  });
  } catch (error) {
    process.stderr.write(`usage: ${(error as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const config = configOrExit();
  const redis = await redisOrExit(config);
  try {
    const app = createApp(config, redis);
    const result = await runAdmin(app, positionals, values);
    await app.close();
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof UsageError ? 'usage: ' : ''}${(error as Error).message}\n`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    redis.disconnect();
  }
}

main().then((code) => process.exit(code));
