/**
 * Face-enrolment consent (GDPR Art. 9 explicit opt-in): the text the desk shows before enrolling, its
 * version, and the channels consent can be given or withdrawn through. The desk's i18n strings
 * (renderer/shared/i18n.ts, `desk.enrol`) are taken from here, so the version recorded with every
 * enrolment and consent event (face_enrolments.consent_version, face_consent_events.version) names the
 * exact wording the patient agreed to. Change the text → bump the version (YYYY-MM, optionally `-n`).
 */
import { z } from 'zod';

/** Version of the consent text below; stored with every enrolment and consent event. */
export const FACE_CONSENT_VERSION = '2026-11';

/** Version recorded by migration 0030 for enrolments made before versions were recorded. */
export const FACE_CONSENT_VERSION_UNRECORDED = 'unrecorded';

/** The parts of the consent text: what is stored, what for, and the statement staff tick. */
export interface FaceConsentText {
  explainWhat: string;
  explainWhy: string;
  consent: string;
}

/** The consent text of {@link FACE_CONSENT_VERSION}, in the two languages the desk shows (PT-PT, EN). */
export const FACE_CONSENT_TEXT: Readonly<Record<'pt' | 'en', FaceConsentText>> = {
  pt: {
    explainWhat:
      'Guardamos apenas um modelo numérico do rosto (uma lista de números), cifrado neste computador. As fotografias não são guardadas.',
    explainWhy: 'Serve só para o check-in no quiosque. O utente pode pedir para o apagar a qualquer momento.',
    consent: 'O utente deu o seu consentimento explícito para o registo facial.',
  },
  en: {
    explainWhat:
      'We store only a numeric template of the face (a list of numbers), encrypted on this computer. The photos are not kept.',
    explainWhy:
      'It is used only for check-in at the kiosk. The patient can ask for it to be deleted at any time.',
    consent: 'The patient has given explicit consent to face enrolment.',
  },
};

/** Where consent was given or withdrawn: at the desk by staff, at the kiosk by the patient, or by the demo seed. */
export const FACE_CONSENT_CHANNELS = ['desk', 'kiosk', 'seed'] as const;
/** One of {@link FACE_CONSENT_CHANNELS}. */
export type FaceConsentChannel = (typeof FACE_CONSENT_CHANNELS)[number];
/** Zod schema of a {@link FaceConsentChannel}. */
export const faceConsentChannel = z.enum(FACE_CONSENT_CHANNELS);

/** A consent event kept after withdrawal (face_consent_events): given (enrol, re-enrol) or withdrawn (delete). */
export const FACE_CONSENT_EVENTS = ['given', 'withdrawn'] as const;
/** One of {@link FACE_CONSENT_EVENTS}. */
export type FaceConsentEventKind = (typeof FACE_CONSENT_EVENTS)[number];
