import { readFileSync } from 'node:fs';
import { z } from 'zod';

const WijkFile = z.object({
  wijken: z.array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/), name: z.string().nullable(), near: z.array(z.string()) })).min(1),
});

export interface Wijk {
  id: string;
  /** Proper name, the same in every language; null for "elsewhere", which is rendered from locales. */
  name: string | null;
  near: string[];
}

/** The neighbourhoods and their neighbours: data, so a municipality edits a file, not code. */
export class Wijken {
  private readonly byId: Map<string, Wijk>;

  constructor(readonly all: Wijk[]) {
    this.byId = new Map(all.map((w) => [w.id, w]));
    for (const wijk of all) {
      for (const near of wijk.near) if (!this.byId.has(near)) throw new Error(`wijk ${wijk.id}: unknown neighbour "${near}"`);
    }
  }

  static load(path: string): Wijken {
    const parsed = WijkFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    return new Wijken(parsed.data.wijken);
  }

  get(id: string): Wijk | undefined {
    return this.byId.get(id);
  }

  isNear(a: string, b: string): boolean {
    return a === b || (this.byId.get(a)?.near.includes(b) ?? false);
  }
}
