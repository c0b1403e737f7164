import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Writes flow objects as YAML files into a fresh folder and returns it. */
export function flowDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flows-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), typeof content === 'string' ? content : stringify(content));
  return dir;
}
