/**
 * The console channel: `npm run chat -- [--user ID] [--lang xx] [--demo] [--jsonl]`.
 * Interactive: type as a resident; `/as vol-anna` switches user; a number taps a button.
 * --jsonl: the scripted mode of CONTRACTS.md (JSON lines in, JSON lines out, nothing else on stdout).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createApp, type App } from '../../app.js';
import { isLang } from '../../core/lang.js';
import { log } from '../../core/log.js';
import { resetConsoleConversations, seedDemo } from '../../demo.js';
import { configOrExit, loadNluOrUndefined, redisOrExit, stopPrivateRedis } from '../../runtime.js';
import { ConsoleChannel, parseConsoleLine, type ConsoleOutput } from './console-channel.js';

/** The scripted mode: each line is handled to the end (effects included) before the next is read. */
export async function runJsonl(app: App, channel: ConsoleChannel, localeHint?: string): Promise<void> {
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
    // Everything this line caused (offers, notifications) is done before the next line is read.
    await app.idle();
  }
}

/** A person typing in a terminal. Shows buttons as a numbered list. */
export class InteractiveConsole {
  private lastButtons: ConsoleOutput['buttons'] = [];
  readonly channel = new ConsoleChannel((m) => this.print(m));

  constructor(private user: string) {}

  private print(message: ConsoleOutput): void {
    if (message.to === this.user) this.lastButtons = message.buttons;
    const who = message.to === this.user ? 'bot' : `bot → ${message.to}`;
    process.stdout.write(`\n\x1b[36m${who}:\x1b[0m ${message.text.replace(/\n/g, '\n     ')}\n`);
    message.buttons.forEach((b, i) => process.stdout.write(`     [${i + 1}] ${b.label}\n`));
  }

  async run(app: App, localeHint?: string): Promise<void> {
    process.stdout.write(
      `Samenredzaam console. You are "${this.user}". Type a message; a number taps a button; "/as <id>" switches user (e.g. /as vol-anna); Ctrl+D quits.\n`,
    );
    const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: `${this.user}> ` });
    rl.prompt();
    for await (const line of rl) {
      const as = /^\/as\s+(\S+)$/.exec(line.trim());
      if (as) {
        this.user = as[1];
        this.lastButtons = [];
        rl.setPrompt(`${this.user}> `);
        rl.prompt();
        continue;
      }
      const n = /^\d{1,2}$/.test(line.trim()) ? Number(line.trim()) : 0;
      const input = n >= 1 && n <= this.lastButtons.length ? { from: this.user, button: this.lastButtons[n - 1].id } : { from: this.user, text: line };
      this.channel.deliver(this.user, await app.pipeline.handle(this.channel.activity(input, localeHint)));
      await app.idle();
      rl.prompt();
    }
  }
}

export async function loadDemo(app: App): Promise<void> {
  await seedDemo(app.redis, app.keys);
  await resetConsoleConversations(app.redis, app.keys);
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { user: { type: 'string', default: 'res-1' }, lang: { type: 'string' }, demo: { type: 'boolean', default: false }, jsonl: { type: 'boolean', default: false } },
  });
  if (values.lang !== undefined && !isLang(values.lang)) {
    process.stderr.write(`--lang: "${values.lang}" is not one of nl, en, tr, ar, pl, uk\n`);
    process.exit(2);
  }
  const config = configOrExit();
  const redis = await redisOrExit(config);
  const interactive = values.jsonl ? undefined : new InteractiveConsole(values.user!);
  const channel = interactive?.channel ?? new ConsoleChannel((m) => process.stdout.write(`${JSON.stringify(m)}\n`));
  const app = createApp(config, redis, { nlu: await loadNluOrUndefined(), messenger: channel });
  if (values.demo) await loadDemo(app);
  const workerConnection = config.worker ? redis.duplicate() : undefined;
  if (workerConnection) app.startWorker(workerConnection);
  if (interactive) await interactive.run(app, values.lang);
  else await runJsonl(app, channel, values.lang);
  await app.idle();
  await app.close();
  redis.disconnect();
  stopPrivateRedis();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`${(error as Error).stack ?? error}\n`);
      process.exit(1);
    },
  );
}
