import { describe, expect, it } from 'vitest';
import { loadAssets } from '../../src/app.js';
import { LANGS } from '../../src/core/lang.js';
import { checkLocales, usedKeys } from '../../src/i18n/check.js';
import { I18n } from '../../src/i18n/i18n.js';

const assets = loadAssets();
const used = usedKeys(assets.flows, assets.wijken);

describe('locales', () => {
  it.each(LANGS)('%s has every key a flow or the code sends, nothing extra, the same variables', (lang) => {
    expect(checkLocales(assets.i18n, used, [lang])).toEqual([]);
  });

  it('the check itself catches a missing key and a changed variable', () => {
    const broken = new I18n({
      ...assets.i18n.resources,
      en: { ...assets.i18n.resources.en, intake: { ...(assets.i18n.resources.en.intake as object), confirm: 'No topics here' }, help: {} },
    });
    const problems = checkLocales(broken, used, ['en']);
    expect(problems).toContainEqual({ lang: 'en', key: 'help.text', problem: 'missing' });
    expect(problems).toContainEqual({ lang: 'en', key: 'intake.confirm', problem: 'variables' });
  });

  it('Dutch texts avoid office jargon (B1)', () => {
    const jargon = /zelfredzaamheid|indicatie|wmo-voorziening|casus|beschikking|participatie|cliënt/i;
    const dutch = JSON.stringify(assets.i18n.resources.nl);
    expect(dutch).not.toMatch(jargon);
  });

  it('renders plural forms by language', () => {
    const text = (lang: (typeof LANGS)[number]) => assets.i18n.text({ key: 'common.too_long', vars: { max: 3 } }, lang);
    for (const lang of LANGS) expect(text(lang)).toContain('3');
    expect(assets.i18n.dir('ar')).toBe('rtl');
  });
});
