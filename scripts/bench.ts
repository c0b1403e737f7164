/** `npm run --silent bench`: every benchmark, one JSON line each, each with its baseline from the same run. */
import { existsSync } from 'node:fs';
import { benchPipeline } from './bench-pipeline.js';

async function main() {
  process.stdout.write(`${JSON.stringify(await benchPipeline())}\n`);
  if (existsSync(new URL('./bench-nlu.ts', import.meta.url))) {
    const { benchNlu } = await import('./bench-nlu.js');
    process.stdout.write(`${JSON.stringify(await benchNlu())}\n`);
  }
  process.stdout.write(`${JSON.stringify(await (await import('./bench-routing.js')).benchRouting())}\n`);
  process.stdout.write(`${JSON.stringify(await (await import('./bench-telegram.js')).benchTelegram())}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
