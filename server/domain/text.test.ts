/**
 * Small tests of the shared text rule (text.ts) and the schemas built on it: property tests with
 * fast-check (a name with any forbidden character anywhere is refused; a Portuguese-style name of NFC
 * letters, spaces, apostrophes and hyphens passes unchanged) and the named cases of issue 13.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { personName as accountName } from './accounts.ts';
import { cancelInput, patientInput, patientQuery } from './schemas.ts';
import { practitionerCreateInput } from './setup.ts';
import { FORBIDDEN_TEXT_MESSAGE, freeText, hasForbiddenChar, personNameText, safeText } from './text.ts';

/** Every character the rule refuses in a single-line field (lone surrogates are generated apart). */
const FORBIDDEN_CODES = [
  ...Array.from({ length: 0x20 }, (_, i) => i),
  ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i),
  0x061c,
  0x200b,
  0x200c,
  0x200d,
  0x200e,
  0x200f,
  0x2028,
  0x2029,
  0x202a,
  0x202b,
  0x202c,
  0x202d,
  0x202e,
  0x2060,
  0x2066,
  0x2067,
  0x2068,
  0x2069,
  0xfeff,
  0xfff9,
  0xfffa,
  0xfffb,
];
const forbiddenChar = fc.oneof(
  fc.constantFrom(...FORBIDDEN_CODES).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);

const LETTERS = 'abcdefghijklmnopqrstuvwxyzáàâãçéêíóôõúüñABCDEFGHIJKLMNOPQRSTUVWXYZÁÀÂÃÇÉÊÍÓÔÕÚ';
const letter = fc.constantFrom(...LETTERS);
/** A word of 1–12 letters, joined to the next by a space, an apostrophe or a hyphen. */
const word = fc.array(letter, { minLength: 1, maxLength: 12 }).map((l) => l.join(''));
const portugueseName = fc
  .tuple(word, fc.array(fc.tuple(fc.constantFrom(' ', "'", '-', ' de ', ' da '), word), { maxLength: 6 }))
  .map(([first, rest]) => first + rest.map(([sep, w]) => sep + w).join(''))
  .filter((n) => n.length >= 2 && n.length <= 120);

const name = personNameText();

describe('personNameText', () => {
  it('refuses a name with any forbidden character anywhere, with the rule’s message', () => {
    fc.assert(
      fc.property(portugueseName, forbiddenChar, fc.nat(), (n, bad, at) => {
        const i = at % (n.length + 1);
        const r = name.safeParse(n.slice(0, i) + bad + n.slice(i));
        expect(r.success).toBe(false);
        expect(r.error?.issues.map((x) => x.message)).toEqual([FORBIDDEN_TEXT_MESSAGE]);
      }),
      { numRuns: 200 },
    );
  });

  it('accepts NFC names of letters, spaces, apostrophes and hyphens unchanged', () => {
    fc.assert(
      fc.property(portugueseName, (n) => {
        expect(name.parse(n)).toBe(n);
      }),
      { numRuns: 200 },
    );
    for (const n of [
      "João D'Ávila-Gonçalves",
      'Maria da Conceição',
      'Zoë Ñúñez',
      '李小龍',
      'Ana-Rita O’Neill',
    ])
      expect(name.parse(n)).toBe(n);
  });

  it('composes a decomposed name (NFC) and trims spaces', () => {
    expect(name.parse('  Jose\u0301 Conceic\u0327a\u0303o ')).toBe('José Conceição');
  });

  it('refuses NUL, a right-to-left override, a zero-width joiner, a lone surrogate and a line break', () => {
    for (const bad of ['Ana\u0000', 'Ana \u202Eavlis', 'An\u200Da', 'Ana \ud800', 'Ana\nSilva', '\u2066Ana'])
      expect(name.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    // A correctly paired surrogate (an emoji) is a character like any other.
    expect(name.parse('Ana 🙂')).toBe('Ana 🙂');
  });

  it('bounds the length after trimming', () => {
    expect(name.safeParse(' A ').success).toBe(false);
    expect(name.safeParse('A'.repeat(121)).success).toBe(false);
    expect(name.parse('A'.repeat(120))).toHaveLength(120);
  });
});

describe('freeText and multi-line text', () => {
  it('refuses tab and line breaks on one line, accepts them in a multi-line field, refuses NUL in both', () => {
    expect(freeText(200).safeParse('a\tb').success).toBe(false);
    expect(safeText({ max: 200, multiline: true }).parse('linha 1\r\nlinha 2\tfim')).toBe(
      'linha 1\r\nlinha 2\tfim',
    );
    expect(safeText({ max: 200, multiline: true }).safeParse('a\u0000b').success).toBe(false);
    expect(hasForbiddenChar('a\nb', true)).toBe(false);
    expect(hasForbiddenChar('a\u202Eb', true)).toBe(true);
  });
});

describe('the schemas use the rule', () => {
  it('refuses control and bidi characters in patient, practitioner, account names, reasons and searches', () => {
    expect(patientInput.safeParse({ fullName: 'Ana\u0000Silva' }).success).toBe(false);
    expect(patientInput.safeParse({ fullName: '\u202Eavlis anA' }).success).toBe(false);
    expect(patientInput.parse({ fullName: "João D'Ávila-Gonçalves" }).fullName).toBe(
      "João D'Ávila-Gonçalves",
    );
    expect(
      practitionerCreateInput.safeParse({
        fullName: 'Marta Lopes',
        displayName: 'Dr.ª Marta\u200F',
        specialtyIds: ['x'],
      }).success,
    ).toBe(false);
    expect(accountName.safeParse('Ana\u2067').success).toBe(false);
    expect(cancelInput.safeParse({ reason: 'Pedido\u0000', expectedVersion: 1 }).success).toBe(false);
    expect(patientQuery.safeParse({ q: 'ana\u0000' }).success).toBe(false);
  });
});
