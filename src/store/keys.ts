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
  unreachable() { return `${this.prefix}unreachable`; }
  flood(conversation: string, window: number) { return `${this.prefix}flood:${conversation}:${window}`; }
  inbox(personId: string) { return `${this.prefix}inbox:${personId}`; }
  meeting(id: string) { return `${this.prefix}meeting:${id}`; }
  meetings() { return `${this.prefix}meetings`; }
}
