import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKeychainSecretStore, type SecretStore } from '../../../src/engine/secrets/secret-store.js';

// These tests talk to a real gnome-keyring in a private D-Bus session: run them through
// `npm run test:keychain` (scripts/with-keychain.sh), never against a developer's own keyring.
const service = `Flowstead-test-${process.pid}`;
const secretStoreModule = fileURLToPath(new URL('../../../src/engine/secrets/secret-store.ts', import.meta.url));

/** Stores used by a test, emptied afterwards so a failed run leaves nothing behind. */
const used: SecretStore[] = [];
function storeFor(name: string): SecretStore {
  const store = createKeychainSecretStore({ service: name });
  used.push(store);
  return store;
}

beforeAll(() => {
  if (process.env.FLOWSTEAD_THROWAWAY_KEYCHAIN !== '1') {
    throw new Error('Keychain tests write real secrets: run them with `npm run test:keychain` (throwaway keyring).');
  }
});

afterEach(async () => {
  for (const store of used.splice(0)) {
    for (const account of await store.list()) await store.delete(account);
  }
});

describe('OS keychain secret store', () => {
  it('stores, reads, updates and deletes a secret', async () => {
    const store = storeFor(service);
    expect(await store.get('okta-prod')).toBeNull();
    await store.set('okta-prod', 's3cr3t-token');
    expect(await store.get('okta-prod')).toBe('s3cr3t-token');
    await store.set('okta-prod', 'rotated-token');
    expect(await store.get('okta-prod')).toBe('rotated-token');
    expect(await store.delete('okta-prod')).toBe(true);
    expect(await store.get('okta-prod')).toBeNull();
  });

  it('lists the accounts that have a secret, sorted', async () => {
    const store = storeFor(service);
    expect(await store.list()).toEqual([]);
    await store.set('okta-test', 'b');
    await store.set('entra-prod', 'a');
    expect(await store.list()).toEqual(['entra-prod', 'okta-test']);
  });

  it('keeps secrets with unusual characters intact', async () => {
    const store = storeFor(service);
    const secret = 'päss wörd "quoted" \\ {"json":true} 🔑';
    await store.set('conn-unicode', secret);
    expect(await store.get('conn-unicode')).toBe(secret);
  });

  it('returns false when deleting an account that has no secret', async () => {
    expect(await storeFor(service).delete('never-stored')).toBe(false);
  });

  it('keeps the secrets of two services apart', async () => {
    const a = storeFor(`${service}-a`);
    const b = storeFor(`${service}-b`);
    await a.set('conn', 'for-a');
    await b.set('other', 'for-b');
    expect(await b.get('conn')).toBeNull();
    expect(await a.get('other')).toBeNull();
    expect(await a.list()).toEqual(['conn']);
    expect(await b.list()).toEqual(['other']);
    expect(await b.delete('conn')).toBe(false);
    expect(await a.get('conn')).toBe('for-a');
  });

  it('refuses empty and overlong account names', async () => {
    const store = storeFor(service);
    await expect(store.set('', 'x')).rejects.toMatchObject({ code: 'SECRET_ACCOUNT' });
    await expect(store.get('c'.repeat(201))).rejects.toMatchObject({ code: 'SECRET_ACCOUNT' });
  });

  it('explains what to do when no keychain is reachable, without the secret', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstead-nokeychain-'));
    try {
      const probe = path.join(dir, 'probe.ts');
      // process.report lists the shared objects loaded so far: keytar.node must load only on first use.
      fs.writeFileSync(
        probe,
        `import { createKeychainSecretStore } from ${JSON.stringify(secretStoreModule)};
         const keytarLoaded = () =>
           (process.report.getReport() as { sharedObjects: string[] }).sharedObjects.some((f) => f.endsWith('keytar.node'));
         console.log('keytar loaded on import: ' + keytarLoaded());
         createKeychainSecretStore({ service: 'probe' })
           .set('conn', 'TOPSECRET-VALUE')
           .then(() => console.log('stored'), (e) => console.log(e.code + ': ' + e.message));`,
      );
      const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' };
      delete env.DISPLAY;
      const child = spawnSync(process.execPath, ['--import', 'tsx', probe], { env, encoding: 'utf8', timeout: 30_000 });
      const output = `${child.stdout}${child.stderr}`;
      expect(child.status, output).toBe(0);
      expect(output).toContain('keytar loaded on import: false');
      expect(output).toContain('KEYCHAIN_UNAVAILABLE: The OS keychain could not be reached');
      expect(output).toContain('install and unlock a Secret Service provider such as gnome-keyring');
      expect(output).not.toContain('stored');
      expect(output).not.toContain('TOPSECRET-VALUE');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
