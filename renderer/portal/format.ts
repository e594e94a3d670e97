/**
 * Formatting for the portal, always in the clinic's zone (Europe/Lisbon) whatever the phone's zone, and
 * in the UI language: money from integer cents, days of the booking strip, appointment dates and times.
 */
import { formatEuros } from '../../server/domain/money.ts';
import { SPECIALTY_DEFAULTS } from '../../server/domain/specialties.ts';
import { CLINIC_TZ, clinicDate } from '../../server/domain/time.ts';
import type { Lang, Specialty } from './types.ts';

const LOCALE: Record<Lang, string> = { pt: 'pt-PT', en: 'en-GB' };

/** 4500 → '45,00 €' (pt-PT) or '€45.00' (en). */
export function money(cents: number, lang: Lang): string {
  return formatEuros(cents, lang);
}

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = lang + JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE[lang], { timeZone: CLINIC_TZ, ...options });
    cache.set(key, f);
  }
  return f;
}

/** A calendar day as an instant that no zone moves to another day (noon UTC). */
const dayInstant = (date: string): Date => new Date(`${date}T12:00:00Z`);

/** '09:30' (24-hour clock, Lisbon). */
export function time(iso: string, lang: Lang): string {
  return fmt(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** The first letter in capitals ('terça-feira, …' → 'Terça-feira, …'), for a date that starts a line. */
const cap = (text: string): string => text.charAt(0).toLocaleUpperCase() + text.slice(1);

/**
 * A date from `longDate` placed inside a sentence: Portuguese weekdays and months are lower case there
 * ('Pague até terça-feira, …'); English keeps its capitals.
 */
export function midSentence(text: string, lang: Lang): string {
  return lang === 'pt' ? text.charAt(0).toLocaleLowerCase('pt-PT') + text.slice(1) : text;
}

/** 'Segunda-feira, 12 de maio de 2026' / 'Monday 12 May 2026' for an instant (Lisbon day). */
export function longDate(iso: string, lang: Lang): string {
  return cap(
    fmt(lang, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(iso)),
  );
}

/** 'Segunda-feira, 12 de maio' / 'Monday 12 May' for a calendar day 'YYYY-MM-DD'. */
export function dayLong(date: string, lang: Lang): string {
  return cap(fmt(lang, { weekday: 'long', day: 'numeric', month: 'long' }).format(dayInstant(date)));
}

/**
 * The parts of a day-strip button: a three-letter weekday ('Seg', 'Ter' — pt-PT's short form is the
 * whole 'terça', too wide for a phone's strip of seven) and the day of the month.
 */
export function dayParts(date: string, lang: Lang): { weekday: string; day: string } {
  const d = dayInstant(date);
  return {
    weekday: cap(fmt(lang, { weekday: 'short' }).format(d).replace('.', '').slice(0, 3)),
    day: fmt(lang, { day: 'numeric' }).format(d),
  };
}

/** A week of the strip: '1 – 7 de dezembro' / '1–7 December' (Intl's range format). */
export function dayRange(from: string, to: string, lang: Lang): string {
  return fmt(lang, { day: 'numeric', month: 'long' }).formatRange(dayInstant(from), dayInstant(to));
}

/** 'seg., 12/05, 09:30' style short date and time, for "next free" and lists. */
export function shortDateTime(iso: string, lang: Lang): string {
  const d = new Date(iso);
  const day = fmt(lang, { weekday: 'short', day: 'numeric', month: 'short' }).format(d);
  return `${day}, ${time(iso, lang)}`;
}

/** Today's calendar day in Lisbon ('YYYY-MM-DD'). */
export function today(): string {
  return clinicDate(Date.now());
}

/**
 * A specialty's name in the UI language: the clinic's own name when its list is loaded, else the
 * standard name of the code (server/domain/specialties.ts); an unknown code shows as itself.
 */
export function specialtyName(specialties: readonly Specialty[] | null, code: string, lang: Lang): string {
  const s =
    specialties?.find((x) => x.code === code) ??
    (Object.hasOwn(SPECIALTY_DEFAULTS, code)
      ? SPECIALTY_DEFAULTS[code as keyof typeof SPECIALTY_DEFAULTS]
      : null);
  if (!s) return code;
  return lang === 'en' ? s.nameEn : s.namePt;
}

/** 'm:ss' for a countdown of `ms` milliseconds (never negative). */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
