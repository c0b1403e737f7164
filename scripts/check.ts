/** `npm run check`: validates flows, locales and data; prints what is wrong and exits 1, or "ok". */
import { loadAssets } from '../src/app.js';
import { checkLocales, usedKeys } from '../src/i18n/check.js';

try {
  const assets = loadAssets();
  const problems = checkLocales(assets.i18n, usedKeys(assets.flows, assets.wijken));
  for (const p of problems) process.stderr.write(`locales/${p.lang}: ${p.key}: ${p.problem}\n`);
  if (problems.length) process.exit(1);
  process.stdout.write(`ok: ${assets.flows.flows.size} flows, ${usedKeys(assets.flows, assets.wijken).size} keys in every language\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
