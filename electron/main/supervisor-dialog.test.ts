/** Small tests of the supervisor's failure dialog (./supervisor-dialog.ts). */
import { describe, expect, it } from 'vitest';
import { failureDialog } from './supervisor-dialog.ts';

describe('failureDialog', () => {
  it('says what failed, with the technical message and the log path, and offers Try again / Quit', () => {
    expect(failureDialog('ready-timeout', 'no ready within 20 s', '/logs/main.log', 'pt')).toEqual({
      title: 'Clinic Front Desk: servidor local',
      message: 'O servidor local não arrancou a tempo.',
      detail: 'no ready within 20 s\n\nRegisto: /logs/main.log',
      buttons: ['Tentar novamente', 'Sair'],
    });
  });

  it('English, and without a log path', () => {
    expect(failureDialog('crash-loop', 'exited 5 times', null, 'en')).toEqual({
      title: 'Clinic Front Desk: local server',
      message: 'The local server stopped several times in a row.',
      detail: 'exited 5 times',
      buttons: ['Try again', 'Quit'],
    });
    expect(failureDialog('env', 'bad key', null, 'en').message).toBe(
      'The local server could not be prepared to start.',
    );
  });
});
