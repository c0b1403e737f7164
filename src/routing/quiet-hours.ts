/** Minutes after local midnight in a time zone. */
export function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

/**
 * Milliseconds until the quiet window ends, or 0 when it is not quiet now.
 * The window may wrap midnight (22:00-08:00).
 */
export function quietFor(at: Date, window: { from: number; to: number } | undefined, timeZone: string): number {
  if (!window || window.from === window.to) return 0;
  const now = localMinutes(at, timeZone);
  const inside = window.from < window.to ? now >= window.from && now < window.to : now >= window.from || now < window.to;
  if (!inside) return 0;
  const minutesLeft = (window.to - now + 24 * 60) % (24 * 60);
  return minutesLeft * 60_000 - at.getSeconds() * 1000 - at.getMilliseconds();
}

/** What may wake someone at night: danger, and people writing to each other. */
export const URGENT_EVENTS = new Set(['crisis.reassure', 'relay.message', 'relay.ended']);

export function isUrgent(event: { name: string; data?: Record<string, unknown> }): boolean {
  return URGENT_EVENTS.has(event.name) || event.data?.urgent === 'yes';
}
