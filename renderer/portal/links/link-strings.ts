/**
 * PT-PT (formal) and English text of the portal's link page (`/link/<token>`, link-page.tsx): a clinic
 * invites the patient to link their portal account to the clinic's record of them (issue 9, same-patient
 * merge), and what each error code of the link routes means. Kept beside the page (the shared catalogue
 * is edited by many features at once); the language follows the portal's.
 */
import { ApiError } from '../../shared/api.ts';
import type { Lang } from '../types.ts';

const pt = {
  title: 'Associar a sua conta à ficha da clínica',
  intro:
    'A {clinic} convidou-o a associar a sua conta da área do utente à ficha que tem na clínica. As suas consultas e o seu histórico ficam juntos.',
  validUntil: 'Este convite é válido até {date} e só pode ser usado uma vez.',
  loginFirst: 'Para continuar, entre na sua conta ou crie uma.',
  signupHint:
    'Se criar uma conta agora, confirme o seu e-mail e volte a abrir esta ligação a partir do convite.',
  login: 'Entrar',
  signup: 'Criar conta',
  confirm: 'Associar a minha conta à ficha da {clinic}',
  confirmHint:
    'Só confirme se esta ficha é sua. A clínica passa a ver as marcações que fizer aqui como sendo suas.',
  done: 'Conta associada. A {clinic} passa a ter uma só ficha sua.',
  toAppointments: 'Ver as minhas consultas',
  loading: 'A carregar o convite…',
  errors: {
    link_token_invalid: 'Este convite não existe. Verifique se copiou a ligação completa.',
    link_token_used: 'Este convite já foi usado. Se precisar, peça um novo na receção da clínica.',
    link_token_expired: 'Este convite expirou. Peça um novo na receção da clínica.',
    link_conflict:
      'A sua conta já está associada a outra ficha desta clínica, ou esta ficha já tem outra conta. Fale com a receção.',
    unauthorized: 'A sua sessão terminou. Entre de novo para continuar.',
    network: 'Sem ligação ao servidor. Tente de novo dentro de momentos.',
    generic: 'Não foi possível concluir. Tente de novo mais tarde.',
  },
};

const en: typeof pt = {
  title: "Link your account to the clinic's record",
  intro:
    '{clinic} invites you to link your patient-area account to your record at the clinic, so your appointments and history are together.',
  validUntil: 'This invitation is valid until {date} and works once.',
  loginFirst: 'To continue, log in or create an account.',
  signupHint:
    'If you create an account now, confirm your e-mail and then open this link again from the invitation.',
  login: 'Log in',
  signup: 'Create an account',
  confirm: 'Link my account to my record at {clinic}',
  confirmHint:
    'Only confirm if this record is yours. The clinic will treat the appointments you book here as yours.',
  done: 'Account linked. {clinic} now has a single record of you.',
  toAppointments: 'See my appointments',
  loading: 'Loading the invitation…',
  errors: {
    link_token_invalid: 'This invitation does not exist. Check that you copied the whole link.',
    link_token_used: 'This invitation was already used. Ask the clinic desk for a new one if needed.',
    link_token_expired: 'This invitation has expired. Ask the clinic desk for a new one.',
    link_conflict:
      'Your account is already linked to another record at this clinic, or this record has another account. Please talk to the desk.',
    unauthorized: 'Your session ended. Log in again to continue.',
    network: 'No connection to the server. Please try again in a moment.',
    generic: 'That did not work. Please try again later.',
  },
};

/** A top-level text key (not the `errors` group). */
export type LinkTextKey = Exclude<keyof typeof pt, 'errors'>;

/** The text of `key` in `lang`, with `{name}` placeholders filled. */
export function linkText(lang: Lang, key: LinkTextKey, vars: Record<string, string> = {}): string {
  const text = (lang === 'en' ? en : pt)[key];
  return text.replace(/\{(\w+)\}/g, (_, v: string) => vars[v] ?? `{${v}}`);
}

/** A failure of the link routes in words (`generic` for a code without its own text). */
export function linkErrorText(lang: Lang, err: unknown): string {
  const errors = (lang === 'en' ? en : pt).errors;
  const code = err instanceof ApiError ? err.code : typeof err === 'string' ? err : 'generic';
  return Object.hasOwn(errors, code) ? errors[code as keyof typeof errors] : errors.generic;
}
