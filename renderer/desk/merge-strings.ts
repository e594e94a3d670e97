/**
 * PT-PT (formal) and English text of the same-patient merge on the patient card (issue 9;
 * renderer/desk/patient-card.tsx): the "possible same person" suggestions (exact NIF, e-mail or phone,
 * never a name), the confirmation dialog, the portal invitation, and what each error code of
 * `POST /api/patients/:id/merge` and `/portal-invite` means. Kept beside the card (the shared catalogue is
 * edited by many features at once); the language follows i18next's.
 */
import { useTranslation } from 'react-i18next';
import { ApiError } from '../shared/api.ts';
import { errorKey } from '../shared/i18n.ts';

const pt = {
  sameTitle: 'Possível mesma pessoa',
  sameIntro:
    'Fichas com o mesmo NIF, e-mail ou telefone. Confirme com o utente antes de juntar: o histórico passa para uma só ficha.',
  matchedOn: 'Igual em: {fields}',
  nif: 'NIF',
  email: 'e-mail',
  phone: 'telefone',
  portal: 'conta na área do utente',
  created: 'criada em {date}',
  merge: 'Juntar fichas',
  confirmTitle: 'Juntar as duas fichas?',
  confirmBody:
    'Fica a ficha mais antiga ({survivor}). Recebe as marcações, os pagamentos, o consentimento e o registo facial da outra ({other}), e os dados em falta. A outra ficha é esvaziada e deixa de aparecer. Não é possível desfazer.',
  confirmFace:
    'Se as duas fichas tiverem registo facial, fica o mais recente e o outro é apagado definitivamente.',
  confirm: 'Juntar',
  cancel: 'Cancelar',
  merged: 'Fichas juntas. Esta é a ficha que fica.',
  invite: 'Enviar convite para a área do utente',
  inviteHint:
    'O utente recebe uma ligação (válida 14 dias) para associar a sua conta da área do utente a esta ficha.',
  invited: 'Convite enviado ({channels}). Válido até {date}.',
  invitedNone: 'O convite foi criado mas não foi possível enviá-lo. Tente de novo mais tarde.',
  channelEmail: 'e-mail',
  channelSms: 'SMS',
  portalLinked: 'Tem conta na área do utente.',
  errors: {
    both_portal_accounts:
      'As duas fichas têm contas diferentes na área do utente: não é possível juntá-las aqui.',
    patient_merged: 'Esta ficha já foi junta a outra. Feche e abra de novo a ficha.',
    version_conflict: 'A ficha foi alterada entretanto. Veja os dados atualizados e tente de novo.',
    contact_required: 'A ficha precisa de um e-mail ou de um telemóvel para enviar o convite.',
    patient_has_portal_account: 'Este utente já tem conta associada na área do utente.',
    sync_not_paired: 'A clínica não está ligada à central: não é possível enviar o convite.',
    central_unreachable: 'Não foi possível contactar a central. Tente de novo mais tarde.',
  },
};

const en: typeof pt = {
  sameTitle: 'Possibly the same person',
  sameIntro:
    'Records with the same NIF, e-mail or phone. Check with the patient before merging: the history becomes one record.',
  matchedOn: 'Same {fields}',
  nif: 'NIF',
  email: 'e-mail',
  phone: 'phone',
  portal: 'patient-area account',
  created: 'created {date}',
  merge: 'Merge records',
  confirmTitle: 'Merge the two records?',
  confirmBody:
    'The older record ({survivor}) stays. It receives the appointments, payments, consent and face enrolment of the other one ({other}), and any missing details. The other record is emptied and no longer shown. This cannot be undone.',
  confirmFace:
    'If both records have a face enrolment, the newer one is kept and the other is deleted for good.',
  confirm: 'Merge',
  cancel: 'Cancel',
  merged: 'Records merged. This is the record that stays.',
  invite: 'Send an invitation to the patient area',
  inviteHint: 'The patient gets a link (valid 14 days) to link their patient-area account to this record.',
  invited: 'Invitation sent ({channels}). Valid until {date}.',
  invitedNone: 'The invitation was created but could not be sent. Please try again later.',
  channelEmail: 'e-mail',
  channelSms: 'SMS',
  portalLinked: 'Has a patient-area account.',
  errors: {
    both_portal_accounts: 'Both records have different patient-area accounts: they cannot be merged here.',
    patient_merged: 'This record was already merged into another. Close and reopen the card.',
    version_conflict: 'The record changed meanwhile. Check the updated details and try again.',
    contact_required: 'The record needs an e-mail or a mobile number to send the invitation.',
    patient_has_portal_account: 'This patient already has a linked patient-area account.',
    sync_not_paired: 'The clinic is not connected to the central service: the invitation cannot be sent.',
    central_unreachable: 'The central service could not be reached. Please try again later.',
  },
};

/** A top-level text key (not the `errors` group). */
export type MergeTextKey = Exclude<keyof typeof pt, 'errors'>;

/** What `useMergeText` gives. */
export interface MergeText {
  /** A text with `{name}` placeholders filled. */
  mx: (key: MergeTextKey, vars?: Record<string, string | number>) => string;
  /** A failure in words: the merge codes here, others from the shared catalogue. */
  errorText: (err: unknown) => string;
  lang: 'pt' | 'en';
}

const fill = (text: string, vars: Record<string, string | number> = {}) =>
  text.replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? `{${v}}`));

/** The merge text in the page's current language. */
export function useMergeText(): MergeText {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'pt';
  const strings = lang === 'en' ? en : pt;
  return {
    mx: (key, vars) => fill(strings[key], vars),
    errorText: (err) => {
      const code = err instanceof ApiError ? err.code : typeof err === 'string' ? err : '';
      return Object.prototype.hasOwnProperty.call(strings.errors, code)
        ? strings.errors[code as keyof typeof strings.errors]
        : t(errorKey(err));
    },
    lang,
  };
}
