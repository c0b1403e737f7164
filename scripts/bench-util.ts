/** What every benchmark shares: percentiles, and clearing its throw-away key prefix. */
export { deleteKeys } from '../src/store/redis.js';

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
