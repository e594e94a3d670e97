/** Small tests of the tray menu (./tray.ts): entries, screen radio items, actions, about, language. */
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { aboutText, TRAY_ICON_DATA_URL, trayLang, trayMenuTemplate, type TrayState } from './tray.ts';

const state: TrayState = {
  lang: 'pt',
  displays: [
    { id: 1, label: 'Built-in', primary: true },
    { id: 7, label: 'LG TV', primary: false },
  ],
  placement: { kiosk: 1, display: 7 },
  openAtLogin: false,
  server: 'ready',
  versions: { app: '0.1.0', electron: '41.7.1', chrome: '146.0.1', node: '24.1.0' },
};

function setup(s: TrayState = state) {
  const calls: unknown[][] = [];
  const rec =
    (name: string) =>
    (...args: unknown[]) =>
      void calls.push([name, ...args]);
  const menu = trayMenuTemplate(s, {
    openDesk: rec('openDesk'),
    restoreScreens: rec('restoreScreens'),
    moveWindow: rec('moveWindow'),
    setOpenAtLogin: rec('setOpenAtLogin'),
    showAbout: rec('showAbout'),
    restartServer: rec('restartServer'),
    quit: rec('quit'),
  });
  const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as () => void)();
  const byLabel = (label: string) => menu.find((m) => m.label === label);
  return { menu, calls, click, byLabel };
}

describe('trayMenuTemplate', () => {
  it('lists the entries in PT-PT', () => {
    const { menu } = setup();
    expect(menu.map((m) => m.label ?? m.type)).toEqual([
      'Abrir receção',
      'Repor check-in e sala de espera',
      'separator',
      'Ecrã da sala de espera',
      'Ecrã do check-in',
      'separator',
      'Iniciar com o sistema',
      'Servidor local: a funcionar',
      'Reiniciar o servidor local',
      'separator',
      'Acerca do Clinic Front Desk',
      'Sair',
    ]);
  });

  it('the screen submenus are radio items checked where each window is, and move it when clicked', () => {
    const { byLabel, calls, click } = setup();
    const display = byLabel('Ecrã da sala de espera')!.submenu as MenuItemConstructorOptions[];
    expect(display.map((d) => [d.label, d.type, d.checked])).toEqual([
      ['1. Built-in (principal)', 'radio', false],
      ['2. LG TV', 'radio', true],
    ]);
    const kiosk = byLabel('Ecrã do check-in')!.submenu as MenuItemConstructorOptions[];
    expect(kiosk.map((d) => d.checked)).toEqual([true, false]);
    click(display[0]);
    click(kiosk[1]);
    expect(calls).toEqual([
      ['moveWindow', 'display', 1],
      ['moveWindow', 'kiosk', 7],
    ]);
  });

  it('start at login toggles, about, open desk and quit call their actions', () => {
    const { byLabel, calls, click } = setup();
    expect(byLabel('Iniciar com o sistema')).toMatchObject({ type: 'checkbox', checked: false });
    click(byLabel('Iniciar com o sistema'));
    click(byLabel('Acerca do Clinic Front Desk'));
    click(byLabel('Abrir receção'));
    click(byLabel('Repor check-in e sala de espera'));
    click(byLabel('Sair'));
    expect(calls).toEqual([
      ['setOpenAtLogin', true],
      ['showAbout'],
      ['openDesk'],
      ['restoreScreens'],
      ['quit'],
    ]);
    const on = setup({ ...state, openAtLogin: true });
    on.click(on.byLabel('Iniciar com o sistema'));
    expect(on.calls).toEqual([['setOpenAtLogin', false]]);
  });

  it('restarting the server is offered only after it failed', () => {
    expect(setup().byLabel('Reiniciar o servidor local')!.enabled).toBe(false);
    const failed = setup({ ...state, server: 'failed' });
    expect(failed.byLabel('Servidor local: parado por erro')!.enabled).toBe(false);
    expect(failed.byLabel('Reiniciar o servidor local')!.enabled).toBe(true);
    failed.click(failed.byLabel('Reiniciar o servidor local'));
    expect(failed.calls).toEqual([['restartServer']]);
  });

  it('English labels', () => {
    const { menu } = setup({ ...state, lang: 'en' });
    expect(menu.map((m) => m.label).filter(Boolean)).toEqual([
      'Open the desk',
      'Restore the kiosk and display',
      'Waiting-room display screen',
      'Check-in kiosk screen',
      'Start at login',
      'Local server: running',
      'Restart the local server',
      'About Clinic Front Desk',
      'Quit',
    ]);
  });
});

describe('about, language and icon', () => {
  it('shows the app, Electron, Chromium and Node versions', () => {
    expect(aboutText(state.versions)).toBe(
      'Clinic Front Desk 0.1.0\nElectron 41.7.1\nChromium 146.0.1\nNode.js 24.1.0',
    );
  });
  it('picks Portuguese for pt-*', () => {
    expect(['pt-PT', 'pt', 'PT-BR', 'en-GB', 'fr'].map(trayLang)).toEqual(['pt', 'pt', 'pt', 'en', 'en']);
  });
  it('the icon is a 16 × 16 PNG', () => {
    const png = Buffer.from(TRAY_ICON_DATA_URL.split(',')[1]!, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([16, 16]);
  });
});
