/** Process configuration, parsed once with zod at start (CONVENTIONS §8). */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { defaultFaceKeyFile } from './face/key-store.ts';
import { ROOT_DIR } from './paths.ts';

const envSchema = z.object({
  /** 0 = any free port (printed, and sent to a parent process in the `ready` message). */
  CFD_PORT: z.coerce.number().int().min(0).max(65535).default(4310),
  /** Bind address; 127.0.0.1 unless LAN screens are deliberately enabled. */
  CFD_HOST: z.string().default('127.0.0.1'),
  /** Extra Host header names accepted (comma-separated), e.g. the clinic server's LAN name. */
  CFD_ALLOWED_HOSTS: z.string().default(''),
  CFD_DATA_DIR: z.string().default(path.join(ROOT_DIR, 'data')),
  /** Database file; defaults to <data dir>/clinic.sqlite. */
  CFD_DB: z.string().optional(),
  /** Per-launch API token; random when unset. */
  CFD_TOKEN: z.string().min(16).optional(),
  CFD_MODELS_DIR: z.string().default(path.join(ROOT_DIR, 'models')),
  CFD_RENDERER_DIR: z.string().default(path.join(ROOT_DIR, 'dist', 'renderer')),
  /** Seed the demo clinic into an empty database (1) or leave it empty (0). */
  CFD_DEMO: z.enum(['0', '1']).default('1'),
  /**
   * Descriptor key, base64 of 32 bytes, given by the environment (e.g. by the Electron app after
   * unwrapping it with safeStorage); never written to disk. Wins over the key file.
   */
  CFD_FACE_KEY: z.string().optional(),
  /**
   * 1 = the Electron app keeps CFD_FACE_KEY wrapped by the OS (electron/main/face-key.ts) and writes a
   * rotated key when asked over the parent port; with it may come CFD_FACE_KEY_NEXT, the new key of a
   * rotation a crash interrupted.
   */
  CFD_FACE_KEY_WRAPPED: z.enum(['0', '1']).default('0'),
  CFD_FACE_KEY_NEXT: z.string().optional(),
  /** Descriptor key file; defaults to <data dir>/keys/face.key (folder 0700, file 0600). */
  CFD_FACE_KEY_FILE: z.string().optional(),
  /** Start without the face engine (0) — for tests of the desk and display only. */
  CFD_FACE: z.enum(['0', '1']).default('1'),
  /** The central API's base URL for sync pairing (a stored <data dir>/keys/sync.json wins). */
  CFD_CENTRAL_URL: z.string().url().optional(),
  /**
   * Largest sync backoff wait after failures, ms (default 300 000 = 5 min). Tests that stop and restart
   * central set a few seconds so the clinic comes back soon after central does.
   */
  CFD_SYNC_BACKOFF_MAX_MS: z.coerce.number().int().min(1_000).max(300_000).optional(),
});

/** The parsed configuration. */
export type Env = {
  port: number;
  host: string;
  allowedHosts: string[];
  dataDir: string;
  dbFile: string;
  token: string;
  modelsDir: string;
  rendererDir: string;
  demo: boolean;
  face: boolean;
  /** Base64 descriptor key from CFD_FACE_KEY, when given. */
  faceKey?: string;
  /** Whether the Electron app holds `faceKey` wrapped (and saves a rotated one). */
  faceKeyWrapped: boolean;
  /** Base64 pending key of an interrupted rotation, from CFD_FACE_KEY_NEXT (with `faceKeyWrapped`). */
  faceKeyNext?: string;
  /** Key file used when `faceKey` is not given. */
  faceKeyFile: string;
  /** Central's base URL from CFD_CENTRAL_URL, when given. */
  centralUrl?: string;
  /** The sync backoff's cap from CFD_SYNC_BACKOFF_MAX_MS, ms, when given. */
  syncBackoffMaxMs?: number;
};

/** Parses the process environment once. @throws ZodError naming the bad variable */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const e = envSchema.parse(source);
  return {
    port: e.CFD_PORT,
    host: e.CFD_HOST,
    allowedHosts: [
      '127.0.0.1',
      'localhost',
      '::1',
      ...e.CFD_ALLOWED_HOSTS.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ],
    dataDir: e.CFD_DATA_DIR,
    dbFile: e.CFD_DB ?? path.join(e.CFD_DATA_DIR, 'clinic.sqlite'),
    token: e.CFD_TOKEN ?? randomBytes(24).toString('base64url'),
    modelsDir: e.CFD_MODELS_DIR,
    rendererDir: e.CFD_RENDERER_DIR,
    demo: e.CFD_DEMO === '1',
    face: e.CFD_FACE === '1',
    ...(e.CFD_FACE_KEY ? { faceKey: e.CFD_FACE_KEY } : {}),
    faceKeyWrapped: e.CFD_FACE_KEY_WRAPPED === '1',
    ...(e.CFD_FACE_KEY_NEXT ? { faceKeyNext: e.CFD_FACE_KEY_NEXT } : {}),
    faceKeyFile: e.CFD_FACE_KEY_FILE ?? defaultFaceKeyFile(e.CFD_DATA_DIR),
    ...(e.CFD_CENTRAL_URL ? { centralUrl: e.CFD_CENTRAL_URL } : {}),
    ...(e.CFD_SYNC_BACKOFF_MAX_MS ? { syncBackoffMaxMs: e.CFD_SYNC_BACKOFF_MAX_MS } : {}),
  };
}
