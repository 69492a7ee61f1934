import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { FlowsteadError } from '../../shared/errors.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { computeContentHash, signedBytes, SIGNATURE_ALGORITHM, type Bundle } from './bundle-format.js';
import { keyIdOf } from './keys.js';

export { keyIdOf, parsePublicKey } from './keys.js';
export { verifyBundle, type VerifiedBundle, type VerifyBundleOptions } from './verify-bundle.js';

/** The keychain account that holds this installation's bundle signing key (PKCS8 PEM). */
export const SIGNING_KEY_ACCOUNT = 'bundle-signing-key';

export interface SigningKey {
  privateKey: KeyObject;
  keyId: string;
  publicKeyPem: string;
}

function describe(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * Creates this installation's Ed25519 signing key and keeps the private half in the keychain.
 * An existing key is kept unless `replace` is set: servers that trust it would refuse new bundles.
 */
export async function generateSigningKey(
  secrets: SecretStore,
  options: { replace?: boolean } = {},
): Promise<{ keyId: string; publicKeyPem: string }> {
  if (!options.replace && (await secrets.get(SIGNING_KEY_ACCOUNT)) !== null) {
    throw new FlowsteadError(
      'SIGNING_KEY_EXISTS',
      'A bundle signing key already exists. Servers trust it by its public key; replace it only if it was lost or exposed, and then give the servers the new public key.',
    );
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  await secrets.set(SIGNING_KEY_ACCOUNT, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const { keyId, publicKeyPem } = describe(privateKey);
  return { keyId, publicKeyPem };
}

/** This installation's signing key, or null when none was generated yet. */
export async function loadSigningKey(secrets: SecretStore): Promise<SigningKey | null> {
  const pem = await secrets.get(SIGNING_KEY_ACCOUNT);
  if (pem === null) return null;
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new FlowsteadError(
      'SIGNING_KEY_INVALID',
      'The bundle signing key in the keychain cannot be read. Generate a new one under Settings › Bundle signing key and give the servers its public key.',
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new FlowsteadError(
      'SIGNING_KEY_INVALID',
      `The bundle signing key in the keychain is a ${privateKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519. Generate a new one under Settings › Bundle signing key.`,
    );
  }
  return describe(privateKey);
}

/** Returns the bundle with its content hash brought up to date and an Ed25519 signature over the manifest. */
export function signBundle(bundle: Bundle, privateKey: KeyObject | string): Bundle {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const { signature: _previous, ...unsigned } = bundle;
  const manifest = { ...unsigned.manifest, contentHash: computeContentHash(unsigned) };
  const { keyId, publicKeyPem } = describe(key);
  const value = sign(null, signedBytes(manifest), key).toString('base64');
  return {
    ...unsigned,
    manifest,
    signature: { algorithm: SIGNATURE_ALGORITHM, keyId, publicKey: publicKeyPem, value },
  };
}
