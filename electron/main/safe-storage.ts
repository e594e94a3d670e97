/**
 * The face key's `KeyProtector` (./face-key.ts) on Electron's `safeStorage`: Keychain on macOS, DPAPI on
 * Windows, libsecret or KWallet on Linux. Call after the app is ready (before that, Linux reports no
 * backend). The key travels as base64 text, since safeStorage encrypts strings.
 */
import { safeStorage } from 'electron';
import type { KeyProtector } from './face-key.ts';

/**
 * A protector backed by safeStorage. `isAvailable()` is false when encryption is unavailable, and on
 * Linux when the backend is `basic_text` (a hard-coded password, no real protection) or still `unknown`.
 */
export function safeStorageProtector(): KeyProtector {
  return {
    isAvailable: () =>
      safeStorage.isEncryptionAvailable() &&
      (process.platform !== 'linux' ||
        !['basic_text', 'unknown'].includes(safeStorage.getSelectedStorageBackend())),
    encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
    decrypt: (wrapped) => Buffer.from(safeStorage.decryptString(wrapped), 'base64'),
  };
}
