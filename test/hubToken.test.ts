// The Hub access token in Electron (electron/hubToken.ts) against a stand-in safeStorage: kept only
// encrypted in its file, read back, forgotten; refused where the OS offers no encryption (nothing
// written in plain text).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from './fixtures';

const os = vi.hoisted(() => ({ available: true, backend: 'gnome_libsecret' }));
vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => os.available,
    getSelectedStorageBackend: () => os.backend,
    // A reversible stand-in for the OS keychain's encryption: bytes reversed and XORed.
    encryptString: (s: string) => Buffer.from(Buffer.from(`enc:${s}`).map((b) => b ^ 0x5a).reverse()),
    decryptString: (b: Buffer) => Buffer.from(Buffer.from(b).reverse().map((x) => x ^ 0x5a)).toString().replace(/^enc:/, ''),
  },
}));

const { safeStorageSecrets } = await import('../electron/hubToken');

describe('the access token in Electron', () => {
  const dir = tempDir('shirabe-token-');
  const file = join(dir, 'hub-token.bin');
  beforeEach(() => {
    os.available = true;
    os.backend = 'gnome_libsecret';
  });

  it('keeps the token encrypted, reads it back and forgets it', () => {
    const store = safeStorageSecrets(file);
    expect(store.get()).toBeNull();
    store.set('hf_abcdef');
    expect(readFileSync(file).includes('hf_abcdef')).toBe(false);
    expect(store.get()).toBe('hf_abcdef');
    store.set(null);
    expect(existsSync(file)).toBe(false);
    expect(store.get()).toBeNull();
  });

  it('refuses to keep a token where the OS cannot encrypt it, writing nothing', () => {
    const store = safeStorageSecrets(join(dir, 'none.bin'));
    os.available = false;
    expect(() => store.set('hf_x')).toThrow(expect.objectContaining({ code: 'hubTokenStoreUnavailable' }));
    // Linux without a keyring: Electron falls back to a hard-coded key, no better than plain text.
    os.available = true;
    os.backend = 'basic_text';
    if (process.platform === 'linux') expect(() => store.set('hf_x')).toThrow(expect.objectContaining({ code: 'hubTokenStoreUnavailable' }));
    expect(existsSync(join(dir, 'none.bin'))).toBe(false);
  });
});
