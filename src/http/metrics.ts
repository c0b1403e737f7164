/** Counters and one latency histogram, exposed in Prometheus text format at /metrics. */
const BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000];

export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly buckets = new Array(BUCKETS_MS.length).fill(0);
  private sum = 0;
  private count = 0;

  inc(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  observeTurn(ms: number): void {
    this.sum += ms;
    this.count += 1;
    for (let i = 0; i < BUCKETS_MS.length; i++) if (ms <= BUCKETS_MS[i]) this.buckets[i] += 1;
  }

  get(name: string): number {
    return this.counters.get(name) ?? 0;
  }

  render(): string {
    const lines: string[] = [];
    const counter = (name: string, help: string) => {
      lines.push(`# HELP samenredzaam_${name} ${help}`, `# TYPE samenredzaam_${name} counter`, `samenredzaam_${name} ${this.get(name)}`);
    };
    counter('turns_total', 'Turns handled (messages, button taps, events).');
    counter('turn_errors_total', 'Turns that failed and got the apology reply.');
    counter('duplicates_total', 'Incoming activities dropped as already handled.');
    counter('crisis_total', 'Messages the crisis detector flagged.');
    counter('requests_created_total', 'Requests (hulpvragen) stored.');
    lines.push('# HELP samenredzaam_turn_duration_ms Time to handle one turn.', '# TYPE samenredzaam_turn_duration_ms histogram');
    BUCKETS_MS.forEach((le, i) => lines.push(`samenredzaam_turn_duration_ms_bucket{le="${le}"} ${this.buckets[i]}`));
    lines.push(`samenredzaam_turn_duration_ms_bucket{le="+Inf"} ${this.count}`);
    lines.push(`samenredzaam_turn_duration_ms_sum ${this.sum}`, `samenredzaam_turn_duration_ms_count ${this.count}`);
    return `${lines.join('\n')}\n`;
  }
}
