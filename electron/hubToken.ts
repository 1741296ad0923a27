// The Hub access token in Electron: encrypted with the OS keychain (safeStorage: Keychain on macOS,
// DPAPI on Windows, libsecret/kwallet on Linux) into a file in userData, never into a project or the
// settings. Where the OS offers no encryption (a Linux session without a keyring), nothing is kept
// in plain text: the user is told to set HF_TOKEN instead.
import { safeStorage } from 'electron';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ShirabeError } from '../common/errors';
import type { SecretStore } from '../main/services/hub';

export function safeStorageSecrets(file: string): SecretStore {
  return {
    get() {
      if (!existsSync(file) || !safeStorage.isEncryptionAvailable()) return null;
      try {
        return safeStorage.decryptString(readFileSync(file));
      } catch {
        return null;
      }
    },
    set(token) {
      if (token === null) {
        rmSync(file, { force: true });
        return;
      }
      // On Linux, 'basic_text' means a hard-coded key: no better than plain text.
      const weak = process.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text';
      if (!safeStorage.isEncryptionAvailable() || weak) {
        throw new ShirabeError('hubTokenStoreUnavailable', { detail: 'the operating system offers no keychain to encrypt it with' });
      }
      writeFileSync(file, safeStorage.encryptString(token), { mode: 0o600 });
    },
  };
}
