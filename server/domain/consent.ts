/**
 * Face-enrolment consent (GDPR Art. 9 explicit opt-in): the text the desk shows before enrolling, its
 * version, and the channels consent can be given or withdrawn through. The desk's i18n strings
 * (renderer/shared/i18n.ts, `desk.enrol`) are taken from here, so the version recorded with every
 * enrolment and consent event (face_enrolments.consent_version, face_consent_events.version) names the
 * exact wording the patient agreed to. Change the text → bump the version (YYYY-MM, optionally `-n`).
 */
import { z } from 'zod';

/** Version of the consent text below; stored with every enrolment and consent event. */
export const FACE_CONSENT_VERSION = '2026-12';

/** Version recorded by migration 0030 for enrolments made before versions were recorded. */
export const FACE_CONSENT_VERSION_UNRECORDED = 'unrecorded';

/**
 * The parts of the consent text, shown in full before enrolling: what is stored, what for, how long, how
 * to withdraw, the legal basis (GDPR / RGPD Art. 9(2)(a), explicit consent to processing biometric data
 * to identify a person), and the statement staff tick once the patient has agreed.
 */
export interface FaceConsentText {
  explainWhat: string;
  explainWhy: string;
  retention: string;
  withdraw: string;
  legalBasis: string;
  consent: string;
}

/**
 * The consent text of {@link FACE_CONSENT_VERSION}, in the two languages the desk shows (PT-PT in the
 * formal register, "o utente"; English). 2026-12 adds retention, withdrawal and the legal basis to the
 * 2026-11 text (what and why), so the patient agrees to the whole of it.
 */
export const FACE_CONSENT_TEXT: Readonly<Record<'pt' | 'en', FaceConsentText>> = {
  pt: {
    explainWhat:
      'O que guardamos: apenas um descritor numérico do rosto (uma lista de números calculada a partir das fotografias), cifrado neste computador da clínica. As fotografias não são guardadas e o descritor nunca sai da clínica.',
    explainWhy:
      'Para que serve: exclusivamente para o check-in no quiosque da clínica, reconhecendo o utente quando chega para uma consulta marcada. Não é usado para nenhum outro fim.',
    retention:
      'Durante quanto tempo: até o utente retirar o consentimento. Nesse momento o descritor é apagado de imediato.',
    withdraw:
      'Como retirar o consentimento: a qualquer momento, sem qualquer justificação nem consequência para o atendimento, na receção ou no próprio quiosque. O utente pode sempre fazer o check-in com o código da marcação ou na receção.',
    legalBasis:
      'Fundamento jurídico: consentimento explícito do utente para o tratamento de dados biométricos, nos termos do artigo 9.º, n.º 2, alínea a), do Regulamento Geral sobre a Proteção de Dados (RGPD).',
    consent:
      'O utente leu (ou foi-lhe lido) este texto e deu o seu consentimento explícito para o registo facial.',
  },
  en: {
    explainWhat:
      'What we store: only a numerical descriptor of the face (a list of numbers computed from the photos), encrypted on this clinic computer. The photos are not kept and the descriptor never leaves the clinic.',
    explainWhy:
      'What it is for: only for check-in at the clinic kiosk, recognising the patient when they arrive for a booked appointment. It is used for nothing else.',
    retention: 'How long: until the patient withdraws consent. The descriptor is then deleted at once.',
    withdraw:
      'How to withdraw: at any time, without giving a reason and with no effect on their care, at the reception desk or at the kiosk itself. The patient can always check in with the booking code or at reception.',
    legalBasis:
      'Legal basis: the patient’s explicit consent to the processing of biometric data, under Article 9(2)(a) of the General Data Protection Regulation (GDPR).',
    consent:
      'The patient has read (or been read) this text and has given explicit consent to face enrolment.',
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
