import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Wijken } from '../../../src/domain/wijken.js';
import { type Candidate, type MatchRequest, rankVolunteers } from '../../../src/routing/matcher.js';

const wijken = Wijken.load(join(import.meta.dirname, '../../../data/wijken.json'));
const HOUR = 3_600_000;
const NOW = Date.UTC(2025, 2, 10, 12);

function vol(id: string, over: Partial<Candidate> = {}): Candidate {
  return { id, languages: ['nl'], wijk: 'hoven', topics: [], capacity: 2, openCount: 0, status: 'active', ...over };
}

function req(over: Partial<MatchRequest> = {}): MatchRequest {
  return { lang: 'nl', wijk: 'hoven', topics: ['need.practical'], helpedBefore: [], tried: [], ...over };
}

const ids = (request: MatchRequest, candidates: Candidate[]) => rankVolunteers(request, candidates, wijken, NOW).map((r) => r.id);

describe('rankVolunteers: hard rules', () => {
  it('takes only active volunteers', () => {
    const all = [vol('a', { status: 'invited' }), vol('b', { status: 'paused' }), vol('c')];
    expect(ids(req(), all)).toEqual(['c']);
  });

  it('requires the resident\'s language, wherever the volunteer lives', () => {
    const all = [vol('same-wijk-nl', { languages: ['nl'] }), vol('far-tr', { languages: ['nl', 'tr'], wijk: 'elders' }), vol('tr-only', { languages: ['tr'] })];
    expect(ids(req({ lang: 'tr' }), all)).toEqual(['tr-only', 'far-tr']);
    expect(ids(req({ lang: 'uk' }), all)).toEqual([]);
  });

  it('requires free capacity', () => {
    const all = [vol('full', { capacity: 2, openCount: 2 }), vol('over', { capacity: 1, openCount: 3 }), vol('none', { capacity: 0 }), vol('free', { capacity: 2, openCount: 1 })];
    expect(ids(req(), all)).toEqual(['free']);
  });

  it('skips volunteers already offered this request, even one who helped before', () => {
    const all = [vol('a'), vol('b'), vol('c')];
    expect(ids(req({ tried: ['a', 'c'] }), all)).toEqual(['b']);
    expect(ids(req({ tried: ['a'], helpedBefore: ['a'] }), all)).toEqual(['b', 'c']);
  });

  it('returns nothing when nobody is available', () => {
    expect(rankVolunteers(req(), [], wijken, NOW)).toEqual([]);
  });
});

describe('rankVolunteers: preferences', () => {
  it('puts continuity first, above wijk, topic, load and rotation', () => {
    const all = [
      vol('best-otherwise', { wijk: 'hoven', topics: ['need.practical'] }),
      vol('helped', { wijk: 'gouwen', topics: ['need.language'], capacity: 3, openCount: 2, lastOfferedAt: NOW - HOUR }),
    ];
    expect(ids(req({ helpedBefore: ['helped'] }), all)).toEqual(['helped', 'best-otherwise']);
  });

  it('prefers the same wijk, then a nearby one, then elsewhere', () => {
    // hoven borders centrum, werven and meenten; gouwen is not near.
    const all = [vol('far', { wijk: 'gouwen' }), vol('near', { wijk: 'meenten' }), vol('same', { wijk: 'hoven' }), vol('elders', { wijk: 'elders' })];
    expect(ids(req({ wijk: 'hoven' }), all)).toEqual(['same', 'near', 'elders', 'far']);
  });

  it('ranks wijk above topic fit', () => {
    const all = [vol('near-fit', { wijk: 'centrum', topics: ['need.practical'] }), vol('same-nofit', { wijk: 'hoven', topics: ['need.language'] })];
    expect(ids(req(), all)).toEqual(['same-nofit', 'near-fit']);
  });

  it('prefers fitting topics; no topics listed counts as "anything"', () => {
    const all = [vol('nofit', { topics: ['need.language'] }), vol('fit', { topics: ['need.work', 'need.practical'] }), vol('any', { topics: [] })];
    expect(ids(req({ topics: ['need.practical', 'need.social_contact'] }), all)).toEqual(['any', 'fit', 'nofit']);
  });

  it('treats every volunteer as fitting when the request names no topic', () => {
    const all = [vol('b', { topics: ['need.language'] }), vol('a', { topics: ['need.work'] })];
    expect(ids(req({ topics: [] }), all)).toEqual(['a', 'b']);
  });

  it('ranks topic fit above free capacity', () => {
    const all = [vol('idle-nofit', { topics: ['need.language'], capacity: 3 }), vol('busy-fit', { topics: ['need.practical'], capacity: 3, openCount: 2 })];
    expect(ids(req(), all)).toEqual(['busy-fit', 'idle-nofit']);
  });

  it('prefers the most free capacity (share of capacity) over rotation', () => {
    const all = [
      vol('half', { capacity: 2, openCount: 1, lastOfferedAt: undefined }),
      vol('two-thirds', { capacity: 3, openCount: 1, lastOfferedAt: NOW - 100 * HOUR }),
      vol('idle', { capacity: 1, openCount: 0, lastOfferedAt: NOW - HOUR }),
    ];
    expect(ids(req(), all)).toEqual(['idle', 'two-thirds', 'half']);
  });

  it('rotates fairly: who waited longest since their last offer, never offered first', () => {
    const all = [vol('recent', { lastOfferedAt: NOW - HOUR }), vol('long-ago', { lastOfferedAt: NOW - 72 * HOUR }), vol('never'), vol('yesterday', { lastOfferedAt: NOW - 24 * HOUR })];
    expect(ids(req(), all)).toEqual(['never', 'long-ago', 'yesterday', 'recent']);
  });
});

describe('rankVolunteers: determinism and reasons', () => {
  it('breaks full ties by id and does not depend on input order', () => {
    const all = ['d', 'b', 'e', 'a', 'c'].map((id) => vol(id));
    expect(ids(req(), all)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const mixed = [vol('x', { wijk: 'gouwen' }), vol('y', { lastOfferedAt: NOW - HOUR }), vol('z', { topics: ['need.language'] }), vol('w'), vol('v', { capacity: 3, openCount: 1 })];
    const first = rankVolunteers(req(), mixed, wijken, NOW);
    expect(rankVolunteers(req(), [...mixed].reverse(), wijken, NOW)).toEqual(first);
    expect(first.map((r) => r.id)).toEqual(['w', 'y', 'v', 'z', 'x']);
  });

  it('does not change its inputs', () => {
    const all = [vol('b'), vol('a')];
    const copy = structuredClone(all);
    const request = req({ tried: ['c'], helpedBefore: ['b'] });
    const requestCopy = structuredClone(request);
    rankVolunteers(request, all, wijken, NOW);
    expect(all).toEqual(copy);
    expect(request).toEqual(requestCopy);
  });

  it('gives short machine-readable reasons', () => {
    const all = [
      vol('mehmet', { languages: ['nl', 'tr'], wijk: 'hoven', topics: ['need.practical', 'need.language'], capacity: 3, openCount: 1, lastOfferedAt: NOW - 72 * HOUR - 5 }),
      vol('ayse', { languages: ['tr'], wijk: 'werven', topics: [], capacity: 2 }),
      vol('emre', { languages: ['tr'], wijk: 'gouwen', topics: ['need.work'], capacity: 1 }),
    ];
    const ranked = rankVolunteers(req({ lang: 'tr', topics: ['need.practical', 'need.language'], helpedBefore: ['mehmet'] }), all, wijken, NOW);
    expect(ranked.map((r) => r.reasons)).toEqual([
      ['language:tr', 'wijk:same', 'topic:need.practical', 'topic:need.language', 'continuity', 'load:1/3', 'waited:72h'],
      ['language:tr', 'wijk:near', 'topic:any', 'load:0/2', 'waited:never'],
      ['language:tr', 'wijk:far', 'topic:none', 'load:0/1', 'waited:never'],
    ]);
    for (const r of ranked) for (const reason of r.reasons) expect(reason).toMatch(/^[a-z]+(:[a-z0-9._/]+)?$/);
  });

  it('gives scores that never increase down the list', () => {
    const all = Array.from({ length: 60 }, (_, i) =>
      vol(`v${i}`, { wijk: ['hoven', 'centrum', 'gouwen', 'elders'][i % 4], topics: i % 3 ? ['need.practical'] : ['need.language'], capacity: 1 + (i % 4), openCount: i % 2, lastOfferedAt: i % 5 ? NOW - i * HOUR : undefined }),
    );
    const ranked = rankVolunteers(req({ helpedBefore: ['v7'] }), all, wijken, NOW);
    expect(ranked[0].id).toBe('v7');
    for (let i = 1; i < ranked.length; i++) expect(ranked[i].score).toBeLessThanOrEqual(ranked[i - 1].score);
    expect(ranked[0].score).toBeGreaterThanOrEqual(1000);
  });

  it('ranks a city of 300 volunteers well under a millisecond', () => {
    const langs = ['nl', 'tr', 'ar', 'pl', 'uk', 'en'] as const;
    const wijkIds = wijken.all.map((w) => w.id);
    const all = Array.from({ length: 300 }, (_, i) =>
      vol(`v${String(i).padStart(3, '0')}`, { languages: i % 3 ? ['nl', langs[i % 6]] : [langs[i % 6]], wijk: wijkIds[i % wijkIds.length], topics: i % 4 ? ['need.practical', 'need.social_contact'] : [], capacity: 1 + (i % 3), openCount: i % 2, lastOfferedAt: NOW - (i % 50) * HOUR }),
    );
    const request = req({ helpedBefore: ['v010'], tried: ['v001', 'v002'] });
    for (let i = 0; i < 200; i++) rankVolunteers(request, all, wijken, NOW);
    const runs = 1000;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) rankVolunteers(request, all, wijken, NOW);
    const perRank = (performance.now() - t0) / runs;
    expect(perRank).toBeLessThan(1);
  });
});
