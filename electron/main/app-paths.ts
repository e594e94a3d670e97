/**
 * Where the app's files are (issue 11 part 1), as a pure function of Electron's facts so it is
 * unit-tested. The data folder (SQLite, keys, prints) is in the OS user-data path when packaged
 * (`<userData>/data`: %APPDATA%\Clinic Front Desk\data, ~/Library/Application Support/…,
 * ~/.config/…), the repository's `data/` in development, and `CFD_DATA_DIR` when set (tests, support).
 * Packaged, the face models and the WASM backend lie beside app.asar in `resources/` (electron-builder.yml
 * extraResources); the bundles (server, renderer) are inside the app folder.
 */
import path from 'node:path';

/** What Electron tells main. */
export interface AppPathsInput {
  /** app.isPackaged */
  packaged: boolean;
  /** app.getPath('userData') */
  userData: string;
  /** Folder of main's bundle (dist/electron inside the app folder or the repository). */
  mainDir: string;
  /** process.resourcesPath (packaged: the folder holding app.asar and the extra resources). */
  resourcesPath: string;
  /** process.env */
  env: NodeJS.ProcessEnv;
}

/** The app's paths, all absolute. */
export interface AppPaths {
  /** The app (or repository) root: two levels above main's bundle. */
  root: string;
  /** The local server's data folder (CFD_DATA_DIR for the server). */
  dataDir: string;
  /** Face-api weights (CFD_MODELS_DIR). */
  modelsDir: string;
  /** The tfjs WASM binaries (CFD_WASM_DIR) when packaged; null in development (the server's default). */
  wasmDir: string | null;
  /** The built pages (CFD_RENDERER_DIR). */
  rendererDir: string;
  /** The bundled local server, forked as a utility process. */
  serverEntry: string;
  /** The remembered window state (./screens-store.ts). */
  windowStateFile: string;
}

/**
 * Resolves the app's paths (rules in the module comment).
 * @param input Electron's facts; an empty CFD_DATA_DIR counts as unset
 */
export function appPaths(input: AppPathsInput): AppPaths {
  const root = path.resolve(input.mainDir, '..', '..');
  const override = input.env.CFD_DATA_DIR?.trim();
  const dataDir = override
    ? path.resolve(override)
    : input.packaged
      ? path.join(input.userData, 'data')
      : path.join(root, 'data');
  return {
    root,
    dataDir,
    modelsDir: input.packaged ? path.join(input.resourcesPath, 'models') : path.join(root, 'models'),
    wasmDir: input.packaged ? path.join(input.resourcesPath, 'wasm') : null,
    rendererDir: path.join(root, 'dist', 'renderer'),
    serverEntry: path.join(root, 'dist', 'clinic', 'main.mjs'),
    windowStateFile: path.join(input.userData, 'window-state.json'),
  };
}

/**
 * The environment variables main passes to the local server for these paths.
 * @param paths from appPaths
 */
export function serverPathEnv(paths: AppPaths): Record<string, string> {
  return {
    CFD_DATA_DIR: paths.dataDir,
    CFD_MODELS_DIR: paths.modelsDir,
    CFD_RENDERER_DIR: paths.rendererDir,
    ...(paths.wasmDir ? { CFD_WASM_DIR: paths.wasmDir } : {}),
  };
}

/**
 * Whether the local server seeds the demo clinic: a packaged app starts empty (the desk's first-run setup),
 * unless CFD_DEMO is set; in development the server's default (the demo) stays.
 * @returns the CFD_DEMO variable to add to the server's environment, or nothing
 */
export function demoEnv(packaged: boolean, env: NodeJS.ProcessEnv): Record<string, string> {
  return packaged && (env.CFD_DEMO ?? '') === '' ? { CFD_DEMO: '0' } : {};
}
