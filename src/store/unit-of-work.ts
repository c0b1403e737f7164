/**
 * The writes of one turn, collected while effects run and applied by the commit
 * script in one atomic step together with the session. Only plain write commands.
 */
export type WriteCommand = 'SET' | 'DEL' | 'RPUSH' | 'ZADD' | 'ZREM' | 'SADD' | 'SREM' | 'EXPIRE' | 'PERSIST';

export class UnitOfWork {
  private readonly ops: string[][] = [];
  /** Documents this unit already checked and wrote: a second write of the same one needs no second check. */
  private readonly written = new Set<string>();

  write(command: WriteCommand, key: string, ...args: (string | number)[]): this {
    this.ops.push([command, key, ...args.map(String)]);
    return this;
  }

  /** The whole commit is refused ('conflict') unless the document at `key` is still at `version` (0 = absent). */
  expectVersion(key: string, version: number): this {
    this.ops.push(['CHECKV', key, String(version)]);
    return this;
  }

  /** Writes a versioned document we read at `doc.v`: checks that version, stores v+1. Returns the stored copy. */
  putVersioned<T extends { v: number }>(key: string, doc: T, ttlSec = 0): T {
    const next = { ...doc, v: doc.v + 1 };
    // All checks run before all writes, so only the first write of a document in this unit is checked.
    if (!this.written.has(key)) this.expectVersion(key, doc.v);
    this.written.add(key);
    this.setJson(key, next, ttlSec);
    return next;
  }

  setJson(key: string, value: unknown, ttlSec = 0): this {
    return ttlSec > 0 ? this.write('SET', key, JSON.stringify(value), 'EX', ttlSec) : this.write('SET', key, JSON.stringify(value));
  }

  get size(): number {
    return this.ops.length;
  }

  /** Flattens to the commit script's ARGV tail: argc, cmd, args…, argc, cmd, … */
  encode(): string[] {
    const out: string[] = [];
    for (const op of this.ops) out.push(String(op.length), ...op);
    return out;
  }
}
