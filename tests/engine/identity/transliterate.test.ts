import { describe, expect, it } from 'vitest';
import transliterate from '@sindresorhus/transliterate';
import { toAsciiName } from '../../../src/engine/identity/transliterate.js';

describe('toAsciiName', () => {
  it('strips accents instead of spelling them out German-style', () => {
    expect(toAsciiName('José Müller')).toBe('Jose Muller');
    expect(toAsciiName('Dvořák Nguyễn Hải Zoë Saldaña')).toBe('Dvorak Nguyen Hai Zoe Saldana');
  });

  it('treats a decomposed accent (e + combining acute) like a composed one', () => {
    expect(toAsciiName('Jose\u0301')).toBe('Jose');
  });

  it('spells out letters that have no accent to strip', () => {
    expect(toAsciiName('ß æ Æ ø ł đ þ ð œ ı')).toBe('ss ae AE o l d th d oe i');
    expect(toAsciiName('Ólafur Þórðarson')).toBe('Olafur Thordarson');
    expect(toAsciiName('Łukasz Øystein Đorđe')).toBe('Lukasz Oystein Dorde');
  });

  it('transliterates Cyrillic and Greek', () => {
    expect(toAsciiName('Щукин')).toBe('Schukin');
    expect(toAsciiName('Сергей')).toBe('Sergey');
    expect(toAsciiName('Αθηνά')).toBe('Athina');
  });

  it('keeps letter pairs the library spells together (Cyrillic "ый", "тс") intact, even next to Latin text', () => {
    for (const name of ['Красный', 'Отсюда', 'Анна-Мария Белый']) {
      expect(toAsciiName(name)).toBe(transliterate(name));
      expect(toAsciiName(`José ${name}`)).toBe(`Jose ${transliterate(name)}`);
    }
  });

  it('drops characters no table can spell, such as Chinese, leaving an empty name for the caller to flag', () => {
    expect(toAsciiName('张伟')).toBe('');
    expect(toAsciiName('Wei 张')).toBe('Wei ');
  });

  it('turns typographic apostrophes and dashes into their ASCII forms', () => {
    expect(toAsciiName('O’Brien')).toBe("O'Brien");
    expect(toAsciiName('Jean‐Luc')).toBe('Jean-Luc');
  });

  it('unfolds ligatures, full-width letters and non-breaking spaces', () => {
    expect(toAsciiName('ﬁona')).toBe('fiona');
    expect(toAsciiName('Ａｎｎａ\u00a0Lee')).toBe('Anna Lee');
  });

  it('returns plain ASCII unchanged and always produces printable ASCII', () => {
    expect(toAsciiName('John Smith')).toBe('John Smith');
    for (const name of ['محمد', 'Jörg\u0000Schmidt', '김민준', 'Ἀθηνᾶ']) {
      expect(toAsciiName(name)).toMatch(/^[\x20-\x7e]*$/);
    }
  });

  it('gives the same answer for repeated names (cached)', () => {
    const first = toAsciiName('Åsa Öberg');
    expect(toAsciiName('Åsa Öberg')).toBe(first);
    expect(first).toBe('Asa Oberg');
  });
});
