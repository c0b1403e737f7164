/**
 * The console channel: `npm run chat -- [--user ID] [--lang xx] [--demo] [--jsonl]`.
 * Interactive: type as a resident; `/as vol-anna` switches user; a number taps a button.
 * --jsonl: the scripted mode of CONTRACTS.md (JSON lines in, JSON lines out, nothing else on stdout).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createApp } from '../../app.js';
import { isLang } from '../../core/lang.js';
import { log } from '../../core/log.js';
import { resetConsoleConversations, seedDemo } from '../../demo.js';
import { configOrExit, loadNluOrUndefined, redisOrExit, stopPrivateRedis } from '../../runtime.js';
import { ConsoleChannel, parseConsoleLine, type ConsoleOutput } from './console-channel.js';

export async function runConsole(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { user: { type: 'string', default: 'res-1' }, lang: { type: 'string' }, demo: { type: 'boolean', default: false }, jsonl: { type: 'boolean', default: false } },
    allowPositionals: false,
  });
  if (values.lang !== undefined && !isLang(values.lang)) {
    process.stderr.write(`--lang: "${values.lang}" is not one of nl, en, tr, ar, pl, uk\n`);
    process.exit(2);
  }
  const config = configOrExit();
  const redis = await redisOrExit(config);
  const jsonl = values.jsonl;
  const print = jsonl ? (m: ConsoleOutput) => process.stdout.write(`${JSON.stringify(m)}\n`) : (m: ConsoleOutput) => printHuman(m);
  const channel = new ConsoleChannel(print);
  const nlu = await loadNluOrUndefined();
  const app = createApp(config, redis, { nlu, messenger: channel });
  if (values.demo) {
    await seedDemo(redis, app.keys);
    await resetConsoleConversations(redis, app.keys);
  }
  const localeHint = values.lang;

  const shutdown = async () => {
    await app.pipeline.drain();
    redis.disconnect();
    stopPrivateRedis();
  };

  if (jsonl) {
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    let lineNo = 0;
    for await (const line of lines) {
      lineNo += 1;
      if (!line.trim()) continue;
      let input;
      try {
        input = parseConsoleLine(line);
      } catch (error) {
        log.warn('console.bad_line', { line: lineNo, message: (error as Error).message });
        continue;
      }
      if ('wait_ms' in input) {
        await new Promise((resolve) => setTimeout(resolve, input.wait_ms));
        continue;
      }
      channel.deliver(input.from, await app.pipeline.handle(channel.activity(input, localeHint)));
    }
    await shutdown();
    return;
  }

  let user = values.user!;
  let lastButtons: ConsoleOutput['buttons'] = [];
  function printHuman(message: ConsoleOutput): void {
    if (message.to === user) lastButtons = message.buttons;
    const who = message.to === user ? 'bot' : `bot → ${message.to}`;
    process.stdout.write(`\n\x1b[36m${who}:\x1b[0m ${message.text.replace(/\n/g, '\n     ')}\n`);
    message.buttons.forEach((b, i) => process.stdout.write(`     [${i + 1}] ${b.label}\n`));
  }
  process.stdout.write(`Samenredzaam console. You are "${user}". Type a message; a number taps a button; "/as <id>" switches user (e.g. /as vol-anna); Ctrl+D quits.\n`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: `${user}> ` });
  rl.prompt();
  for await (const line of rl) {
    const as = /^\/as\s+(\S+)$/.exec(line.trim());
    if (as) {
      user = as[1];
      lastButtons = [];
      rl.setPrompt(`${user}> `);
      rl.prompt();
      continue;
    }
    const n = /^\d{1,2}$/.test(line.trim()) ? Number(line.trim()) : 0;
    const input = n >= 1 && n <= lastButtons.length ? { from: user, button: lastButtons[n - 1].id } : { from: user, text: line };
    channel.deliver(user, await app.pipeline.handle(channel.activity(input, localeHint)));
    rl.prompt();
  }
  await shutdown();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runConsole(process.argv.slice(2)).then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`${(error as Error).stack ?? error}\n`);
      process.exit(1);
    },
  );
}
