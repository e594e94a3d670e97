/**
 * What the clinic server's features are given (dependency injection, no globals): the database and the
 * one clock, the change bus, and the face engine with its key and the kiosks' live sequences. `main.ts`
 * builds them for the real server, `testing/harness.ts` for tests.
 */
import type { DbContext } from './db/database.ts';
import type { FaceEngine } from './face/engine.ts';
import type { FaceKeyStore } from './face/key-store.ts';
import type { KioskSessions } from './features/kiosk/sessions.ts';
import type { ChangeBus } from './lib/events.ts';

/** The database, the clock (`now()`, ms since epoch) and the change bus the screens' streams follow. */
export interface ClinicDeps extends DbContext {
  events: ChangeBus;
}

/** ClinicDeps plus the face engine, the descriptor key and the kiosks' live-sequence state. */
export interface FaceDeps extends ClinicDeps {
  /** The engine once its worker has loaded the models; null while starting or when it failed. */
  engine: () => FaceEngine | null;
  /** 32-byte AES-256-GCM key for descriptors (server/clinic/face/crypto.ts); replaced by a rotation. */
  faceKey: Buffer;
  /** Where the key is kept (face/key-store.ts), for rotation by the running server; absent in tests. */
  faceKeyStore?: FaceKeyStore;
  kioskSessions: KioskSessions;
}
