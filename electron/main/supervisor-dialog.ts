/**
 * The message box main shows when the supervisor gives up (./supervisor.ts `failed`): what happened, where
 * the log is, and two buttons, "Try again" (supervisor.retry()) and "Quit". Pure, so the texts are tested;
 * PT-PT (formal) or English.
 */
import type { SupervisorFailure } from './supervisor.ts';

/** The dialog's content; button 0 is "Try again", button 1 is "Quit". */
export interface FailureDialog {
  title: string;
  message: string;
  detail: string;
  buttons: [string, string];
}

const TEXT = {
  pt: {
    title: 'Clinic Front Desk: servidor local',
    reason: {
      'ready-timeout': 'O servidor local não arrancou a tempo.',
      'crash-loop': 'O servidor local parou várias vezes seguidas.',
      env: 'Não foi possível preparar o arranque do servidor local.',
    },
    log: 'Registo',
    buttons: ['Tentar novamente', 'Sair'],
  },
  en: {
    title: 'Clinic Front Desk: local server',
    reason: {
      'ready-timeout': 'The local server did not start in time.',
      'crash-loop': 'The local server stopped several times in a row.',
      env: 'The local server could not be prepared to start.',
    },
    log: 'Log',
    buttons: ['Try again', 'Quit'],
  },
} as const;

/**
 * The dialog for a failure.
 * @param reason the supervisor's failure reason
 * @param message the supervisor's technical message (shown in the detail)
 * @param logFile the log file's path (E3's setupLogging), or null when unknown
 * @param lang 'pt' or 'en'
 */
export function failureDialog(
  reason: SupervisorFailure,
  message: string,
  logFile: string | null,
  lang: 'pt' | 'en',
): FailureDialog {
  const t = TEXT[lang];
  return {
    title: t.title,
    message: t.reason[reason],
    detail: logFile ? `${message}\n\n${t.log}: ${logFile}` : message,
    buttons: [t.buttons[0], t.buttons[1]],
  };
}
