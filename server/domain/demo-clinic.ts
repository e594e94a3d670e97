/**
 * The demo clinic's catalogue, one definition for both servers: the clinic's local server seeds its rooms
 * and practitioners from it, the central API seeds the same clinic (same ids) with opening hours,
 * weekly schedules, bios and languages, so a newcomer's `npm start` has one clinic known to both sides.
 * Ids are fixed UUIDs so that the two sides (and sync, later) agree on them.
 */
import type { SpecialtyCode } from './specialties.ts';

/** ISO weekday (1 = Monday) wall-clock block, minutes after local midnight. */
interface Block {
  weekday: number;
  startMin: number;
  endMin: number;
}

const H = 60;
const weekdays = (...ranges: [number, number][]): Block[] =>
  [1, 2, 3, 4, 5].flatMap((weekday) => ranges.map(([s, e]) => ({ weekday, startMin: s, endMin: e })));

/** The clinic. */
export const DEMO_CLINIC = {
  id: '0d3b0c1a-1c5e-4d6f-9a51-000000000001',
  slug: 'fisio-demo',
  name: 'Clínica Fisio Demo',
  address: 'Rua da Prata 120, 1100-420 Lisboa',
  phone: '+351 213 000 000',
  email: 'geral@fisio-demo.pt',
  nif: '501964843',
} as const;

/** Opening hours: Monday–Friday 08:30–20:00, Saturday 09:00–13:00 (Europe/Lisbon). */
export const DEMO_OPENING_HOURS: Block[] = [
  ...weekdays([8 * H + 30, 20 * H]),
  { weekday: 6, startMin: 9 * H, endMin: 13 * H },
];

/** Rooms, one per practitioner. */
export const DEMO_ROOMS = [
  { id: '0d3b0c1a-1c5e-4d6f-9a51-0000000000a1', name: 'Sala 1' },
  { id: '0d3b0c1a-1c5e-4d6f-9a51-0000000000a2', name: 'Sala 2' },
  { id: '0d3b0c1a-1c5e-4d6f-9a51-0000000000a3', name: 'Sala 3' },
  { id: '0d3b0c1a-1c5e-4d6f-9a51-0000000000a4', name: 'Sala 4' },
] as const;

/** One demo practitioner. */
export interface DemoPractitioner {
  id: string;
  fullName: string;
  displayName: string;
  room: string;
  roomId: string;
  codes: SpecialtyCode[];
  languages: string[];
  bioPt: string;
  bioEn: string;
  /** Weekly schedule (Monday–Friday 09:00–13:00 and 14:00–19:00, some on Saturday morning). */
  schedule: Block[];
}

/** The four practitioners of the demo clinic. */
export const DEMO_PRACTITIONERS: DemoPractitioner[] = [
  {
    id: '0d3b0c1a-1c5e-4d6f-9a51-0000000000b1',
    fullName: 'Marta Lopes',
    displayName: 'Dr.ª Marta Lopes',
    room: 'Sala 1',
    roomId: DEMO_ROOMS[0].id,
    codes: ['evaluation', 'msk_physio'],
    languages: ['pt', 'en'],
    bioPt: 'Fisioterapeuta há 12 anos, dedica-se à reabilitação músculo-esquelética e a lesões desportivas.',
    bioEn: 'A physiotherapist for 12 years, focused on musculoskeletal rehabilitation and sports injuries.',
    schedule: [
      ...weekdays([9 * H, 13 * H], [14 * H, 19 * H]),
      { weekday: 6, startMin: 9 * H, endMin: 13 * H },
    ],
  },
  {
    id: '0d3b0c1a-1c5e-4d6f-9a51-0000000000b2',
    fullName: 'João Ferreira',
    displayName: 'Dr. João Ferreira',
    room: 'Sala 2',
    roomId: DEMO_ROOMS[1].id,
    codes: ['msk_physio', 'shock_waves'],
    languages: ['pt', 'es'],
    bioPt: 'Especialista em tendinopatias e terapia por ondas de choque.',
    bioEn: 'Specialises in tendinopathies and shock-wave therapy.',
    schedule: weekdays([9 * H, 13 * H], [14 * H, 19 * H]),
  },
  {
    id: '0d3b0c1a-1c5e-4d6f-9a51-0000000000b3',
    fullName: 'Inês Carvalho',
    displayName: 'Dr.ª Inês Carvalho',
    room: 'Sala 3',
    roomId: DEMO_ROOMS[2].id,
    codes: ['massage', 'therapeutic_massage'],
    languages: ['pt', 'en', 'fr'],
    bioPt: 'Massagista terapêutica, com formação em drenagem linfática e libertação miofascial.',
    bioEn: 'Therapeutic massage therapist, trained in lymphatic drainage and myofascial release.',
    schedule: weekdays([9 * H, 13 * H], [14 * H, 19 * H]),
  },
  {
    id: '0d3b0c1a-1c5e-4d6f-9a51-0000000000b4',
    fullName: 'Rui Almeida',
    displayName: 'Dr. Rui Almeida',
    room: 'Sala 4',
    roomId: DEMO_ROOMS[3].id,
    codes: ['evaluation', 'therapeutic_massage', 'massage'],
    languages: ['pt'],
    bioPt: 'Fisioterapeuta generalista; primeira avaliação e planos de tratamento.',
    bioEn: 'General physiotherapist; first assessments and treatment plans.',
    schedule: [
      ...weekdays([9 * H, 13 * H], [14 * H, 19 * H]),
      { weekday: 6, startMin: 9 * H, endMin: 13 * H },
    ],
  },
];

/** The demo patient's portal login (printed by `npm start`; verified, with no appointments at first). */
export const DEMO_PATIENT = {
  name: 'Ana Demo',
  email: 'ana.demo@example.com',
  password: 'demo-password-2026',
  phone: '912345678',
} as const;
