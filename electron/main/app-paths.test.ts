/** Small tests of the app's paths (./app-paths.ts): packaged, development and CFD_DATA_DIR. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPaths, demoEnv, serverPathEnv } from './app-paths.ts';

const p = (...parts: string[]) => path.resolve('/', ...parts);

describe('appPaths', () => {
  it('packaged: data in userData, models and wasm in resources, bundles in the app', () => {
    const paths = appPaths({
      packaged: true,
      userData: p('home/ana/.config/Clinic Front Desk'),
      mainDir: p('opt/cfd/resources/app.asar/dist/electron'),
      resourcesPath: p('opt/cfd/resources'),
      env: {},
    });
    expect(paths).toEqual({
      root: p('opt/cfd/resources/app.asar'),
      dataDir: p('home/ana/.config/Clinic Front Desk/data'),
      modelsDir: p('opt/cfd/resources/models'),
      wasmDir: p('opt/cfd/resources/wasm'),
      rendererDir: p('opt/cfd/resources/app.asar/dist/renderer'),
      serverEntry: p('opt/cfd/resources/app.asar/dist/clinic/main.mjs'),
      windowStateFile: p('home/ana/.config/Clinic Front Desk/window-state.json'),
    });
    expect(serverPathEnv(paths)).toEqual({
      CFD_DATA_DIR: paths.dataDir,
      CFD_MODELS_DIR: paths.modelsDir,
      CFD_RENDERER_DIR: paths.rendererDir,
      CFD_WASM_DIR: paths.wasmDir,
    });
  });

  it('development: the repository data/ and models/, no wasm override', () => {
    const paths = appPaths({
      packaged: false,
      userData: p('home/ana/.config/Electron'),
      mainDir: p('work/repo/dist/electron'),
      resourcesPath: p('work/repo/node_modules/electron/dist/resources'),
      env: { CFD_DATA_DIR: '  ' },
    });
    expect(paths.dataDir).toBe(p('work/repo/data'));
    expect(paths.modelsDir).toBe(p('work/repo/models'));
    expect(paths.wasmDir).toBeNull();
    expect(serverPathEnv(paths)).not.toHaveProperty('CFD_WASM_DIR');
  });

  it('CFD_DATA_DIR wins, packaged or not', () => {
    for (const packaged of [true, false])
      expect(
        appPaths({
          packaged,
          userData: p('u'),
          mainDir: p('a/dist/electron'),
          resourcesPath: p('r'),
          env: { CFD_DATA_DIR: p('tmp/d') },
        }).dataDir,
      ).toBe(p('tmp/d'));
  });
});

describe('demoEnv', () => {
  it('a packaged app starts without the demo clinic unless CFD_DEMO says otherwise; development keeps the default', () => {
    expect(demoEnv(true, {})).toEqual({ CFD_DEMO: '0' });
    expect(demoEnv(true, { CFD_DEMO: '1' })).toEqual({});
    expect(demoEnv(false, {})).toEqual({});
  });
});
