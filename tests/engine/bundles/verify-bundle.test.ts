import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeBundle, type Bundle } from '../../../src/engine/bundles/bundle-format.js';
import { createBundle } from '../../../src/engine/bundles/export-bundle.js';
import {
  generateSigningKey,
  keyIdOf,
  loadSigningKey,
  SIGNING_KEY_ACCOUNT,
  signBundle,
  verifyBundle,
  type SigningKey,
} from '../../../src/engine/bundles/signing.js';
import { caught, rejected } from '../../support/caught.js';
import { openWorkspace, seedJoiner, type Workspace } from '../../fixtures/bundles/workspace.js';

let workspace: Workspace;
let key: SigningKey;
let signed: Bundle;
let text: string;

beforeEach(async () => {
  workspace = openWorkspace();
  await seedJoiner(workspace);
  await generateSigningKey(workspace.secrets);
  key = (await loadSigningKey(workspace.secrets))!;
  const bundle = createBundle(workspace.sources, { flowIds: ['joiner'], name: 'Joiner', version: '1.0.0' });
  signed = signBundle(bundle, key.privateKey);
  text = serializeBundle(signed);
});
afterEach(() => workspace.close());

const trusting = () => ({ trustedKeys: [key.publicKeyPem] });
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests damage the file anywhere, as an attacker would
type LooseJson = any;

/** The bundle file as JSON, changed by `edit`, written back. */
function edited(edit: (json: LooseJson) => void): string {
  const json = JSON.parse(text) as LooseJson;
  edit(json);
  return JSON.stringify(json, null, 2);
}

describe('signing keys', () => {
  it('keeps the private key in the secret store and gives out the public key and its id', async () => {
    const pem = await workspace.secrets.get(SIGNING_KEY_ACCOUNT);
    expect(pem).toContain('BEGIN PRIVATE KEY');
    expect(key.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(key.keyId).toMatch(/^[0-9a-f]{32}$/);
    expect(keyIdOf(key.publicKeyPem)).toBe(key.keyId);
    expect(signed.signature).toMatchObject({ algorithm: 'ed25519', keyId: key.keyId, publicKey: key.publicKeyPem });
  });

  it('does not replace an existing key unless asked', async () => {
    expect((await rejected(generateSigningKey(workspace.secrets))).code).toBe('SIGNING_KEY_EXISTS');
    const replaced = await generateSigningKey(workspace.secrets, { replace: true });
    expect(replaced.keyId).not.toBe(key.keyId);
  });
});

describe('verifyBundle', () => {
  it('accepts a bundle signed by a trusted key', () => {
    const { bundle, signedBy } = verifyBundle(text, trusting());
    expect(signedBy).toBe(key.keyId);
    expect(bundle.flows).toEqual(signed.flows);
    expect(bundle.manifest).toEqual(signed.manifest);
  });

  it('accepts the public key as base64 SPKI in the bundle', () => {
    const der = Buffer.from(key.publicKeyPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64').toString(
      'base64',
    );
    const changed = edited((json) => {
      json.signature.publicKey = der;
    });
    expect(verifyBundle(changed, trusting()).signedBy).toBe(key.keyId);
  });

  it('refuses a changed flow as tampered', () => {
    const changed = edited((json) => {
      json.flows[0].nodes[1].inputs.userId.value = 'mallory@evil.test';
    });
    const error = caught(() => verifyBundle(changed, trusting()));
    expect(error.code).toBe('BUNDLE_TAMPERED');
    expect(error.message).toMatch(/changed after export/);
  });

  it('refuses a changed manifest as a bad signature', () => {
    const changed = edited((json) => {
      json.manifest.connections[0].settings = { orgUrl: 'https://evil.example.com' };
    });
    const error = caught(() => verifyBundle(changed, trusting()));
    expect(error.code).toBe('BUNDLE_BAD_SIGNATURE');
    expect(error.message).toContain(key.keyId);
  });

  it('refuses an unsigned bundle unless unsigned bundles are allowed', () => {
    const unsigned = edited((json) => {
      delete json.signature;
    });
    const error = caught(() => verifyBundle(unsigned, trusting()));
    expect(error.code).toBe('BUNDLE_UNSIGNED');
    expect(error.message).toContain('--allow-unsigned');
    expect(error.message).toMatch(/Sign it in Flowstead/);
    expect(verifyBundle(unsigned, { trustedKeys: [], allowUnsigned: true }).signedBy).toBeNull();
  });

  it('still checks the content hash of an allowed unsigned bundle', () => {
    const changed = edited((json) => {
      delete json.signature;
      json.flows[0].name = 'Renamed';
    });
    expect(caught(() => verifyBundle(changed, { trustedKeys: [], allowUnsigned: true })).code).toBe('BUNDLE_TAMPERED');
  });

  it('refuses a key it does not trust, naming the key id and how to trust it', () => {
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const error = caught(() => verifyBundle(text, { trustedKeys: [other] }));
    expect(error.code).toBe('BUNDLE_UNTRUSTED_KEY');
    expect(error.message).toContain(key.keyId);
    expect(error.message).toMatch(/trusted keys/);
  });

  it('refuses a bundle re-signed by another key that claims the trusted key id', () => {
    const mallory = generateKeyPairSync('ed25519');
    const resigned = signBundle({ ...signed, manifest: { ...signed.manifest, name: 'Evil' } }, mallory.privateKey);
    const changed = serializeBundle({
      ...resigned,
      signature: { ...resigned.signature!, keyId: key.keyId, publicKey: key.publicKeyPem },
    });
    expect(caught(() => verifyBundle(changed, trusting())).code).toBe('BUNDLE_BAD_SIGNATURE');
  });

  it('says a truncated file was not copied completely', () => {
    const error = caught(() => verifyBundle(text.slice(0, Math.floor(text.length / 2)), trusting()));
    expect(error.code).toBe('BUNDLE_NOT_JSON');
    expect(error.message).toContain('the file ends early — was it copied completely?');
    const garbled = caught(() => verifyBundle('{"format": flowstead}', trusting()));
    expect(garbled.code).toBe('BUNDLE_NOT_JSON');
    expect(garbled.message).not.toContain('ends early');
  });

  it('asks for a newer runner when the format or flow schema version is newer', () => {
    const newerFormat = caught(() =>
      verifyBundle(
        edited((json) => {
          json.formatVersion = 2;
          json.flows = 'something new';
        }),
        trusting(),
      ),
    );
    expect(newerFormat.code).toBe('BUNDLE_VERSION');
    expect(newerFormat.message).toMatch(/[Uu]pdate flowstead-runner/);

    const newerSchema = caught(() =>
      verifyBundle(
        edited((json) => {
          json.manifest.schemaVersion = 99;
        }),
        trusting(),
      ),
    );
    expect(newerSchema.code).toBe('BUNDLE_VERSION');
    expect(newerSchema.details).toMatchObject({ field: 'manifest.schemaVersion' });
  });

  it('names the field of a format problem', () => {
    const error = caught(() =>
      verifyBundle(
        edited((json) => {
          json.manifest.entryFlows[0].trigger = { kind: 'teleport' };
        }),
        trusting(),
      ),
    );
    expect(error.code).toBe('BUNDLE_FORMAT');
    expect(error.message).toContain('manifest.entryFlows.0.trigger');
    expect(caught(() => verifyBundle('[1, 2]', trusting())).code).toBe('BUNDLE_FORMAT');
    expect(caught(() => verifyBundle('{"format":"zip"}', trusting())).code).toBe('BUNDLE_FORMAT');
  });

  it('lists every unknown card type at once', async () => {
    const bundle = createBundle(workspace.sources, { flowIds: ['joiner'], name: 'Joiner', version: '1.0.0' });
    const withUnknown: Bundle = {
      ...bundle,
      // Without its connector, the custom connector's card is unknown too.
      connectors: [],
      flows: bundle.flows.map((f) =>
        f.id === 'joiner' ? { ...f, nodes: [...f.nodes, { ...f.nodes[0]!, id: 'odd1', type: 'quantum.teleport' }] } : f,
      ),
    };
    const resigned = serializeBundle(signBundle(withUnknown, key.privateKey));
    const error = caught(() => verifyBundle(resigned, trusting()));
    expect(error.code).toBe('BUNDLE_UNKNOWN_CARD');
    expect(error.message).toContain('quantum.teleport');
    expect(error.message).toContain('hr-portal.getEmployee');
    expect((error.details as { cards: unknown[] }).cards).toHaveLength(2);
  });

  it('refuses a file over the size limit before parsing it', () => {
    expect(caught(() => verifyBundle(text, { ...trusting(), maxBytes: 100 })).code).toBe('BUNDLE_TOO_LARGE');
  });
});
