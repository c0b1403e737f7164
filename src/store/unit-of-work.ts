/**
 * The writes of one turn, collected while effects run and applied by the commit
 * script in one atomic step together with the session. Only plain write commands.
 */
export type WriteCommand = 'SET' | 'DEL' | 'RPUSH' | 'ZADD' | 'ZREM' | 'SADD' | 'SREM' | 'EXPIRE' | 'PERSIST';

export class UnitOfWork {
  private readonly ops: string[][] = [];

  write(command: WriteCommand, key: string, ...args: (string | number)[]): this {
    this.ops.push([command, key, ...args.map(String)]);
    return this;
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
