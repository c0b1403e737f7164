/**
 * Every Redis key the project uses, in one place, under one prefix (tests and
 * tenants each get their own). Hash tags are not used: we run single-node Redis.
 */
export class Keys {
  constructor(readonly prefix: string) {}
  seen(activityKey: string) { return `${this.prefix}seen:${activityKey}`; }
  lock(conversation: string) { return `${this.prefix}lock:${conversation}`; }
  session(conversation: string) { return `${this.prefix}session:${conversation}`; }
  person(personId: string) { return `${this.prefix}person:${personId}`; }
  people() { return `${this.prefix}people`; }
  request(id: string) { return `${this.prefix}request:${id}`; }
  requestEvents(id: string) { return `${this.prefix}request:${id}:events`; }
  requests() { return `${this.prefix}requests`; }
  requestsOf(personId: string) { return `${this.prefix}requests-of:${personId}`; }
  helper(id: string) { return `${this.prefix}helper:${id}`; }
  helpers(role: string) { return `${this.prefix}helpers:${role}`; }
  helperByChannel(personId: string) { return `${this.prefix}helper-by-channel:${personId}`; }
  invite(code: string) { return `${this.prefix}invite:${code}`; }
  offer(id: string) { return `${this.prefix}offer:${id}`; }
  /** Open requests per volunteer (their load). */
  helperOpen(helperId: string) { return `${this.prefix}helper-open:${helperId}`; }
  /** When each volunteer last got an offer (ms), for fair rotation. */
  lastOffered() { return `${this.prefix}last-offered`; }
  /** Volunteers who helped this resident before (continuity). */
  helpedBy(personId: string) { return `${this.prefix}helped-by:${personId}`; }
  /** Requests in the wijkteam queue. */
  escalations() { return `${this.prefix}escalations`; }
  outbox() { return `${this.prefix}outbox`; }
  outboxBusy() { return `${this.prefix}outbox:busy`; }
  unreachable() { return `${this.prefix}unreachable`; }
  flood(conversation: string, window: number) { return `${this.prefix}flood:${conversation}:${window}`; }
  inbox(personId: string) { return `${this.prefix}inbox:${personId}`; }
  meeting(id: string) { return `${this.prefix}meeting:${id}`; }
  meetings() { return `${this.prefix}meetings`; }
}
