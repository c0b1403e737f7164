import type { RequestEvent } from '../domain/request.js';
import type { Keys } from './keys.js';
import type { UnitOfWork } from './unit-of-work.js';

/** Appends one line to a request's event log, in the unit of work. Never message text: ids, kinds and reasons only. */
export function logEvent(work: UnitOfWork, keys: Keys, requestId: string, event: RequestEvent): void {
  work.write('RPUSH', keys.requestEvents(requestId), JSON.stringify(event));
}
