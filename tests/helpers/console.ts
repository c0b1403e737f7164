import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ConsoleOutput } from '../../src/channels/console/console-channel.js';

const ROOT = join(import.meta.dirname, '..', '..');

export interface ScriptRun {
  out: ConsoleOutput[];
  code: number | null;
  stderr: string;
}

/** Runs `npm run chat -- --jsonl [...]` the way an acceptance check would, with its own key prefix. */
export function runScript(lines: unknown[], env: Record<string, string>, args: string[] = ['--demo']): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/channels/console/cli.ts'), '--jsonl', ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const out = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ConsoleOutput);
      resolve({ out, code, stderr });
    });
    child.stdin.end(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  });
}

/** Starts the console and lets a test feed lines one by one, reading replies as they come. */
export function startConsole(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/channels/console/cli.ts'), '--jsonl', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: ConsoleOutput[] = [];
  let buffer = '';
  const waiters: { count: number; resolve: () => void }[] = [];
  child.stdout.on('data', (d) => {
    buffer += d;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim()) out.push(JSON.parse(line));
    }
    for (const w of waiters.splice(0)) if (out.length >= w.count) w.resolve();
    else waiters.push(w);
  });
  return {
    out,
    child,
    send(line: unknown) {
      child.stdin.write(`${JSON.stringify(line)}\n`);
    },
    /** Resolves once at least `count` messages have come out in total. */
    waitFor(count: number, timeoutMs = 20_000): Promise<void> {
      if (out.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`waited for ${count} messages, got ${out.length}: ${JSON.stringify(out.at(-1))}`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    exited: new Promise<number | null>((resolve) => child.on('close', resolve)),
  };
}
