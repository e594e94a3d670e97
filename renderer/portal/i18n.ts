/**
 * The patient portal's strings, PT-PT (formal register: "o utente", "a sua consulta") and English, and
 * the one place that turns the central API's error codes (server/domain/errors.ts, CONVENTIONS §7) into
 * text. Its own catalogue (the desk's renderer/shared/i18n.ts is staff vocabulary), on i18next; pages
 * translate with `usePortalT()`, whose keys are type-checked against `pt`. The language is the one the
 * patient chose (localStorage), else the browser's; it sets `<html lang>`.
 */
import i18n from 'i18next';
import { useCallback } from 'react';
import { initReactI18next, useTranslation } from 'react-i18next';
import { ApiError } from './api.ts';
import type { Lang } from './types.ts';

const pt = {
  app: {
    name: 'Marcações online',
    skip: 'Saltar para o conteúdo',
    loading: 'A carregar…',
    footer: 'Horários na hora de Portugal continental (Lisboa).',
  },
  nav: {
    label: 'Navegação principal',
    book: 'Marcar',
    appointments: 'As minhas marcações',
    account: 'A minha conta',
    login: 'Entrar',
    signup: 'Criar conta',
    logout: 'Sair',
  },
  lang: {
    label: 'Idioma',
  },
  common: {
    optional: '(opcional)',
    retry: 'Tentar novamente',
    save: 'Guardar alterações',
    saving: 'A guardar…',
    showPassword: 'Mostrar',
    hidePassword: 'Ocultar',
  },
  fields: {
    name: 'Nome completo',
    email: 'E-mail',
    newEmail: 'Novo e-mail',
    phone: 'Telemóvel',
    phoneHint: 'Telemóvel português (p. ex. 912 345 678) ou número internacional começado por +.',
    password: 'Palavra-passe',
    currentPassword: 'Palavra-passe atual',
    newPassword: 'Nova palavra-passe',
    nif: 'NIF',
    nifHint: 'Para a fatura. Pode indicá-lo mais tarde.',
    birthDate: 'Data de nascimento',
    locale: 'Idioma das mensagens',
  },
  validation: {
    nameRequired: 'Escreva o seu nome.',
    nameTooLong: 'O nome pode ter, no máximo, 120 caracteres.',
    emailRequired: 'Escreva o seu e-mail.',
    email: 'Escreva um e-mail válido, por exemplo nome@exemplo.pt.',
    sameEmail: 'Este já é o seu e-mail atual.',
    phoneRequired: 'Escreva o seu telemóvel.',
    phone:
      'Escreva um telemóvel português de 9 dígitos (começado por 91, 92, 93 ou 96) ou um número internacional começado por +.',
    passwordRequired: 'Escreva a palavra-passe.',
    passwordShort: 'A palavra-passe tem de ter pelo menos 10 caracteres.',
    passwordLong: 'A palavra-passe pode ter, no máximo, 128 caracteres.',
    passwordCommon:
      'Esta palavra-passe é demasiado comum. Escolha outra, por exemplo uma frase com várias palavras.',
    passwordContext: 'A palavra-passe não pode ser o seu e-mail nem o seu nome.',
    nif: 'Este NIF não é válido. Verifique os 9 dígitos.',
    birthDate: 'Indique uma data de nascimento válida, anterior a hoje.',
    tickRequired: 'Confirme que compreende, assinalando a caixa.',
  },
  password: {
    rulesTitle: 'A palavra-passe deve:',
    minLength: 'ter pelo menos {{min}} caracteres',
    maxLength: 'ter no máximo {{max}} caracteres',
    notCommon: 'não ser uma palavra-passe comum nem o seu nome ou e-mail (uma frase é uma boa escolha)',
    met: '(cumprido)',
    notMet: '(por cumprir)',
  },
  status: {
    awaiting_payment: 'A aguardar pagamento',
    confirmed: 'Confirmada',
    cancelled: 'Cancelada',
    completed: 'Realizada',
    no_show: 'Falta',
    expired: 'Expirada',
  },
  visit: {
    scheduled: 'Marcada',
    arrived: 'Check-in feito',
    called: 'Foi chamado(a) — dirija-se à sala',
    in_session: 'Em consulta',
    done: 'Consulta terminada',
    no_show: 'Falta registada',
    cancelled: 'Cancelada pela clínica',
    room: 'Sala {{room}}',
    wait: '~{{min}} min de espera',
  },
  errors: {
    validation_failed: 'Alguns dados não estão corretos. Verifique os campos assinalados.',
    bad_json: 'Pedido inválido. Recarregue a página e tente novamente.',
    weak_password:
      'Esta palavra-passe não é aceite: use pelo menos 10 caracteres e evite palavras-passe comuns.',
    email_taken: 'Já existe uma conta com este e-mail.',
    token_invalid: 'Esta ligação expirou ou já foi usada.',
    invalid_credentials: 'E-mail ou palavra-passe incorretos.',
    email_not_verified:
      'Ainda não confirmou o seu e-mail. Enviámos-lhe uma nova ligação de confirmação: abra-a e volte a entrar.',
    too_many_attempts: 'Demasiadas tentativas. Tente novamente dentro de {{minutes}} min.',
    unauthorized: 'A sua sessão terminou. Entre novamente.',
    forbidden: 'Não tem permissão para fazer isto.',
    not_found: 'Não encontrado.',
    clinic_not_found: 'Clínica não encontrada.',
    account_not_found: 'Conta não encontrada.',
    appointment_not_found: 'Não encontrámos esta marcação.',
    practitioner_not_found: 'Profissional não encontrado.',
    specialty_not_found: 'Especialidade não encontrada.',
    hold_not_found: 'A reserva desta hora já não existe. Escolha a hora novamente.',
    slot_unavailable: 'Essa hora acabou de ser ocupada. Escolha outra, por favor.',
    hold_expired: 'O tempo para confirmar terminou e a hora foi libertada. Escolha novamente.',
    outside_policy: 'Já não é possível alterar esta marcação online. Contacte a clínica.',
    payload_too_large: 'O pedido é demasiado grande.',
    internal: 'Erro no servidor. Tente novamente dentro de momentos.',
    network: 'Sem ligação. Verifique a internet e tente novamente.',
    generic: 'Ocorreu um erro inesperado. Tente novamente.',
  },
  home: {
    intro: 'Marque a sua consulta em poucos passos e receba a confirmação por e-mail.',
    book: 'Marcar consulta',
    policy: 'Cancelamento e alteração gratuitos até {{hours}} horas antes.',
    payAtClinic: 'Pagamento na clínica, no dia da consulta.',
    payOnline: 'Pagamento online ao marcar.',
    accountTitle: 'Já é utente?',
    accountIntro: 'Entre para marcar, ver e alterar as suas consultas.',
    hello: 'Olá, {{name}}.',
    next: 'A sua próxima consulta',
    noneUpcoming: 'Não tem consultas marcadas.',
    seeAll: 'Ver as minhas marcações',
  },
  auth: {
    signupTitle: 'Criar conta',
    signupIntro: 'Com uma conta pode marcar, alterar e cancelar as suas consultas.',
    signupSubmit: 'Criar conta',
    signupBusy: 'A criar a conta…',
    privacy:
      'Usamos os seus dados apenas para gerir as suas consultas. Pode descarregá-los ou apagar a conta quando quiser.',
    haveAccount: 'Já tem conta?',
    noAccount: 'Ainda não tem conta?',
    checkEmailTitle: 'Verifique o seu e-mail',
    checkEmailBody: 'Enviámos uma ligação de confirmação para {{email}}.',
    checkEmailBodyNoAddress: 'Enviámos uma ligação de confirmação para o seu e-mail.',
    checkEmailStep1: 'Abra a mensagem e toque em «Confirmar e-mail».',
    checkEmailStep2: 'A sua conta fica ativa e entra automaticamente.',
    checkEmailSpam:
      'Não recebeu? Veja na pasta de spam ou lixo eletrónico; a ligação é válida durante 24 horas.',
    checkEmailDone: 'Já confirmou?',
    verifyTitle: 'Confirmar e-mail',
    verifying: 'A confirmar…',
    verified: 'E-mail confirmado. Bem-vindo(a), {{name}}!',
    verifyFailedHint: 'Se já confirmou o e-mail, pode entrar.',
    confirmEmailTitle: 'Confirmar novo e-mail',
    emailChanged: 'O seu e-mail passou a ser {{email}}.',
    loginTitle: 'Entrar',
    loginSubmit: 'Entrar',
    loginBusy: 'A entrar…',
    forgot: 'Esqueceu-se da palavra-passe?',
    forgotTitle: 'Recuperar palavra-passe',
    forgotIntro:
      'Indique o e-mail da sua conta. Enviamos-lhe uma ligação para escolher uma nova palavra-passe.',
    forgotSubmit: 'Enviar ligação',
    forgotSent:
      'Se existir uma conta com o e-mail {{email}}, enviámos uma ligação para escolher uma nova palavra-passe. A ligação é válida durante 30 minutos.',
    backToLogin: 'Voltar a Entrar',
    resetTitle: 'Nova palavra-passe',
    resetSubmit: 'Guardar palavra-passe',
    resetDone: 'Palavra-passe alterada. Entre com a nova palavra-passe.',
    resetInvalid: 'Esta ligação expirou ou já foi usada.',
    resetAgain: 'Pedir uma nova ligação',
    sessionEnded: 'A sua sessão terminou. Entre novamente para continuar.',
    loggedOut: 'Saiu da sua conta.',
  },
  book: {
    title: 'Marcar consulta',
    stepOf: 'Passo {{step}} de {{total}}',
    clinicTitle: 'Escolha a clínica',
    catalogueUnavailable:
      'Não foi possível carregar as especialidades. Verifique a ligação e recarregue a página.',
    specialtyTitle: 'Que tipo de consulta?',
    duration: '{{min}} min',
    practitionerTitle: 'Com quem?',
    specialty: 'Consulta',
    practitioner: 'Profissional',
    clinic: 'Clínica',
    price: 'Preço',
    payment: 'Pagamento',
    payAtClinic: 'Na clínica, no dia da consulta',
    payOnline: 'Online',
    change: 'Alterar',
    changeSpecialty: 'Alterar o tipo de consulta',
    changePractitioner: 'Alterar o profissional',
    languageFilter: 'Língua falada pelo profissional',
    allLanguages: 'Todas',
    langPt: 'Português',
    langEn: 'Inglês',
    any: 'Qualquer profissional',
    anyHint: 'Mostramos as horas livres de toda a equipa, para marcar mais cedo.',
    chooseAny: 'Escolher qualquer profissional',
    choose: 'Escolher',
    chooseAria: 'Escolher {{name}}',
    speaks: 'Fala: {{languages}}',
    nextFree: 'Próxima vaga: {{when}}',
    noNextFree: 'Sem vagas nas próximas semanas.',
    noPractitioners: 'Nenhum profissional corresponde a este filtro.',
    slotTitle: 'Escolha o dia e a hora',
    rescheduleSlotTitle: 'Escolha a nova hora',
    timeZoneNote: 'Horas de Portugal continental (Lisboa).',
    days: 'Dias da semana',
    prevWeek: 'Semana anterior',
    nextWeek: 'Semana seguinte',
    freeTimes_one: '{{count}} hora livre',
    freeTimes_other: '{{count}} horas livres',
    full: 'sem horas livres',
    slotsFor: 'Horas livres — {{day}}',
    noSlotsDay: 'Não há horas livres neste dia. Escolha outro dia.',
    noSlotsWeek: 'Não há horas livres nesta semana.',
    noSlotsWeekPractitioner: 'Este profissional não tem horas livres nesta semana.',
    tryAny: 'Ver qualquer profissional',
    loginHint: 'Ao escolher uma hora, pedimos-lhe que entre na sua conta.',
    loginToBook: 'Entre na sua conta (ou crie uma) para reservar a hora escolhida.',
    slotTaken:
      'Essa hora acabou de ser ocupada por outra pessoa. Atualizámos as horas livres: escolha outra, por favor.',
    reviewTitle: 'Confirme a marcação',
    rescheduleReviewTitle: 'Confirme a alteração',
    heldFor: 'Guardámos esta hora para si durante',
    lastMinute: 'Falta menos de um minuto para confirmar.',
    expired: 'O tempo para confirmar terminou e a hora foi libertada. Escolha a hora novamente.',
    replaces: 'Substitui a marcação de',
    policy: 'Pode cancelar ou alterar sem custos até {{hours}} horas antes.',
    confirm: 'Confirmar marcação',
    confirmReschedule: 'Confirmar alteração',
    confirming: 'A confirmar…',
    otherTime: 'Escolher outra hora',
  },
  appointments: {
    title: 'As minhas marcações',
    upcoming: 'Próximas',
    past: 'Anteriores',
    noneUpcoming: 'Não tem consultas marcadas.',
    nonePast: 'Ainda não tem consultas anteriores.',
    timeRange: '{{start}}–{{end}}',
    with: 'com {{name}}',
    code: 'Código:',
    details: 'Código e QR',
    view: 'Ver detalhes',
    detailsAria: 'Ver o código e o QR da marcação {{code}}',
    reschedule: 'Alterar data',
    rescheduleAria: 'Alterar a data da marcação {{code}}',
    cancel: 'Cancelar',
    cancelAria: 'Cancelar a marcação {{code}}',
    tooLate: 'Já não é possível alterar online (era possível até {{deadline}}). Contacte a clínica.',
    offline: 'Atualizações em direto interrompidas — a tentar novamente…',
    cancelTitle: 'Cancelar a marcação?',
    cancelBody: 'Vai cancelar esta marcação:',
    cancelPolicy: 'O cancelamento é gratuito até {{hours}} horas antes da consulta.',
    outsidePolicy:
      'Já passou o prazo para cancelar online ({{hours}} horas antes, até {{deadline}}). Contacte a clínica, por favor.',
    cancelConfirm: 'Sim, cancelar',
    cancelling: 'A cancelar…',
    keep: 'Não, manter',
    cancelled: 'Marcação cancelada.',
    detailTitle: 'Marcação',
    bookedTitle: 'Marcação confirmada',
    bookedIntro: 'A sua consulta está marcada. Enviámos a confirmação para o seu e-mail.',
    rescheduledTitle: 'Marcação alterada',
    rescheduledIntro: 'A sua marcação foi alterada. A marcação anterior foi cancelada.',
    codeLabel: 'Código para o check-in',
    qrAlt: 'Código QR da marcação {{code}}',
    kioskHint:
      'No dia, mostre este código QR no quiosque da clínica ou escreva o código para fazer o check-in.',
    addToCalendar: 'Adicionar ao calendário',
    backToList: 'Ver as minhas marcações',
  },
  account: {
    title: 'A minha conta',
    detailsTitle: 'Os seus dados',
    saved: 'Dados guardados.',
    emailTitle: 'E-mail',
    currentEmail: 'E-mail atual:',
    changeEmail: 'Alterar e-mail',
    emailSent:
      'Enviámos uma ligação de confirmação para {{email}}. O e-mail só muda quando abrir essa ligação.',
    passwordTitle: 'Palavra-passe',
    changePassword: 'Alterar palavra-passe',
    passwordChanged: 'Palavra-passe alterada. As outras sessões abertas foram terminadas.',
    dataTitle: 'Os seus dados pessoais',
    dataIntro: 'Descarregue uma cópia de tudo o que guardamos sobre si (ficheiro JSON).',
    download: 'Descarregar os meus dados',
    deleteTitle: 'Apagar conta',
    deleteWarning:
      'Atenção: apagar a conta é definitivo. Os seus dados pessoais são apagados, as marcações futuras são canceladas e deixa de poder entrar.',
    deleteKept: 'A clínica mantém apenas o que a lei obriga a guardar (por exemplo, faturas emitidas).',
    deleteConfirmCheck: 'Compreendo que esta ação não pode ser desfeita.',
    deleteSubmit: 'Apagar a minha conta',
    deleted: 'A sua conta foi apagada.',
  },
  notFound: {
    title: 'Página não encontrada',
    body: 'O endereço que abriu não existe ou mudou.',
    home: 'Ir para o início',
  },
};

/** The catalogue's shape: English must have every key PT has. */
export type Catalogue = typeof pt;

const en: Catalogue = {
  app: {
    name: 'Online booking',
    skip: 'Skip to content',
    loading: 'Loading…',
    footer: 'Times are mainland Portugal time (Lisbon).',
  },
  nav: {
    label: 'Main navigation',
    book: 'Book',
    appointments: 'My appointments',
    account: 'My account',
    login: 'Log in',
    signup: 'Sign up',
    logout: 'Log out',
  },
  lang: {
    label: 'Language',
  },
  common: {
    optional: '(optional)',
    retry: 'Try again',
    save: 'Save changes',
    saving: 'Saving…',
    showPassword: 'Show',
    hidePassword: 'Hide',
  },
  fields: {
    name: 'Full name',
    email: 'Email',
    newEmail: 'New email',
    phone: 'Mobile phone',
    phoneHint: 'A Portuguese mobile (e.g. 912 345 678) or an international number starting with +.',
    password: 'Password',
    currentPassword: 'Current password',
    newPassword: 'New password',
    nif: 'Tax number (NIF)',
    nifHint: 'For your invoice. You can add it later.',
    birthDate: 'Date of birth',
    locale: 'Language of our messages',
  },
  validation: {
    nameRequired: 'Enter your name.',
    nameTooLong: 'The name can be at most 120 characters.',
    emailRequired: 'Enter your email.',
    email: 'Enter a valid email address, for example name@example.com.',
    sameEmail: 'This is already your email.',
    phoneRequired: 'Enter your mobile number.',
    phone:
      'Enter a 9-digit Portuguese mobile (starting 91, 92, 93 or 96) or an international number starting with +.',
    passwordRequired: 'Enter the password.',
    passwordShort: 'The password must have at least 10 characters.',
    passwordLong: 'The password can have at most 128 characters.',
    passwordCommon: 'This password is too common. Choose another one, for example a phrase of several words.',
    passwordContext: 'The password cannot be your email or your name.',
    nif: 'This tax number is not valid. Check the 9 digits.',
    birthDate: 'Enter a valid date of birth, before today.',
    tickRequired: 'Tick the box to confirm that you understand.',
  },
  password: {
    rulesTitle: 'The password must:',
    minLength: 'have at least {{min}} characters',
    maxLength: 'have at most {{max}} characters',
    notCommon: 'not be a common password, your name or your email (a phrase is a good choice)',
    met: '(met)',
    notMet: '(not met yet)',
  },
  status: {
    awaiting_payment: 'Awaiting payment',
    confirmed: 'Confirmed',
    cancelled: 'Cancelled',
    completed: 'Completed',
    no_show: 'Missed',
    expired: 'Expired',
  },
  visit: {
    scheduled: 'Scheduled',
    arrived: 'Checked in',
    called: 'You have been called — please go to the room',
    in_session: 'In session',
    done: 'Appointment finished',
    no_show: 'Marked as missed',
    cancelled: 'Cancelled by the clinic',
    room: 'Room {{room}}',
    wait: '~{{min}} min wait',
  },
  errors: {
    validation_failed: 'Some details are not right. Check the highlighted fields.',
    bad_json: 'Invalid request. Reload the page and try again.',
    weak_password: 'This password is not accepted: use at least 10 characters and avoid common passwords.',
    email_taken: 'There is already an account with this email.',
    token_invalid: 'This link has expired or has already been used.',
    invalid_credentials: 'Wrong email or password.',
    email_not_verified:
      'You have not confirmed your email yet. Open the link we sent you when you signed up.',
    too_many_attempts: 'Too many attempts. Try again in {{minutes}} min.',
    unauthorized: 'Your session has ended. Please log in again.',
    forbidden: 'You are not allowed to do this.',
    not_found: 'Not found.',
    clinic_not_found: 'Clinic not found.',
    account_not_found: 'Account not found.',
    appointment_not_found: 'We could not find this appointment.',
    practitioner_not_found: 'Practitioner not found.',
    specialty_not_found: 'Specialty not found.',
    hold_not_found: 'This time is no longer held for you. Please choose it again.',
    slot_unavailable: 'That time has just been taken. Please choose another one.',
    hold_expired: 'The time to confirm ran out and the slot was released. Please choose again.',
    outside_policy: 'This appointment can no longer be changed online. Please contact the clinic.',
    payload_too_large: 'The request is too large.',
    internal: 'Server error. Please try again in a moment.',
    network: 'No connection. Check your internet and try again.',
    generic: 'Something went wrong. Please try again.',
  },
  home: {
    intro: 'Book your appointment in a few steps and get the confirmation by email.',
    book: 'Book an appointment',
    policy: 'Free cancellation and changes up to {{hours}} hours before.',
    payAtClinic: 'Pay at the clinic on the day.',
    payOnline: 'Pay online when you book.',
    accountTitle: 'Already a patient?',
    accountIntro: 'Log in to book, see and change your appointments.',
    hello: 'Hello, {{name}}.',
    next: 'Your next appointment',
    noneUpcoming: 'You have no upcoming appointments.',
    seeAll: 'See my appointments',
  },
  auth: {
    signupTitle: 'Sign up',
    signupIntro: 'With an account you can book, change and cancel your appointments.',
    signupSubmit: 'Create account',
    signupBusy: 'Creating your account…',
    privacy:
      'We use your details only to manage your appointments. You can download them or delete your account at any time.',
    haveAccount: 'Already have an account?',
    noAccount: 'No account yet?',
    checkEmailTitle: 'Check your email',
    checkEmailBody: 'We sent a confirmation link to {{email}}.',
    checkEmailBodyNoAddress: 'We sent a confirmation link to your email.',
    checkEmailStep1: 'Open the message and tap “Confirm email”.',
    checkEmailStep2: 'Your account is activated and you are logged in.',
    checkEmailSpam: 'Nothing there? Look in your spam or junk folder; the link is valid for 24 hours.',
    checkEmailDone: 'Already confirmed?',
    verifyTitle: 'Confirm email',
    verifying: 'Confirming…',
    verified: 'Email confirmed. Welcome, {{name}}!',
    verifyFailedHint: 'If you have already confirmed your email, you can log in.',
    confirmEmailTitle: 'Confirm new email',
    emailChanged: 'Your email is now {{email}}.',
    loginTitle: 'Log in',
    loginSubmit: 'Log in',
    loginBusy: 'Logging in…',
    forgot: 'Forgot your password?',
    forgotTitle: 'Reset your password',
    forgotIntro: 'Enter your account’s email. We will send you a link to choose a new password.',
    forgotSubmit: 'Send link',
    forgotSent:
      'If there is an account for {{email}}, we sent it a link to choose a new password. The link is valid for 30 minutes.',
    backToLogin: 'Back to log in',
    resetTitle: 'New password',
    resetSubmit: 'Save password',
    resetDone: 'Password changed. Log in with your new password.',
    resetInvalid: 'This link has expired or has already been used.',
    resetAgain: 'Ask for a new link',
    sessionEnded: 'Your session has ended. Log in again to continue.',
    loggedOut: 'You have logged out.',
  },
  book: {
    title: 'Book an appointment',
    stepOf: 'Step {{step}} of {{total}}',
    clinicTitle: 'Choose the clinic',
    catalogueUnavailable: 'The specialties could not be loaded. Check your connection and reload the page.',
    specialtyTitle: 'What kind of appointment?',
    duration: '{{min}} min',
    practitionerTitle: 'With whom?',
    specialty: 'Appointment',
    practitioner: 'Practitioner',
    clinic: 'Clinic',
    price: 'Price',
    payment: 'Payment',
    payAtClinic: 'At the clinic, on the day',
    payOnline: 'Online',
    change: 'Change',
    changeSpecialty: 'Change the kind of appointment',
    changePractitioner: 'Change the practitioner',
    languageFilter: 'Language spoken by the practitioner',
    allLanguages: 'All',
    langPt: 'Portuguese',
    langEn: 'English',
    any: 'Any practitioner',
    anyHint: 'We show the free times of the whole team, so you can book sooner.',
    chooseAny: 'Choose any practitioner',
    choose: 'Choose',
    chooseAria: 'Choose {{name}}',
    speaks: 'Speaks: {{languages}}',
    nextFree: 'Next free: {{when}}',
    noNextFree: 'No free times in the coming weeks.',
    noPractitioners: 'No practitioner matches this filter.',
    slotTitle: 'Choose the day and time',
    rescheduleSlotTitle: 'Choose the new time',
    timeZoneNote: 'Mainland Portugal time (Lisbon).',
    days: 'Days of the week',
    prevWeek: 'Previous week',
    nextWeek: 'Next week',
    freeTimes_one: '{{count}} free time',
    freeTimes_other: '{{count}} free times',
    full: 'no free times',
    slotsFor: 'Free times — {{day}}',
    noSlotsDay: 'No free times on this day. Choose another day.',
    noSlotsWeek: 'No free times this week.',
    noSlotsWeekPractitioner: 'This practitioner has no free times this week.',
    tryAny: 'See any practitioner',
    loginHint: 'When you choose a time, we will ask you to log in.',
    loginToBook: 'Log in (or sign up) to hold the time you chose.',
    slotTaken: 'Someone has just taken that time. We refreshed the free times: please choose another one.',
    reviewTitle: 'Confirm your booking',
    rescheduleReviewTitle: 'Confirm the change',
    heldFor: 'We are holding this time for you for',
    lastMinute: 'Less than a minute left to confirm.',
    expired: 'The time to confirm ran out and the slot was released. Please choose a time again.',
    replaces: 'Replaces the appointment on',
    policy: 'You can cancel or change it free of charge up to {{hours}} hours before.',
    confirm: 'Confirm booking',
    confirmReschedule: 'Confirm change',
    confirming: 'Confirming…',
    otherTime: 'Choose another time',
  },
  appointments: {
    title: 'My appointments',
    upcoming: 'Upcoming',
    past: 'Past',
    noneUpcoming: 'You have no upcoming appointments.',
    nonePast: 'No past appointments yet.',
    timeRange: '{{start}}–{{end}}',
    with: 'with {{name}}',
    code: 'Code:',
    details: 'Code and QR',
    view: 'See details',
    detailsAria: 'See the code and QR of booking {{code}}',
    reschedule: 'Change date',
    rescheduleAria: 'Change the date of booking {{code}}',
    cancel: 'Cancel',
    cancelAria: 'Cancel booking {{code}}',
    tooLate: 'It can no longer be changed online (it could until {{deadline}}). Please contact the clinic.',
    offline: 'Live updates interrupted — retrying…',
    cancelTitle: 'Cancel this appointment?',
    cancelBody: 'You are about to cancel this appointment:',
    cancelPolicy: 'Cancelling is free up to {{hours}} hours before the appointment.',
    outsidePolicy:
      'The deadline to cancel online has passed ({{hours}} hours before, until {{deadline}}). Please contact the clinic.',
    cancelConfirm: 'Yes, cancel',
    cancelling: 'Cancelling…',
    keep: 'No, keep it',
    cancelled: 'Appointment cancelled.',
    detailTitle: 'Appointment',
    bookedTitle: 'Booking confirmed',
    bookedIntro: 'Your appointment is booked. We sent the confirmation to your email.',
    rescheduledTitle: 'Appointment changed',
    rescheduledIntro: 'Your appointment was changed. The previous one was cancelled.',
    codeLabel: 'Check-in code',
    qrAlt: 'QR code of booking {{code}}',
    kioskHint: 'On the day, show this QR code at the clinic’s kiosk or type the code to check in.',
    addToCalendar: 'Add to calendar',
    backToList: 'See my appointments',
  },
  account: {
    title: 'My account',
    detailsTitle: 'Your details',
    saved: 'Details saved.',
    emailTitle: 'Email',
    currentEmail: 'Current email:',
    changeEmail: 'Change email',
    emailSent: 'We sent a confirmation link to {{email}}. Your email changes when you open that link.',
    passwordTitle: 'Password',
    changePassword: 'Change password',
    passwordChanged: 'Password changed. Your other open sessions were ended.',
    dataTitle: 'Your personal data',
    dataIntro: 'Download a copy of everything we keep about you (JSON file).',
    download: 'Download my data',
    deleteTitle: 'Delete account',
    deleteWarning:
      'Warning: deleting your account is permanent. Your personal data is erased, your future appointments are cancelled and you can no longer log in.',
    deleteKept: 'The clinic keeps only what the law requires (for example, issued invoices).',
    deleteConfirmCheck: 'I understand that this cannot be undone.',
    deleteSubmit: 'Delete my account',
    deleted: 'Your account was deleted.',
  },
  notFound: {
    title: 'Page not found',
    body: 'The address you opened does not exist or has moved.',
    home: 'Go to the start page',
  },
};

type Join<P extends string, K extends string> = P extends '' ? K : `${P}.${K}`;
type PluralBase<K extends string> =
  K extends `${infer B}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}` ? B : K;
type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? Join<P, PluralBase<K>> : Leaves<T[K], Join<P, K>>;
}[keyof T & string];

/** Every key of the catalogue ('book.confirm'); plural forms by their base ('book.slots' + count). */
export type PortalKey = Leaves<typeof pt>;

/** Interpolation values (`{{name}}`) and `count` for plurals. */
export type TValues = Record<string, string | number>;

/** A typed translate function. */
export type TFunction = (key: PortalKey, values?: TValues) => string;

const STORAGE_KEY = 'cfd.portal.lang';

/** The `lang` attribute for a UI language. */
export const htmlLang = (lang: Lang): string => (lang === 'en' ? 'en' : 'pt-PT');

/** The language the patient chose before (localStorage), else the browser's (pt* → PT, others → EN). */
export function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'pt' || saved === 'en') return saved;
  } catch {
    // storage blocked: fall through to the browser's language
  }
  const browser = (typeof navigator === 'undefined' ? 'pt' : navigator.language || 'pt').toLowerCase();
  return browser.startsWith('pt') ? 'pt' : 'en';
}

/** Initialises i18next synchronously with both catalogues; call once before the first render. */
export function initI18n(lang: Lang): void {
  void i18n.use(initReactI18next).init({
    resources: { pt: { translation: pt }, en: { translation: en } },
    lng: lang,
    fallbackLng: 'pt',
    supportedLngs: ['pt', 'en'],
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes
  });
  document.documentElement.lang = htmlLang(lang);
}

/** Switches the UI language, remembers it on this device and updates `<html lang>`. */
export function setLang(lang: Lang): void {
  void i18n.changeLanguage(lang);
  document.documentElement.lang = htmlLang(lang);
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
}

/** The current UI language. */
export const currentLang = (): Lang => (i18n.language === 'en' ? 'en' : 'pt');

// i18next's own `t` is typed against the desk's catalogue (renderer/shared/i18n.ts augments i18next's
// types for the whole program); the portal's keys are checked by `PortalKey` instead.
type LooseT = (key: string, values?: TValues) => string;

/** Translates outside React (e.g. a confirm() text); inside components use `usePortalT`. */
export const translate: TFunction = (key, values) => (i18n.t as unknown as LooseT)(key, values);

/** The typed `t` and the current language; re-renders the caller when the language changes. */
export function usePortalT(): { t: TFunction; lang: Lang } {
  const { i18n: instance } = useTranslation();
  const lang: Lang = instance.language === 'en' ? 'en' : 'pt';
  const t = useCallback<TFunction>(
    (key, values) => (instance.getFixedT(lang) as unknown as LooseT)(key, values),
    [instance, lang],
  );
  return { t, lang };
}

/** The catalogue key for an error: the server's code when we have text for it, else generic. */
export function errorKey(err: unknown): PortalKey {
  const code = typeof err === 'string' ? err : err instanceof ApiError ? err.code : 'generic';
  return Object.hasOwn(pt.errors, code) ? (`errors.${code}` as PortalKey) : 'errors.generic';
}

/** The error's text in the UI language, with its details (e.g. minutes to wait after too many tries). */
export function errorText(t: TFunction, err: unknown): string {
  const retryAfterSec = err instanceof ApiError ? Number(err.details?.retryAfterSec) : NaN;
  const minutes = Number.isFinite(retryAfterSec) ? Math.max(1, Math.ceil(retryAfterSec / 60)) : 15;
  return t(errorKey(err), { minutes });
}
