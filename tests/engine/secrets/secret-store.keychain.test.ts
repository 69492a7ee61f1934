import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKeychainSecretStore } from '../../../src/engine/secrets/secret-store.js';

// These tests talk to a real gnome-keyring in a private D-Bus session (scripts/with-keychain.sh).
const service = `Flowstead-test-${process.pid}`;

describe('OS keychain secret store', () => {
  it('stores, reads, updates, lists and deletes a secret', async () => {
    const store = createKeychainSecretStore({ service });
    expect(await store.get('okta-prod')).toBeNull();
    await store.set('okta-prod', 's3cr3t-token');
    expect(await store.get('okta-prod')).toBe('s3cr3t-token');
    await store.set('okta-prod', 'rotated-token');
    expect(await store.get('okta-prod')).toBe('rotated-token');
    await store.set('okta-test', 'other');
    expect(await store.list()).toEqual(['okta-prod', 'okta-test']);
    expect(await store.delete('okta-prod')).toBe(true);
    expect(await store.get('okta-prod')).toBeNull();
    expect(await store.delete('okta-prod')).toBe(false);
    await store.delete('okta-test');
  });

  it('keeps the secrets of two apps apart', async () => {
    const a = createKeychainSecretStore({ service: `${service}-a` });
    const b = createKeychainSecretStore({ service: `${service}-b` });
    await a.set('conn', 'for-a');
    expect(await b.get('conn')).toBeNull();
    await a.delete('conn');
  });

  it('refuses empty account names', async () => {
    await expect(createKeychainSecretStore({ service }).set('', 'x')).rejects.toMatchObject({ code: 'SECRET_ACCOUNT' });
  });

  it('explains what to do when no keychain is reachable, without the secret', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstead-nokeychain-'));
    const script = path.join(dir, 'probe.ts');
    const module = path.resolve(__dirname, '../../../src/engine/secrets/secret-store.ts');
    fs.writeFileSync(
      script,
      `import { createKeychainSecretStore } from ${JSON.stringify(module)};
       createKeychainSecretStore({ service: 'probe' }).set('conn', 'TOPSECRET-VALUE')
         .then(() => console.log('stored'), (e) => console.log(e.code + ': ' + e.message));`,
    );
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '' };
    const output = execFileSync(process.execPath, ['--import', 'tsx', script], {
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(output).toContain('KEYCHAIN_UNAVAILABLE');
    expect(output).toContain('gnome-keyring');
    expect(output).not.toContain('TOPSECRET-VALUE');
  });
});
