/**
 * The `routing` bench: a simulated city (seeded) run through the real matcher
 * (rankVolunteers) and routing policy (decideRoute, afterFailedOffer) on a
 * simulated clock, against a naive baseline (a random available volunteer) on the
 * same city and the same stream of requests in the same run.
 *
 * `npx tsx scripts/bench-routing.ts [--requests=5000 --volunteers=300 --seed=1 ...]` prints one JSON line.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NEED_INTENTS, type NeedIntent } from '../src/core/intents.js';
import type { Lang } from '../src/core/lang.js';
import { Wijken } from '../src/domain/wijken.js';
import { type Candidate, rankVolunteers } from '../src/routing/matcher.js';
import { afterFailedOffer, decideRoute, DEFAULT_POLICY, type RoutingPolicy } from '../src/routing/policy.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.UTC(2025, 2, 3); // a Monday; only differences matter

export interface RoutingBenchOptions {
  seed: number;
  requests: number;
  days: number;
  volunteers: number;
  wijkwerkers: number;
  wijkenPath: string;
  /** OFFER_TIMEOUT. */
  offerTimeoutMs: number;
  /** Share of offers answered only after the offer expired (the answer is then refused). */
  lateShare: number;
  /** Share of offers declined in time. */
  declineShare: number;
  /** Mean answer delay of the in-time answers (exponential, cut off at the timeout). */
  meanAnswerMin: number;
  /** A volunteer who accepts holds the request for a uniform number of days in this range. */
  busyDays: [number, number];
  /** Distinct residents as a share of requests (the rest are repeat requests: continuity). */
  residentsPerRequest: number;
  crisisShare: number;
  wantsHumanShare: number;
  /** Share of housing requests that are an emergency (eviction) and go to the wijkteam. */
  housingEmergencyShare: number;
  policy: RoutingPolicy;
}

export const DEFAULT_ROUTING_BENCH: RoutingBenchOptions = {
  seed: 20250303,
  requests: 5000,
  days: 30,
  volunteers: 300,
  wijkwerkers: 30,
  wijkenPath: fileURLToPath(new URL('../data/wijken.json', import.meta.url)),
  offerTimeoutMs: 4 * HOUR,
  lateShare: 0.2,
  declineShare: 0.15,
  meanAnswerMin: 50,
  busyDays: [2, 7],
  residentsPerRequest: 0.6,
  crisisShare: 0.015,
  wantsHumanShare: 0.04,
  housingEmergencyShare: 0.25,
  policy: DEFAULT_POLICY,
};

// ---- seeded randomness -------------------------------------------------------

type Rng = () => number;

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stream of its own for (seed, a, b): the same offer behaves the same in both runs. */
function streamFor(seed: number, a: number, b: number): Rng {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(a + 1, 0xc2b2ae35) ^ Math.imul(b + 7, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return mulberry32(h ^ (h >>> 16));
}

function weighted<T>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = rng() * total;
  for (const [value, w] of table) if ((x -= w) < 0) return value;
  return table[table.length - 1][0];
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

// ---- the city ---------------------------------------------------------------

/** Almere-like mix: residents who ask for help, and the active residents who volunteer. */
const RESIDENT_LANGS: [Lang, number][] = [['nl', 0.52], ['tr', 0.14], ['ar', 0.13], ['pl', 0.08], ['uk', 0.07], ['en', 0.06]];
const VOLUNTEER_LANGS: [Lang, number][] = [['nl', 0.62], ['tr', 0.11], ['ar', 0.09], ['pl', 0.07], ['uk', 0.05], ['en', 0.06]];
const EXTRA_LANGS: [Lang, number][] = [['nl', 0.55], ['en', 0.3], ['tr', 0.04], ['ar', 0.04], ['pl', 0.035], ['uk', 0.035]];
const LANG_COUNT: [number, number][] = [[1, 0.45], [2, 0.4], [3, 0.15]];
/** How often each need comes up (any intent not listed here gets weight 0.02). */
const NEED_WEIGHTS: Partial<Record<NeedIntent, number>> = {
  'need.social_contact': 0.18, 'need.practical': 0.18, 'need.language': 0.12, 'need.activities': 0.1, 'need.money': 0.1,
  'need.wellbeing': 0.08, 'need.work': 0.06, 'need.health': 0.05, 'need.housing': 0.05, 'need.organize': 0.04, 'need.addiction': 0.02,
};
const CAPACITY: [number, number][] = [[1, 0.3], [2, 0.4], [3, 0.2], [4, 0.1]];
const STATUS: [Candidate['status'], number][] = [['active', 0.85], ['paused', 0.1], ['invited', 0.05]];
/** Share of a non-Dutch language group living in its two "home" wijken. */
const CLUSTER = 0.7;
const ELSEWHERE = 0.04;

interface SimRequest {
  index: number;
  at: number;
  resident: number;
  lang: Lang;
  wijk: string;
  topics: NeedIntent[];
  urgency: 'normal' | 'urgent';
  wantsHuman: boolean;
  housingEmergency: boolean;
}

interface City {
  wijken: Wijken;
  volunteers: Candidate[];
  wijkwerkers: { id: string; wijk: string }[];
  requests: SimRequest[];
}

function buildCity(o: RoutingBenchOptions): City {
  const rng = mulberry32(o.seed);
  const wijken = Wijken.load(o.wijkenPath);
  const named = wijken.all.filter((w) => w.near.length > 0).map((w) => w.id);
  const elsewhere = wijken.all.filter((w) => w.near.length === 0).map((w) => w.id);
  if (named.length === 0) throw new Error(`${o.wijkenPath}: no wijk with neighbours`);
  // Each non-Dutch language group clusters in two wijken (drawn from the seed).
  const home = new Map<Lang, string[]>();
  for (const [lang] of RESIDENT_LANGS) {
    if (lang === 'nl') continue;
    const first = pick(rng, named);
    const second = pick(rng, named.filter((w) => w !== first).concat(named.length === 1 ? [first] : []));
    home.set(lang, [first, second]);
  }
  const liveIn = (lang: Lang, allowElsewhere: boolean) => {
    if (allowElsewhere && elsewhere.length && rng() < ELSEWHERE) return pick(rng, elsewhere);
    const cluster = home.get(lang);
    return cluster && rng() < CLUSTER ? pick(rng, cluster) : pick(rng, named);
  };
  const needTable = NEED_INTENTS.map((t) => [t, NEED_WEIGHTS[t] ?? 0.02] as const);
  const helpTable = needTable.filter(([t]) => !o.policy.professionalTopics.has(t));

  const volunteers: Candidate[] = [];
  for (let i = 0; i < o.volunteers; i++) {
    const first = weighted(rng, VOLUNTEER_LANGS);
    const languages: Lang[] = [first];
    const count = weighted(rng, LANG_COUNT);
    for (let guard = 0; languages.length < count && guard < 20; guard++) {
      const extra = weighted(rng, EXTRA_LANGS);
      if (!languages.includes(extra)) languages.push(extra);
    }
    const topics: NeedIntent[] = [];
    if (rng() >= 0.15) {
      const want = 2 + Math.floor(rng() * 3);
      for (let guard = 0; topics.length < want && guard < 40; guard++) {
        const t = weighted(rng, helpTable);
        if (!topics.includes(t)) topics.push(t);
      }
    }
    volunteers.push({ id: `v${String(i).padStart(4, '0')}`, languages, wijk: liveIn(first, false), topics, capacity: weighted(rng, CAPACITY), openCount: 0, status: weighted(rng, STATUS) });
  }
  const wijkwerkers = Array.from({ length: o.wijkwerkers }, (_, i) => ({ id: `ww${String(i).padStart(3, '0')}`, wijk: named[i % named.length] }));

  const residents = Math.max(1, Math.round(o.requests * o.residentsPerRequest));
  const people: { lang: Lang; wijk: string }[] = [];
  for (let i = 0; i < residents; i++) {
    const lang = weighted(rng, RESIDENT_LANGS);
    people.push({ lang, wijk: liveIn(lang, true) });
  }
  const requests: SimRequest[] = [];
  for (let i = 0; i < o.requests; i++) {
    const day = Math.floor(rng() * o.days);
    // Most requests come in between 8:00 and 22:00.
    const hour = rng() < 0.9 ? 8 + rng() * 14 : rng() * 24;
    const resident = Math.floor(rng() * residents);
    const topics: NeedIntent[] = [weighted(rng, needTable)];
    if (rng() < 0.2) {
      const second = weighted(rng, needTable);
      if (second !== topics[0]) topics.push(second);
    }
    requests.push({
      index: i,
      at: START + day * DAY + Math.floor(hour * HOUR),
      resident,
      ...people[resident],
      topics,
      urgency: rng() < o.crisisShare ? 'urgent' : 'normal',
      wantsHuman: rng() < o.wantsHumanShare,
      housingEmergency: topics.includes('need.housing') && rng() < o.housingEmergencyShare,
    });
  }
  requests.sort((a, b) => a.at - b.at || a.index - b.index);
  return { wijken, volunteers, wijkwerkers, requests };
}

// ---- the simulated clock ----------------------------------------------------

type SimEvent =
  | { at: number; seq: number; kind: 'arrive'; r: number }
  | { at: number; seq: number; kind: 'answer'; r: number; offer: number; accept: boolean }
  | { at: number; seq: number; kind: 'expire'; r: number; offer: number }
  | { at: number; seq: number; kind: 'free'; v: number };
type NewEvent = SimEvent extends infer E ? (E extends SimEvent ? Omit<E, 'seq'> : never) : never;

/** Binary min-heap on (at, seq): events at the same moment run in the order they were queued. */
class EventQueue {
  private heap: SimEvent[] = [];
  private seq = 0;

  get size() {
    return this.heap.length;
  }

  push(event: NewEvent) {
    const h = this.heap;
    h.push({ ...event, seq: this.seq++ } as SimEvent);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  pop(): SimEvent | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

function before(a: SimEvent, b: SimEvent) {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

// ---- one run ----------------------------------------------------------------

type Strategy = 'project' | 'baseline';

interface RequestState {
  tried: string[];
  failed: number;
  /** The pending offer: its number and the volunteer's index. */
  pending?: { offer: number; v: number };
  atWijkteam: boolean;
  noVolunteer: boolean;
  acceptedBy?: number;
  acceptedAt?: number;
}

interface RunResult {
  language_match: number;
  wijk_same_or_near: number;
  gini_load: number;
  escalation_share: number;
  escalation_no_volunteer_share: number;
  median_accept_h: number;
}

function simulate(city: City, o: RoutingBenchOptions, strategy: Strategy): RunResult {
  const { wijken, requests } = city;
  const vols: Candidate[] = city.volunteers.map((v) => ({ ...v, openCount: 0, lastOfferedAt: undefined }));
  const indexOf = new Map(vols.map((v, i) => [v.id, i]));
  const acceptedCount = new Array<number>(vols.length).fill(0);
  const helpedBefore = new Map<number, string[]>();
  const states: RequestState[] = requests.map(() => ({ tried: [], failed: 0, atWijkteam: false, noVolunteer: false }));
  const volunteerTopics = requests.map((r) => r.topics.filter((t) => !o.policy.professionalTopics.has(t)));
  const pickRng = mulberry32(o.seed ^ 0x5bd1e995);
  const queue = new EventQueue();
  requests.forEach((r, i) => queue.push({ at: r.at, kind: 'arrive', r: i }));
  // The answer window that in-time answers fall in (truncated exponential).
  const mean = o.meanAnswerMin * MINUTE;
  const inTimeMass = 1 - Math.exp(-o.offerTimeoutMs / mean);

  const choose = (i: number, now: number): number | undefined => {
    const r = requests[i];
    const s = states[i];
    if (strategy === 'project') {
      const best = rankVolunteers({ lang: r.lang, wijk: r.wijk, topics: volunteerTopics[i], helpedBefore: helpedBefore.get(r.resident) ?? [], tried: s.tried }, vols, wijken, now)[0];
      return best ? indexOf.get(best.id) : undefined;
    }
    const free: number[] = [];
    for (let v = 0; v < vols.length; v++) {
      const c = vols[v];
      if (c.status === 'active' && c.openCount < c.capacity && !s.tried.includes(c.id)) free.push(v);
    }
    return free.length ? free[Math.floor(pickRng() * free.length)] : undefined;
  };

  const offer = (i: number, now: number) => {
    const s = states[i];
    const v = choose(i, now);
    if (v === undefined) {
      s.noVolunteer = true; // nobody available: "no volunteer found" at once
      return;
    }
    const c = vols[v];
    const number = s.tried.length;
    s.tried.push(c.id);
    s.pending = { offer: number, v };
    c.openCount += 1; // an offer holds a place until it is answered or expires
    c.lastOfferedAt = now;
    const behaviour = streamFor(o.seed, requests[i].index, number);
    const u = behaviour();
    if (u < o.lateShare) {
      queue.push({ at: now + o.offerTimeoutMs + Math.floor(-4 * HOUR * Math.log(1 - behaviour())) + 1, kind: 'answer', r: i, offer: number, accept: true });
    } else {
      const delay = Math.floor(-mean * Math.log(1 - behaviour() * inTimeMass));
      queue.push({ at: now + Math.min(delay, o.offerTimeoutMs - 1), kind: 'answer', r: i, offer: number, accept: u >= o.lateShare + o.declineShare });
    }
    queue.push({ at: now + o.offerTimeoutMs, kind: 'expire', r: i, offer: number });
  };

  const failed = (i: number, now: number) => {
    const s = states[i];
    s.failed += 1;
    if (afterFailedOffer(s.failed, o.policy) === 'escalate') s.noVolunteer = true;
    else offer(i, now);
  };

  for (let event = queue.pop(); event; event = queue.pop()) {
    const now = event.at;
    if (event.kind === 'arrive') {
      const r = requests[event.r];
      const route = decideRoute({ topics: r.topics, urgency: r.urgency, wantsHuman: r.wantsHuman, housingEmergency: r.housingEmergency }, o.policy);
      if (route.wijkteam !== false) states[event.r].atWijkteam = true;
      if (route.volunteer) offer(event.r, now);
    } else if (event.kind === 'free') {
      vols[event.v].openCount -= 1;
    } else {
      const s = states[event.r];
      if (!s.pending || s.pending.offer !== event.offer) continue; // answered already, or a late answer on an expired offer
      const v = s.pending.v;
      s.pending = undefined;
      if (event.kind === 'answer' && event.accept) {
        s.acceptedBy = v;
        s.acceptedAt = now;
        acceptedCount[v] += 1;
        const resident = requests[event.r].resident;
        const helped = helpedBefore.get(resident) ?? [];
        if (!helped.includes(vols[v].id)) helpedBefore.set(resident, [...helped, vols[v].id]);
        const [lo, hi] = o.busyDays;
        const busy = (lo + streamFor(o.seed, requests[event.r].index, 1000 + event.offer)() * (hi - lo)) * DAY;
        queue.push({ at: now + Math.floor(busy), kind: 'free', v });
      } else {
        vols[v].openCount -= 1;
        failed(event.r, now);
      }
    }
  }

  let accepted = 0;
  let languageMatch = 0;
  let wijkNear = 0;
  let escalated = 0;
  let noVolunteer = 0;
  const waits: number[] = [];
  states.forEach((s, i) => {
    const r = requests[i];
    if (s.atWijkteam || s.noVolunteer) escalated += 1;
    if (s.noVolunteer) noVolunteer += 1;
    if (s.acceptedBy === undefined || s.acceptedAt === undefined) return;
    const c = vols[s.acceptedBy];
    accepted += 1;
    if (c.languages.includes(r.lang)) languageMatch += 1;
    if (wijken.isNear(r.wijk, c.wijk) || wijken.isNear(c.wijk, r.wijk)) wijkNear += 1;
    waits.push(s.acceptedAt - r.at);
  });
  const activeLoads = vols.flatMap((c, v) => (c.status === 'active' ? [acceptedCount[v]] : []));
  waits.sort((a, b) => a - b);
  const n = requests.length || 1;
  return {
    language_match: round(accepted ? languageMatch / accepted : 0),
    wijk_same_or_near: round(accepted ? wijkNear / accepted : 0),
    gini_load: round(gini(activeLoads)),
    escalation_share: round(escalated / n),
    escalation_no_volunteer_share: round(noVolunteer / n),
    median_accept_h: round(median(waits) / HOUR, 2),
  };
}

export function gini(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((s, x) => s + x, 0);
  if (sorted.length === 0 || total === 0) return 0;
  let weightedSum = 0;
  sorted.forEach((x, i) => (weightedSum += (2 * (i + 1) - sorted.length - 1) * x));
  return weightedSum / (sorted.length * total);
}

function median(sorted: number[]): number {
  if (sorted.length === 0) return 0;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export async function benchRouting(options: Partial<RoutingBenchOptions> = {}): Promise<Record<string, unknown>> {
  const o: RoutingBenchOptions = { ...DEFAULT_ROUTING_BENCH, ...options };
  if (o.lateShare < 0 || o.declineShare < 0 || o.lateShare + o.declineShare > 1) throw new Error('lateShare + declineShare must be between 0 and 1');
  const started = performance.now();
  const city = buildCity(o);
  const project = simulate(city, o, 'project');
  const baseline = simulate(city, o, 'baseline');
  const prefixed = Object.fromEntries(Object.entries(baseline).map(([k, v]) => [`baseline_${k}`, v]));
  return {
    bench: 'routing',
    requests: city.requests.length,
    volunteers: city.volunteers.length,
    wijkwerkers: city.wijkwerkers.length,
    ...project,
    ...prefixed,
    ms: Math.round(performance.now() - started),
  };
}

/** `--requests=1000 --lateShare=0.3 --busyDays=1,3`: numeric options from the command line. */
function parseArgs(argv: string[]): Partial<RoutingBenchOptions> {
  const out: Record<string, unknown> = {};
  for (const arg of argv) {
    const m = /^--([A-Za-z]+)=(.+)$/.exec(arg);
    if (!m || !(m[1] in DEFAULT_ROUTING_BENCH) || m[1] === 'policy') throw new Error(`unknown option ${arg}`);
    const [, key, value] = m;
    if (key === 'wijkenPath') out[key] = value;
    else if (key === 'busyDays') out[key] = value.split(',').map(Number);
    else if (Number.isFinite(Number(value))) out[key] = Number(value);
    else throw new Error(`not a number: ${arg}`);
  }
  return out as Partial<RoutingBenchOptions>;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchRouting(parseArgs(process.argv.slice(2))).then(
    (line) => process.stdout.write(`${JSON.stringify(line)}\n`),
    (error) => {
      process.stderr.write(`${(error as Error).stack ?? error}\n`);
      process.exit(1);
    },
  );
}
