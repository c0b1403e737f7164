import { describe, expect, it } from 'vitest';
import { chooseLanguage, detectFromText, scriptLanguage, textLanguage } from '../../../src/nlu/language.js';
import { normalize } from '../../../src/nlu/normalize.js';

describe('normalize', () => {
  it('folds case, diacritics, Turkish i, Arabic letter variants, Ukrainian apostrophes and ґ', () => {
    expect(normalize('Ik ben ÉÉNZAAM!!')).toBe('ik ben eenzaam');
    expect(normalize('İstanbul ılık şeker')).toBe('istanbul ilik seker');
    expect(normalize('أريد إلى آخر مدرسة')).toBe('اريد الي اخر مدرسه');
    expect(normalize('مُدَرِّسَة')).toBe('مدرسه');
    expect(normalize("п'ю ґанок")).toBe('пю ганок');
    expect(normalize('Dziękuję, łóżko')).toBe('dziekuje lozko');
    expect(normalize('neeeeee 👍')).toBe('nee ok');
  });
});

describe('scriptLanguage', () => {
  it('takes Arabic and Cyrillic script as strong evidence, even for one word', () => {
    expect(scriptLanguage('مرحبا')).toBe('ar');
    expect(scriptLanguage('привіт')).toBe('uk');
    expect(scriptLanguage('hallo')).toBeUndefined();
  });
  it('does not let Dutch institution words outweigh the script', () => {
    expect(scriptLanguage('ما عندي huisarts')).toBe('ar');
    expect(scriptLanguage('лист від belastingdienst')).toBe('uk');
  });
});

describe('detectFromText', () => {
  it('guesses Latin-script languages only from three words on', () => {
    expect(detectFromText('thank you')).toBeUndefined();
    expect(detectFromText('I need help with my rent')).toBe('en');
    expect(detectFromText('ik zoek werk in almere')).toBe('nl');
    expect(detectFromText('kira borcum var ödeyemiyorum')).toBe('tr');
    expect(detectFromText('szukam pracy w almere')).toBe('pl');
  });
  it('knows Arabic typed in Latin letters and digits, and transliterated Ukrainian', () => {
    expect(detectFromText('salam 3andi mochkil m3a lbaladiya')).toBe('ar');
    expect(detectFromText('wach kayn chi wa7ed ysa3dni f lkhedma')).toBe('ar');
    expect(detectFromText('pryvit, ya ne mozhu znayty robotu')).toBe('uk');
    expect(detectFromText('dobryi den, meni potribna dopomoha z kvartyroyu')).toBe('uk');
    // the Latin languages stay themselves
    expect(detectFromText('ik zoek iemand die mij kan helpen')).toBe('nl');
    expect(detectFromText('szukam kogos kto mi pomoze z listem')).toBe('pl');
    expect(detectFromText('bana yardim eder misiniz lutfen')).toBe('tr');
  });

  it('does not read Dutch institution words as Dutch', () => {
    expect(detectFromText("gemeente'den mektup geldi anlamadım")).toBe('tr');
    expect(detectFromText('belastingdienst toeslag mektup geldi')).toBe('tr');
    expect(detectFromText('dostałam list z belastingdienst o toeslag')).toBe('pl');
    expect(detectFromText('my huisarts does not answer the phone')).toBe('en');
  });
});

describe('chooseLanguage', () => {
  it('keeps the stored language and asks nothing for short texts', () => {
    expect(chooseLanguage('ok', { stored: 'tr' })).toEqual({ lang: 'tr', detected: undefined, differs: false });
    expect(chooseLanguage('hello there', { stored: 'nl' })).toMatchObject({ lang: 'nl', differs: false });
  });
  it('keeps Turkish when a Turkish sentence is full of Dutch institution words', () => {
    const c = chooseLanguage('wijkteam gemeente toeslag huisarts için yardım lazım', { stored: 'tr' });
    expect(c.lang).toBe('tr');
    expect(c.differs).toBe(false);
  });
  it('reports a clearly different language once, without switching silently', () => {
    const c = chooseLanguage('I have a letter from the tax office and I do not understand it', { stored: 'nl' });
    expect(c).toMatchObject({ lang: 'nl', detected: 'en', differs: true });
    expect(textLanguage(c)).toBe('en');
  });
  it('treats script as strong evidence against the stored language', () => {
    const c = chooseLanguage('у мене борги', { stored: 'nl' });
    expect(c).toMatchObject({ lang: 'nl', detected: 'uk', differs: true });
  });
  it('prefers stored over hint, hint over text, text over the fallback', () => {
    expect(chooseLanguage('hoi', { stored: 'pl', hint: 'en' }).lang).toBe('pl');
    expect(chooseLanguage('hoi', { hint: 'en' }).lang).toBe('en');
    expect(chooseLanguage('ik heb hulp nodig met mijn huur', {}).lang).toBe('nl');
    expect(chooseLanguage('potrzebuję pomocy z czynszem', {}).lang).toBe('pl');
    expect(chooseLanguage('ok', {}).lang).toBe('nl');
    expect(chooseLanguage('ok', { fallback: 'en' }).lang).toBe('en');
  });
  it('needs clear evidence to leave the hinted language', () => {
    // mixed, unclear text stays in the hinted language
    expect(chooseLanguage('ok ok ok', { hint: 'tr' })).toMatchObject({ lang: 'tr', differs: false });
    expect(chooseLanguage('de buurthuis taalcafe', { hint: 'pl' })).toMatchObject({ lang: 'pl', differs: false });
  });
});
