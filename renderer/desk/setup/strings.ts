/**
 * PT-PT (formal) and English text of the setup wizard and the settings page, and of the setup's error
 * codes. Kept beside the wizard (the shared catalogue renderer/shared/i18n.ts is edited by many features at
 * once); the language follows i18next's, so the header's language switch re-translates it too. Other
 * server codes fall back to the shared catalogue's text (`errorKey`).
 */
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api.ts';
import { errorKey } from '../../shared/i18n.ts';

const pt = {
  title: 'Configuração da clínica',
  settingsTitle: 'Configuração',
  settingsIntro: 'Altere os dados da clínica, as salas, os profissionais, as especialidades e os horários.',
  intro:
    'Configure a clínica passo a passo. Pode voltar a qualquer passo mais tarde, no separador «Configuração».',
  progress: 'Passo {n} de {total}',
  back: 'Anterior',
  next: 'Seguinte',
  finish: 'Concluir',
  save: 'Guardar',
  saved: 'Alterações guardadas.',
  saving: 'A guardar…',
  add: 'Adicionar',
  edit: 'Editar',
  cancel: 'Cancelar',
  deactivate: 'Desativar',
  reactivate: 'Reativar',
  inactive: 'Inativa',
  inactiveM: 'Inativo',
  done: 'Concluído',
  todo: 'Por fazer',
  doneTitle: 'A clínica está configurada.',
  doneBody: 'Já pode receber marcações. Pode alterar tudo mais tarde no separador «Configuração».',
  steps: {
    clinic: 'Clínica',
    rooms: 'Salas',
    practitioners: 'Profissionais',
    specialties: 'Especialidades',
    openingHours: 'Horário',
    publicScreens: 'Ecrãs públicos',
  },
  clinic: {
    intro: 'Os dados que aparecem nos recibos e no portal de marcações.',
    name: 'Nome da clínica',
    nif: 'NIF da clínica',
    nifHint: '9 dígitos',
    address: 'Morada',
    phone: 'Telefone',
    phoneHint: 'Fixo ou móvel, por exemplo 212 345 678',
  },
  rooms: {
    intro: 'As salas onde os utentes são atendidos. Uma sala desativada deixa de aparecer na receção.',
    name: 'Nome da sala',
    newName: 'Nova sala',
    rename: 'Mudar o nome de {name}',
    empty: 'Ainda não há salas.',
    needOne: 'Adicione pelo menos uma sala.',
  },
  practitioners: {
    intro: 'Quem atende, o nome que os utentes veem e as especialidades de cada um.',
    fullName: 'Nome completo',
    displayName: 'Nome apresentado aos utentes',
    displayHint: 'Por exemplo «Dr.ª Marta Lopes»',
    room: 'Sala habitual',
    noRoom: 'Nenhuma',
    specialties: 'Especialidades',
    photo: 'Fotografia (opcional)',
    photoHint:
      'A fotografia do profissional, mostrada aos utentes. É reduzida para 256 píxeis neste computador antes de ser enviada.',
    photoAlt: 'Fotografia de {name}',
    removePhoto: 'Não enviar a fotografia',
    new: 'Novo profissional',
    editing: 'Editar {name}',
    empty: 'Ainda não há profissionais.',
    needOne: 'Adicione pelo menos um profissional.',
    newSpecialtyHint:
      'As especialidades ainda não oferecidas são criadas com a duração e o preço habituais; ajuste-os no passo seguinte.',
    pickSpecialty: 'Escolha pelo menos uma especialidade.',
  },
  specialties: {
    intro: 'As especialidades que a clínica oferece, com a duração de cada sessão e o preço.',
    name: 'Especialidade',
    namePt: 'Nome (português)',
    nameEn: 'Nome (inglês)',
    duration: 'Duração (min)',
    price: 'Preço (€)',
    offered: 'Oferecida',
    notOffered: 'Não oferecida',
    offer: 'Oferecer',
    needOne: 'Ofereça pelo menos uma especialidade.',
    badPrice: 'Indique o preço em euros, por exemplo 35,00.',
    badDuration: 'A duração tem de ser entre 5 e 240 minutos.',
  },
  hours: {
    intro: 'O horário de abertura em cada dia da semana. Pode ter um intervalo (por exemplo ao almoço).',
    open: 'Aberta',
    closed: 'Fechada',
    opens: 'Abre',
    closes: 'Fecha',
    addBlock: 'Acrescentar período',
    removeBlock: 'Retirar período',
    copyMonday: 'Copiar segunda-feira para os dias úteis',
    needOne: 'Indique pelo menos um período de abertura.',
    invalid:
      'Verifique os horários: cada período tem de fechar depois de abrir, sem sobreposições, em múltiplos de 5 minutos.',
    weekdays: [
      'Segunda-feira',
      'Terça-feira',
      'Quarta-feira',
      'Quinta-feira',
      'Sexta-feira',
      'Sábado',
      'Domingo',
    ],
  },
  publicScreens: {
    intro: 'Como o ecrã da sala de espera e o quiosque mostram os utentes. Nunca é mostrado o nome completo.',
    policy: 'Apresentação dos utentes',
    first_name_initial: 'Primeiro nome e inicial do apelido',
    initials: 'Só as iniciais',
    ticket: 'Só a senha',
    preview: 'Pré-visualização',
    previewHint: 'Quando dois nomes ficam iguais no ecrã, a senha aparece ao lado para os distinguir.',
    calling: 'A chamar',
    ticketLabel: 'Senha',
  },
  errors: {
    room_name_taken: 'Já existe uma sala com esse nome.',
    specialty_taken: 'Essa especialidade já existe. Reative-a em vez de a criar de novo.',
    has_future_appointments:
      'Ainda há marcações futuras que usam este registo. Mude-as ou cancele-as antes de o desativar.',
    photo_not_found: 'Este profissional não tem fotografia.',
    payload_too_large: 'A fotografia é demasiado grande (máximo 512 KB).',
    unsupported_media_type: 'Use uma fotografia JPEG ou WebP.',
    image_invalid: 'Não foi possível ler a imagem. Use uma fotografia JPEG, PNG ou WebP.',
    validation_failed: 'Verifique os campos assinalados.',
    nif_invalid: 'NIF inválido: 9 dígitos, com o dígito de controlo certo.',
    phone_invalid: 'Telefone inválido: 9 dígitos começados por 2 ou 9.',
    forbidden: 'Só um administrador pode alterar a configuração.',
    field: 'Valor inválido.',
    nif: 'NIF inválido: 9 dígitos, com o dígito de controlo certo.',
    phone: 'Telefone inválido: 9 dígitos começados por 2 ou 9.',
  },
};

/** The text catalogue's shape (English must have every key). */
type Strings = typeof pt;

const en: Strings = {
  title: 'Clinic setup',
  settingsTitle: 'Settings',
  settingsIntro: 'Change the clinic’s details, rooms, practitioners, specialties and hours.',
  intro: 'Set up the clinic step by step. You can come back to any step later, in the “Settings” tab.',
  progress: 'Step {n} of {total}',
  back: 'Back',
  next: 'Next',
  finish: 'Finish',
  save: 'Save',
  saved: 'Changes saved.',
  saving: 'Saving…',
  add: 'Add',
  edit: 'Edit',
  cancel: 'Cancel',
  deactivate: 'Deactivate',
  reactivate: 'Reactivate',
  inactive: 'Inactive',
  inactiveM: 'Inactive',
  done: 'Done',
  todo: 'To do',
  doneTitle: 'The clinic is set up.',
  doneBody: 'It can take bookings now. You can change everything later in the “Settings” tab.',
  steps: {
    clinic: 'Clinic',
    rooms: 'Rooms',
    practitioners: 'Practitioners',
    specialties: 'Specialties',
    openingHours: 'Opening hours',
    publicScreens: 'Public screens',
  },
  clinic: {
    intro: 'The details printed on receipts and shown in the booking portal.',
    name: 'Clinic name',
    nif: 'Clinic NIF',
    nifHint: '9 digits',
    address: 'Address',
    phone: 'Phone',
    phoneHint: 'Landline or mobile, e.g. 212 345 678',
  },
  rooms: {
    intro: 'The rooms where patients are seen. A deactivated room no longer shows at the desk.',
    name: 'Room name',
    newName: 'New room',
    rename: 'Rename {name}',
    empty: 'No rooms yet.',
    needOne: 'Add at least one room.',
  },
  practitioners: {
    intro: 'Who sees patients, the name patients see and the specialties of each.',
    fullName: 'Full name',
    displayName: 'Name shown to patients',
    displayHint: 'E.g. “Dr.ª Marta Lopes”',
    room: 'Usual room',
    noRoom: 'None',
    specialties: 'Specialties',
    photo: 'Photo (optional)',
    photoHint:
      'The practitioner’s photo, shown to patients. It is shrunk to 256 pixels on this computer before upload.',
    photoAlt: 'Photo of {name}',
    removePhoto: 'Do not upload the photo',
    new: 'New practitioner',
    editing: 'Edit {name}',
    empty: 'No practitioners yet.',
    needOne: 'Add at least one practitioner.',
    newSpecialtyHint:
      'Specialties not yet offered are added with the usual length and price; adjust them in the next step.',
    pickSpecialty: 'Choose at least one specialty.',
  },
  specialties: {
    intro: 'The specialties the clinic offers, with each session’s length and price.',
    name: 'Specialty',
    namePt: 'Name (Portuguese)',
    nameEn: 'Name (English)',
    duration: 'Length (min)',
    price: 'Price (€)',
    offered: 'Offered',
    notOffered: 'Not offered',
    offer: 'Offer',
    needOne: 'Offer at least one specialty.',
    badPrice: 'Enter the price in euros, e.g. 35.00.',
    badDuration: 'The length must be 5 to 240 minutes.',
  },
  hours: {
    intro: 'When the clinic is open on each weekday. A day may have a break (e.g. for lunch).',
    open: 'Open',
    closed: 'Closed',
    opens: 'Opens',
    closes: 'Closes',
    addBlock: 'Add a period',
    removeBlock: 'Remove period',
    copyMonday: 'Copy Monday to the weekdays',
    needOne: 'Enter at least one opening period.',
    invalid: 'Check the hours: each period must close after it opens, without overlaps, in 5-minute steps.',
    weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  },
  publicScreens: {
    intro: 'How the waiting-room display and the kiosk show patients. The full name is never shown.',
    policy: 'How patients are shown',
    first_name_initial: 'First name and last-name initial',
    initials: 'Initials only',
    ticket: 'Ticket only',
    preview: 'Preview',
    previewHint: 'When two names look the same on screen, the ticket is shown beside them.',
    calling: 'Now calling',
    ticketLabel: 'Ticket',
  },
  errors: {
    room_name_taken: 'A room with that name exists already.',
    specialty_taken: 'That specialty exists already. Reactivate it instead of adding it again.',
    has_future_appointments:
      'Appointments still to come use this. Move or cancel them before deactivating it.',
    photo_not_found: 'This practitioner has no photo.',
    payload_too_large: 'The photo is too large (512 KB at most).',
    unsupported_media_type: 'Use a JPEG or WebP photo.',
    image_invalid: 'The image could not be read. Use a JPEG, PNG or WebP photo.',
    validation_failed: 'Check the highlighted fields.',
    nif_invalid: 'Invalid NIF: 9 digits with the right check digit.',
    phone_invalid: 'Invalid phone: 9 digits starting with 2 or 9.',
    forbidden: 'Only an administrator can change the settings.',
    field: 'Invalid value.',
    nif: 'Invalid NIF: 9 digits with the right check digit.',
    phone: 'Invalid phone: 9 digits starting with 2 or 9.',
  },
};

/** Dotted keys of the catalogue that lead to a string. */
type Leaf<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string
    ? `${P}${K}`
    : T[K] extends readonly string[]
      ? never
      : Leaf<T[K], `${P}${K}.`>;
}[keyof T & string];
/** A text key ('rooms.needOne'). */
export type TextKey = Leaf<Strings>;

/** Looks a dotted key up and fills `{name}` placeholders. */
function lookup(strings: Strings, key: TextKey, vars: Record<string, string | number> = {}): string {
  let node: unknown = strings;
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  return String(node).replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? `{${v}}`));
}

/** What `useSetupText` gives: `tx(key, vars)`, the weekday names, the language and `errorText`. */
export interface SetupText {
  tx: (key: TextKey, vars?: Record<string, string | number>) => string;
  weekdays: readonly string[];
  lang: 'pt' | 'en';
  /** The text of a thrown error: the setup's own codes here, others from the shared catalogue. */
  errorText: (err: unknown) => string;
}

/** The setup's text in the page's current language. */
export function useSetupText(): SetupText {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'pt';
  const strings = lang === 'en' ? en : pt;
  return {
    tx: (key, vars) => lookup(strings, key, vars),
    weekdays: strings.hours.weekdays,
    lang,
    errorText: (err) => {
      const code = err instanceof ApiError ? err.code : typeof err === 'string' ? err : '';
      if (code in strings.errors) return strings.errors[code as keyof Strings['errors']];
      return t(errorKey(err));
    },
  };
}
