/**
 * PT-PT (formal) and English text of the desk's sync section (Configuração → Sincronização,
 * renderer/desk/sync-section.tsx): the state's labels, the pairing form, the rotation, what each error code
 * of `POST /api/sync/pair` / `POST /api/sync/rotate` and each `lastError.code` of `GET /api/sync/status`
 * means, and the conflict reasons central gives (server/central/features/sync/push.ts). Kept beside the
 * section (the shared catalogue is edited by many features at once); the language follows i18next's.
 */
import { useTranslation } from 'react-i18next';
import { ApiError } from '../shared/api.ts';
import { errorKey } from '../shared/i18n.ts';

const pt = {
  section: 'Sincronização',
  intro:
    'A ligação desta clínica à central: as marcações feitas no portal chegam à receção e o estado das visitas chega ao portal dos utentes.',
  paired: 'Emparelhamento',
  pairedYes: 'Emparelhada',
  pairedNo: 'Não emparelhada',
  connection: 'Ligação',
  online: 'Ligada à central',
  offline: 'Sem ligação à central',
  stoppedShort: 'Parada',
  waiting: 'A aguardar a primeira sincronização',
  centralUrl: 'Endereço da central',
  clinicId: 'Identificador da clínica',
  lastSync: 'Última sincronização',
  never: 'Nunca',
  justNow: 'agora mesmo',
  minutesAgo: 'há {n} min',
  hoursAgo: 'há {n} h',
  daysAgo: 'há {n} dias',
  pending: 'Alterações pendentes',
  pendingNone: 'Nenhuma',
  pendingCount: '{n} (a mais antiga de {when})',
  rejected: 'Recusadas no último envio',
  rejectedHint: '{n} (guardadas e enviadas de novo)',
  failures: 'Tentativas falhadas seguidas',
  lastError: 'Último erro',
  lastErrorAt: '{when}',
  none: '—',
  stoppedTitle: 'A sincronização parou',
  stopped: {
    sync_credential_invalid:
      'A central recusou a credencial desta clínica (foi revogada ou a clínica foi emparelhada noutro computador). Emparelhe de novo com um código novo da central.',
    sync_protocol_mismatch:
      'A central usa outra versão do protocolo de sincronização. É preciso atualizar a aplicação da clínica; tentar de novo não resolve.',
  },
  conflictsTitle: 'Conflitos recentes',
  conflictsIntro: 'Alterações da clínica em que a central manteve a sua versão (as mais recentes primeiro).',
  conflictEntity: 'Registo',
  conflictId: 'Identificador',
  conflictReason: 'Motivo',
  conflictAt: 'Quando',
  entities: {
    appointment: 'Marcação',
    patient: 'Utente',
    payment: 'Pagamento',
    room: 'Sala',
    practitioner: 'Profissional',
    specialty: 'Especialidade',
    practitioner_specialty: 'Especialidade do profissional',
    settings: 'Configuração',
  },
  reasons: {
    slot_taken: 'Horário já ocupado por uma marcação online',
    central_owns_booking: 'Marcação feita online: a hora, o profissional e o estado são os da central',
    paid_online: 'Marcação já paga online',
    erased: 'Os dados do utente foram apagados a pedido dele',
    belongs_to_another_clinic: 'O registo pertence a outra clínica',
  },
  pairTitle: 'Emparelhar com a central',
  repairTitle: 'Emparelhar de novo',
  pairIntro:
    'Peça a um administrador da central um código de emparelhamento (10 caracteres, válido 15 minutos, usa-se uma vez) e escreva-o aqui.',
  urlLabel: 'Endereço da central',
  urlHint: 'Começa por https:// (ou http:// numa rede local)',
  codeLabel: 'Código de emparelhamento',
  codeHint: '10 letras e algarismos; os traços e espaços não contam',
  pair: 'Emparelhar',
  pairing: 'A emparelhar…',
  pairedOk: 'Clínica emparelhada com a central ({id}).',
  showRepair: 'Emparelhar de novo',
  repairIntro: 'Com um código novo da central; substitui o emparelhamento atual e a sua credencial.',
  hideRepair: 'Fechar',
  rotateTitle: 'Credencial',
  rotateIntro:
    'A clínica identifica-se na central com uma credencial guardada neste computador. Renove-a se suspeitar que foi copiada.',
  rotate: 'Renovar credencial',
  rotateConfirm:
    'A credencial atual deixa de funcionar de imediato e a nova é guardada neste computador. Se a ligação falhar a meio, terá de emparelhar de novo. Continuar?',
  rotateYes: 'Sim, renovar',
  rotating: 'A renovar…',
  rotatedOk: 'Credencial renovada.',
  cancel: 'Cancelar',
  loadFailed: 'Não foi possível ler o estado da sincronização.',
  fieldErrors: {
    url: 'Escreva um endereço começado por http:// ou https://.',
    code: 'O código tem 10 caracteres: letras (sem I, L, O, U) e algarismos.',
  },
  errors: {
    pairing_code_invalid:
      'Código de emparelhamento inválido, já usado ou expirado. Peça um código novo na central.',
    central_unreachable:
      'Não foi possível contactar a central nesse endereço. Verifique o endereço e a ligação à Internet.',
    sync_protocol_mismatch:
      'A central usa outra versão do protocolo de sincronização. É preciso atualizar a aplicação da clínica.',
    sync_not_paired: 'A central recusou a credencial desta clínica. Emparelhe de novo com um código novo.',
    validation_failed: 'Verifique o endereço da central e o código.',
    forbidden: 'Só um administrador pode alterar a sincronização.',
  },
  lastErrors: {
    network: 'A central não respondeu (sem rede, ou a central está desligada).',
    bad_answer: 'A central deu uma resposta que esta versão não entende.',
    sync_credential_invalid: 'A central recusou a credencial desta clínica.',
    sync_protocol_mismatch: 'A central usa outra versão do protocolo de sincronização.',
    sync_not_paired: 'A clínica não está emparelhada.',
    rate_limited: 'A central pediu para esperar (demasiados pedidos).',
    payload_too_large: 'Um envio era demasiado grande para a central.',
    internal: 'Erro interno ao sincronizar.',
    other: 'A central respondeu com um erro ({code}).',
  },
};

/** The catalogue's shape (English must have every key). */
type Strings = typeof pt;

const en: Strings = {
  section: 'Sync',
  intro:
    'This clinic’s link to the central service: bookings made in the portal reach the desk, and the visit’s state reaches the patients’ portal.',
  paired: 'Pairing',
  pairedYes: 'Paired',
  pairedNo: 'Not paired',
  connection: 'Connection',
  online: 'Connected to central',
  offline: 'No connection to central',
  stoppedShort: 'Stopped',
  waiting: 'Waiting for the first sync',
  centralUrl: 'Central address',
  clinicId: 'Clinic id',
  lastSync: 'Last sync',
  never: 'Never',
  justNow: 'just now',
  minutesAgo: '{n} min ago',
  hoursAgo: '{n} h ago',
  daysAgo: '{n} days ago',
  pending: 'Pending changes',
  pendingNone: 'None',
  pendingCount: '{n} (oldest from {when})',
  rejected: 'Refused in the last push',
  rejectedHint: '{n} (kept and sent again)',
  failures: 'Failed attempts in a row',
  lastError: 'Last error',
  lastErrorAt: '{when}',
  none: '—',
  stoppedTitle: 'Sync has stopped',
  stopped: {
    sync_credential_invalid:
      'Central refused this clinic’s credential (it was revoked, or the clinic was paired on another computer). Pair again with a new code from central.',
    sync_protocol_mismatch:
      'Central speaks another version of the sync protocol. The clinic’s app needs an update; retrying will not help.',
  },
  conflictsTitle: 'Recent conflicts',
  conflictsIntro: 'Clinic changes where central kept its own version (newest first).',
  conflictEntity: 'Record',
  conflictId: 'Id',
  conflictReason: 'Reason',
  conflictAt: 'When',
  entities: {
    appointment: 'Appointment',
    patient: 'Patient',
    payment: 'Payment',
    room: 'Room',
    practitioner: 'Practitioner',
    specialty: 'Specialty',
    practitioner_specialty: 'Practitioner’s specialty',
    settings: 'Settings',
  },
  reasons: {
    slot_taken: 'Time already taken by an online booking',
    central_owns_booking: 'Booked online: time, practitioner and status are central’s',
    paid_online: 'Already paid online',
    erased: 'The patient’s data was erased at their request',
    belongs_to_another_clinic: 'The record belongs to another clinic',
  },
  pairTitle: 'Pair with central',
  repairTitle: 'Pair again',
  pairIntro:
    'Ask a central administrator for a pairing code (10 characters, valid 15 minutes, single use) and type it here.',
  urlLabel: 'Central address',
  urlHint: 'Starts with https:// (or http:// on a local network)',
  codeLabel: 'Pairing code',
  codeHint: '10 letters and digits; dashes and spaces do not count',
  pair: 'Pair',
  pairing: 'Pairing…',
  pairedOk: 'Clinic paired with central ({id}).',
  showRepair: 'Pair again',
  repairIntro: 'With a new code from central; it replaces the current pairing and its credential.',
  hideRepair: 'Close',
  rotateTitle: 'Credential',
  rotateIntro:
    'The clinic identifies itself to central with a credential kept on this computer. Renew it if you think it was copied.',
  rotate: 'Renew credential',
  rotateConfirm:
    'The current credential stops working at once and the new one is saved on this computer. If the connection fails half-way, you will have to pair again. Continue?',
  rotateYes: 'Yes, renew',
  rotating: 'Renewing…',
  rotatedOk: 'Credential renewed.',
  cancel: 'Cancel',
  loadFailed: 'Could not read the sync state.',
  fieldErrors: {
    url: 'Type an address starting with http:// or https://.',
    code: 'The code has 10 characters: letters (no I, L, O, U) and digits.',
  },
  errors: {
    pairing_code_invalid: 'Wrong, used or expired pairing code. Ask central for a new one.',
    central_unreachable:
      'Central could not be reached at that address. Check the address and the internet link.',
    sync_protocol_mismatch:
      'Central speaks another version of the sync protocol. The clinic’s app needs an update.',
    sync_not_paired: 'Central refused this clinic’s credential. Pair again with a new code.',
    validation_failed: 'Check the central address and the code.',
    forbidden: 'Only an administrator can change the sync.',
  },
  lastErrors: {
    network: 'Central did not answer (no network, or central is down).',
    bad_answer: 'Central gave an answer this version does not understand.',
    sync_credential_invalid: 'Central refused this clinic’s credential.',
    sync_protocol_mismatch: 'Central speaks another version of the sync protocol.',
    sync_not_paired: 'The clinic is not paired.',
    rate_limited: 'Central asked to wait (too many requests).',
    payload_too_large: 'A push was too large for central.',
    internal: 'Internal error while syncing.',
    other: 'Central answered with an error ({code}).',
  },
};

/** Keys of the catalogue that lead to a plain string (not a nested group). */
export type SyncTextKey = {
  [K in keyof Strings]: Strings[K] extends string ? K : never;
}[keyof Strings];

/** What `useSyncText` gives. */
export interface SyncText {
  /** A top-level text with `{name}` placeholders filled. */
  sx: (key: SyncTextKey, vars?: Record<string, string | number>) => string;
  /** The whole catalogue of the current language (for the nested groups). */
  strings: Strings;
  lang: 'pt' | 'en';
  /** A pair/rotate failure in words: the sync codes here, others from the shared catalogue. */
  errorText: (err: unknown) => string;
  /** A `lastError.code` of the status in words. */
  lastErrorText: (code: string) => string;
  /** A conflict reason in words (the code itself when unknown). */
  reasonText: (reason: string) => string;
  /** An entity name in words (the name itself when unknown). */
  entityText: (entity: string) => string;
}

const fill = (text: string, vars: Record<string, string | number> = {}) =>
  text.replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? `{${v}}`));

/** The sync section's text in the page's current language. */
export function useSyncText(): SyncText {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'pt';
  const strings = lang === 'en' ? en : pt;
  const pick = <T extends Record<string, string>>(group: T, key: string): string | undefined =>
    Object.prototype.hasOwnProperty.call(group, key) ? group[key as keyof T] : undefined;
  return {
    sx: (key, vars) => fill(strings[key], vars),
    strings,
    lang,
    errorText: (err) => {
      const code = err instanceof ApiError ? err.code : typeof err === 'string' ? err : '';
      return pick(strings.errors, code) ?? t(errorKey(err));
    },
    lastErrorText: (code) => pick(strings.lastErrors, code) ?? fill(strings.lastErrors.other, { code }),
    reasonText: (reason) => pick(strings.reasons, reason) ?? reason,
    entityText: (entity) => pick(strings.entities, entity) ?? entity,
  };
}
