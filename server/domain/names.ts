/** Name masking for public screens and the kiosk (privacy: never a full name in public). */
import type { NamePolicy } from './settings.ts';

function words(fullName: string): string[] {
  return fullName.trim().split(/\s+/).filter(Boolean);
}

/** 'Ana Sofia Mendes' → 'A. M.' (first and last name initials). */
export function initials(fullName: string): string {
  const w = words(fullName);
  const first = w[0]?.[0] ?? '?';
  const last = w.length > 1 ? w[w.length - 1]![0] : undefined;
  return last ? `${first.toUpperCase()}. ${last.toUpperCase()}.` : `${first.toUpperCase()}.`;
}

/** 'Ana Sofia Mendes' → 'Ana M.' */
export function firstNameInitial(fullName: string): string {
  const w = words(fullName);
  if (w.length === 0) return '?';
  const last = w.length > 1 ? ` ${w[w.length - 1]![0]!.toUpperCase()}.` : '';
  return `${w[0]}${last}`;
}

/** The label a public screen shows for a patient under the clinic's policy. */
export function publicName(fullName: string, ticket: string | null, policy: NamePolicy): string {
  switch (policy) {
    case 'initials':
      return initials(fullName);
    case 'ticket':
      return ticket ?? '—';
    default:
      return firstNameInitial(fullName);
  }
}
