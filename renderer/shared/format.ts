/**
 * Formatting for the pages. Times are always shown in the clinic's zone (Europe/Lisbon) with a 24-hour
 * clock, whatever the computer's zone; the server sends ISO-8601 UTC.
 */
import { CLINIC_TZ as CLINIC_ZONE } from '../../server/domain/time.ts';
import type { Lang } from './types.ts';

const timeFormat = new Intl.DateTimeFormat('pt-PT', {
  timeZone: CLINIC_ZONE,
  hour: '2-digit',
  minute: '2-digit',
});

/** '2026-11-21T09:30:00Z' → '09:30' (Lisbon). */
export function formatTime(value: string | number | Date): string {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? '—' : timeFormat.format(d);
}

const dateFormats: Record<Lang, Intl.DateTimeFormat> = {
  pt: new Intl.DateTimeFormat('pt-PT', {
    timeZone: CLINIC_ZONE,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    timeZone: CLINIC_ZONE,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }),
};

/**
 * A clinic day ('2026-11-21') or an instant as a long date: 'sábado, 21 de novembro'.
 * A bare date is read at noon UTC so no zone can move it to another day.
 */
export function formatDate(value: string | Date, lang: Lang): string {
  const d =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? new Date(`${value}T12:00:00Z`)
      : new Date(value);
  return Number.isNaN(d.getTime()) ? '' : dateFormats[lang].format(d);
}

const shortDateFormat = new Intl.DateTimeFormat('pt-PT', {
  timeZone: CLINIC_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** An instant as '21/11/2026' (Lisbon). */
export function formatShortDate(value: string | Date): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : shortDateFormat.format(d);
}
