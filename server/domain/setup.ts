/**
 * Contracts of the first-run setup (issue 10, part 1): what an admin sends to configure the clinic
 * (its identity, rooms, practitioners and their photo, specialties with duration and price, the weekly
 * opening hours) and the rules shared by the local server's setup routes and the desk's wizard, which
 * validates its forms with these same schemas. Pure zod + TypeScript.
 *
 * Units: durations in whole minutes, prices in integer EUR cents, wall-clock times in minutes after local
 * midnight (Europe/Lisbon), weekdays ISO (1 = Monday … 7 = Sunday), photo sizes in bytes / pixels.
 */
import { z } from 'zod';
import { idSchema } from './ids.ts';
import { cents } from './money.ts';
import { nif } from './nif.ts';
import { durationMin, specialtyCode } from './specialties.ts';
import { freeText, personNameText } from './text.ts';

/** Largest practitioner photo the server stores, bytes (the desk resizes to ≤ 256 px first). */
export const PHOTO_MAX_BYTES = 512 * 1024;
/** Longest side of a practitioner photo after the desk resizes it, pixels. */
export const PHOTO_MAX_PX = 256;
/** Image types a practitioner photo may be sent as. */
export const PHOTO_TYPES = ['image/jpeg', 'image/webp'] as const;
/** A practitioner photo's media type. */
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** Highest price a specialty may have, cents (€ 1 000,00): a typo guard, not a business rule. */
export const MAX_PRICE_CENTS = 100_000;

/** Separators a phone number may be typed with: whitespace, dots, dashes. */
const PHONE_SEPARATORS = /[\s.-]/g;
/** A Portuguese landline (2…) or mobile (9…): 9 digits, optional +351 / 00351 prefix. */
const PT_PHONE = /^(?:\+351|00351)?([29]\d{8})$/;

/**
 * A clinic phone as its 9 national digits: '+351 212 345 678' → '212345678', or null when it is not a
 * Portuguese landline or mobile number.
 */
export function normaliseClinicPhone(input: string): string | null {
  return PT_PHONE.exec(input.replace(PHONE_SEPARATORS, ''))?.[1] ?? null;
}

/** `PUT /api/setup/clinic`: the clinic's name, NIF (check digit verified), postal address and phone. */
export const clinicInput = z.object({
  name: freeText(80, 2),
  /** 9 digits with a valid check digit; 'PT', spaces and dots are stripped. */
  nif,
  address: freeText(200, 5),
  /** A Portuguese landline or mobile; stored as 9 digits. */
  phone: z
    .string()
    .refine((v) => normaliseClinicPhone(v) !== null, {
      message: 'invalid Portuguese phone number (9 digits starting 2 or 9, optional +351)',
    })
    .transform((v) => normaliseClinicPhone(v)!),
});
/** The clinic's identity as sent. */
export type ClinicInput = z.infer<typeof clinicInput>;

/** A room's name: 1–40 characters, trimmed, no control/bidi/invisible characters (text.ts). */
const roomName = freeText(40);

/** `POST /api/rooms`. */
export const roomCreateInput = z.object({ name: roomName }).strict();
/** `PATCH /api/rooms/:id`: rename and/or (de)activate; at least one field. */
export const roomPatchInput = z
  .object({ name: roomName.optional(), active: z.boolean().optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

/** `POST /api/practitioners`: names, the room they usually work in and the specialties they practise. */
export const practitionerCreateInput = z
  .object({
    /** Full name, for staff ('Marta Lopes'). */
    fullName: personNameText(2, 120),
    /** What patients see ('Dr.ª Marta Lopes'). */
    displayName: personNameText(2, 60),
    defaultRoomId: idSchema<'room'>().nullable().default(null),
    /** At least one; each must be an active specialty. */
    specialtyIds: z.array(idSchema<'specialty'>()).min(1).max(20),
  })
  .strict();
/** `PATCH /api/practitioners/:id`: any of the fields above, and/or `active`; at least one field. */
export const practitionerPatchInput = z
  .object({
    fullName: practitionerCreateInput.shape.fullName.optional(),
    displayName: practitionerCreateInput.shape.displayName.optional(),
    defaultRoomId: idSchema<'room'>().nullable().optional(),
    specialtyIds: practitionerCreateInput.shape.specialtyIds.optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

/** A specialty's price: integer cents, 0 … `MAX_PRICE_CENTS`. */
const price = cents.max(MAX_PRICE_CENTS);
/** A specialty's localised name. */
const specialtyName = freeText(80, 2);

/**
 * `POST /api/specialties`: one of the stable specialty codes (server/domain/specialties.ts), its session
 * length (minutes, 5–240) and price (cents); names default to the code's standard PT/EN names.
 */
export const specialtyCreateInput = z
  .object({
    code: specialtyCode,
    namePt: specialtyName.optional(),
    nameEn: specialtyName.optional(),
    durationMin,
    priceCents: price,
  })
  .strict();
/** `PATCH /api/specialties/:id`: names, duration, price and/or `active`; at least one field. */
export const specialtyPatchInput = z
  .object({
    namePt: specialtyName.optional(),
    nameEn: specialtyName.optional(),
    durationMin: durationMin.optional(),
    priceCents: price.optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

/** Minutes after local midnight, on a 5-minute grid, 0 … 1440 (1440 = midnight at the end of the day). */
const wallMinute = z.number().int().min(0).max(1440).multipleOf(5);

/** One opening block: ISO weekday and the wall-clock minutes it opens and closes, `opensMin < closesMin`. */
export const openingBlock = z
  .object({ weekday: z.number().int().min(1).max(7), opensMin: wallMinute, closesMin: wallMinute })
  .strict()
  .refine((b) => b.opensMin < b.closesMin, { message: 'opens before it closes', path: ['closesMin'] });
/** An opening block. */
export type OpeningBlock = z.infer<typeof openingBlock>;

/**
 * The week's opening hours: at most 3 blocks a day (e.g. morning and afternoon), blocks of one day never
 * overlapping (back-to-back is fine); stored sorted by weekday and time. An empty week is a closed clinic.
 */
export const openingHours = z
  .array(openingBlock)
  .max(21)
  .superRefine((blocks, ctx) => {
    for (let i = 0; i < blocks.length; i++)
      for (let j = i + 1; j < blocks.length; j++) {
        const a = blocks[i]!;
        const b = blocks[j]!;
        if (a.weekday === b.weekday && a.opensMin < b.closesMin && b.opensMin < a.closesMin)
          ctx.addIssue({ code: 'custom', message: 'blocks of one day overlap', path: [j] });
      }
    for (let d = 1; d <= 7; d++)
      if (blocks.filter((b) => b.weekday === d).length > 3)
        ctx.addIssue({ code: 'custom', message: `more than 3 blocks on weekday ${d}` });
  })
  .transform((blocks) => [...blocks].sort((a, b) => a.weekday - b.weekday || a.opensMin - b.opensMin));

/** `PUT /api/opening-hours`: the whole week, replacing what was stored. */
export const openingHoursInput = z.object({ blocks: openingHours }).strict();

/** '09:30' → 570; null when not `HH:MM` within 00:00 … 24:00. */
export function parseWallTime(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && minutes <= 1440 ? minutes : null;
}

/** 570 → '09:30' (1440 → '24:00'). */
export function formatWallTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The steps of the setup, in the wizard's order. */
export const SETUP_STEPS = [
  'clinic',
  'rooms',
  'practitioners',
  'specialties',
  'openingHours',
  'publicScreens',
] as const;
/** A setup step. */
export type SetupStep = (typeof SETUP_STEPS)[number];

/** What each step needs to count as done (counts of active rows, whether keys were stored). */
export interface SetupFacts {
  clinicSaved: boolean;
  activeRooms: number;
  activePractitioners: number;
  activeSpecialties: number;
  openingBlocks: number;
  namePolicySaved: boolean;
}

/**
 * Which steps are done: the clinic's identity saved, at least one active room, practitioner and
 * specialty, at least one opening block, and the public-screen name policy chosen explicitly.
 */
export function setupSteps(f: SetupFacts): Record<SetupStep, boolean> {
  return {
    clinic: f.clinicSaved,
    rooms: f.activeRooms > 0,
    practitioners: f.activePractitioners > 0,
    specialties: f.activeSpecialties > 0,
    openingHours: f.openingBlocks > 0,
    publicScreens: f.namePolicySaved,
  };
}

/**
 * The media type of a photo by its first bytes (never trusting the header alone): JPEG starts
 * FF D8 FF, WebP is 'RIFF' ‥‥ 'WEBP'. Null for anything else.
 */
export function sniffPhotoType(bytes: Uint8Array): PhotoType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/**
 * A photo's pixel size read from its header, without decoding it: a JPEG's first start-of-frame segment
 * (SOF0–SOF15 but DHT/JPG/DAC), a WebP's VP8 (lossy), VP8L (lossless) or VP8X (extended) header. Null
 * when the header cannot be read.
 */
export function photoSize(bytes: Uint8Array): { width: number; height: number } | null {
  const type = sniffPhotoType(bytes);
  const u16 = (i: number) => (bytes[i]! << 8) | bytes[i + 1]!;
  const le16 = (i: number) => bytes[i]! | (bytes[i + 1]! << 8);
  const le24 = (i: number) => bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16);
  if (type === 'image/jpeg') {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) return null;
      const marker = bytes[i + 1]!;
      if (marker === 0xff) {
        i += 1; // fill byte
        continue;
      }
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
        return { height: u16(i + 5), width: u16(i + 7) };
      if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan before any frame
      i += 2 + u16(i + 2);
    }
    return null;
  }
  if (type === 'image/webp' && bytes.length >= 30) {
    const chunk = String.fromCharCode(...bytes.subarray(12, 16));
    if (chunk === 'VP8 ') return { width: le16(26) & 0x3fff, height: le16(28) & 0x3fff };
    if (chunk === 'VP8L') {
      const b = (bytes[21]! | (bytes[22]! << 8) | (bytes[23]! << 16) | (bytes[24]! << 24)) >>> 0;
      return { width: (b & 0x3fff) + 1, height: ((b >>> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8X') return { width: le24(24) + 1, height: le24(27) + 1 };
  }
  return null;
}
