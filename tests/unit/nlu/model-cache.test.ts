import { mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastLoadInfo, loadClassifier } from '../../../src/nlu/model.js';

function corpus(dir: string, extra = ''): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'nl.json'),
    JSON.stringify({
      'need.money': ['ik heb schulden', 'ik kan de huur niet betalen', `rekeningen stapelen op ${extra}`],
      'need.work': ['ik zoek werk', 'ik wil een baan', 'hulp bij mijn cv'],
      crisis: ['ik wil niet meer leven', 'hij slaat me'],
    }),
  );
}

describe('model cache (data/cache/nlu-<hash>/)', () => {
  it('trains once, then loads from the cache with the same answers; a changed corpus retrains and the old cache goes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nlu-cache-'));
    const trainDir = join(root, 'train');
    const crisisDir = join(root, 'crisis-train');
    const cacheDir = join(root, 'cache');
    corpus(trainDir);
    mkdirSync(crisisDir);
    writeFileSync(join(crisisDir, 'nl.jsonl'), ['{"text":"ik wil dood","crisis":true}', '{"text":"ik lach me dood","crisis":false}'].join('\n'));
    const options = { trainDir, crisisTrainDir: crisisDir, cacheDir };

    const trained = await loadClassifier(options);
    expect(lastLoadInfo()!.cached).toBe(false);
    const cached = await loadClassifier(options);
    expect(lastLoadInfo()!.cached).toBe(true);
    for (const text of ['ik heb schulden bij de bank', 'ik zoek een baan']) {
      expect((await cached.classify(text, 'nl')).ranked).toEqual((await trained.classify(text, 'nl')).ranked);
    }
    expect(cached.crisisModel!.probability('ik wil dood')).toBeCloseTo(trained.crisisModel!.probability('ik wil dood'), 6);
    const before = readdirSync(cacheDir);
    expect(before).toHaveLength(1);

    corpus(trainDir, 'en de energie');
    await loadClassifier(options);
    expect(lastLoadInfo()!.cached).toBe(false);
    const after = readdirSync(cacheDir);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
  }, 60_000);
});
