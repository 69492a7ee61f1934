import { verify, type KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { FlowsteadError } from '../../shared/errors.js';
import { FLOW_SCHEMA_VERSION } from '../../shared/flow/schema.js';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  bundleSchema,
  computeContentHash,
  signedBytes,
  type Bundle,
} from './bundle-format.js';
import { cardLabel, descriptorLookup } from './card-references.js';
import { keyIdOf, parsePublicKey } from './keys.js';

export interface VerifyBundleOptions {
  /** PEM public keys whose bundles this runner accepts. */
  trustedKeys: string[];
  /** Accept bundles without a signature (their content hash is still checked). */
  allowUnsigned?: boolean;
  /** Refuse larger files before parsing them; default 64 MiB. */
  maxBytes?: number;
}

export interface VerifiedBundle {
  bundle: Bundle;
  /** The key id of the trusted key that signed it; null for an allowed unsigned bundle. */
  signedBy: string | null;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Checks a bundle file before anything in it is used: JSON, format version, shape, content hash,
 * signature by a trusted key, and that every card type is known. Each refusal has its own code.
 */
export function verifyBundle(text: string, options: VerifyBundleOptions): VerifiedBundle {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) {
    throw new FlowsteadError(
      'BUNDLE_TOO_LARGE',
      `The bundle is ${size} bytes, more than the limit of ${maxBytes}. Check that this is the right file, or raise the limit.`,
      { size, maxBytes },
    );
  }
  const raw = parseJson(text);
  checkVersions(raw);

  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success) throw formatProblem(parsed.error);
  const bundle = parsed.data;
  checkConsistency(bundle);

  // The signature vouches for the manifest, and the manifest's hash for the rest. The hash covers
  // the file as written (before defaults are filled in), so any edit shows.
  const rawBundle = raw as { manifest: Record<string, unknown>; flows: unknown; connectors: unknown; tables: unknown };
  const signedBy = checkSignature(bundle, rawBundle.manifest, options);
  const actual = computeContentHash(rawBundle);
  if (actual !== bundle.manifest.contentHash) {
    throw new FlowsteadError(
      'BUNDLE_TAMPERED',
      `The bundle's content does not match its manifest (content hash ${actual}, manifest says ${bundle.manifest.contentHash}): it was changed after export. Export it again from Flowstead and do not edit the file.`,
      { expected: bundle.manifest.contentHash, actual },
    );
  }

  checkCardTypes(bundle);
  return { bundle, signedBy };
}

function parseJson(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const trimmed = body.trimEnd();
    const truncated = trimmed === '' || !/[}\]]$/.test(trimmed) || /end of (JSON )?input/i.test(reason);
    const hint = truncated
      ? 'the file ends early — was it copied completely?'
      : 'export the bundle again from Flowstead and do not edit it by hand.';
    throw new FlowsteadError('BUNDLE_NOT_JSON', `The bundle is not valid JSON (${reason}): ${hint}`, {
      reason,
      truncated,
    });
  }
}

/** Versions first: a newer bundle may have a shape this build cannot describe. */
function checkVersions(raw: unknown): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new FlowsteadError('BUNDLE_FORMAT', 'The file is JSON but not a Flowstead bundle (expected an object).');
  }
  const record = raw as Record<string, unknown>;
  if (record.format !== BUNDLE_FORMAT) {
    throw new FlowsteadError(
      'BUNDLE_FORMAT',
      `The file is not a Flowstead bundle: \`format\` is ${JSON.stringify(record.format) ?? 'missing'}, expected "${BUNDLE_FORMAT}". Export flows with Flowstead's Export bundle command.`,
      { field: 'format' },
    );
  }
  const formatVersion = record.formatVersion;
  if (typeof formatVersion === 'number' && formatVersion > BUNDLE_FORMAT_VERSION) {
    throw new FlowsteadError(
      'BUNDLE_VERSION',
      `The bundle has format version ${formatVersion}, newer than this build reads (${BUNDLE_FORMAT_VERSION}). Update flowstead-runner to the version of Flowstead that exported it.`,
      { field: 'formatVersion', found: formatVersion, supported: BUNDLE_FORMAT_VERSION },
    );
  }
  const manifest = record.manifest;
  const schemaVersion =
    typeof manifest === 'object' && manifest !== null ? (manifest as Record<string, unknown>).schemaVersion : undefined;
  if (typeof schemaVersion === 'number' && schemaVersion > FLOW_SCHEMA_VERSION) {
    throw new FlowsteadError(
      'BUNDLE_VERSION',
      `The bundle's flows use flow format ${schemaVersion}, newer than this build reads (${FLOW_SCHEMA_VERSION}). Update flowstead-runner to the version of Flowstead that exported it.`,
      { field: 'manifest.schemaVersion', found: schemaVersion, supported: FLOW_SCHEMA_VERSION },
    );
  }
}

function formatProblem(error: z.ZodError): FlowsteadError {
  const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const shown = issues
    .slice(0, 5)
    .map((issue) => `\`${issue.path || '(file)'}\`: ${issue.message}`)
    .join('; ');
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return new FlowsteadError(
    'BUNDLE_FORMAT',
    `The bundle is not valid: ${shown}${more}. Export it again from Flowstead; do not edit it by hand.`,
    { field: issues[0]?.path ?? '', issues },
  );
}

/** What the schema cannot say: entry flows are in the bundle, ids are unique. */
function checkConsistency(bundle: Bundle): void {
  const problems: string[] = [];
  const flowIds = new Set<string>();
  for (const flow of bundle.flows) {
    if (flowIds.has(flow.id)) problems.push(`the flow id "${flow.id}" appears twice`);
    flowIds.add(flow.id);
  }
  for (const entry of bundle.manifest.entryFlows) {
    if (!flowIds.has(entry.id)) problems.push(`entry flow "${entry.name}" (${entry.id}) is not among the flows`);
  }
  const connectorIds = new Set<string>();
  for (const connector of bundle.connectors) {
    if (connectorIds.has(connector.id)) problems.push(`the connector id "${connector.id}" appears twice`);
    connectorIds.add(connector.id);
  }
  if (problems.length > 0) {
    throw new FlowsteadError(
      'BUNDLE_FORMAT',
      `The bundle is not valid: ${problems.join('; ')}. Export it again from Flowstead.`,
      { problems },
    );
  }
}

function checkSignature(bundle: Bundle, rawManifest: unknown, options: VerifyBundleOptions): string | null {
  const signature = bundle.signature;
  if (!signature) {
    if (options.allowUnsigned) return null;
    throw new FlowsteadError(
      'BUNDLE_UNSIGNED',
      'The bundle is not signed, so its origin cannot be checked. Sign it in Flowstead, or start the runner with --allow-unsigned.',
    );
  }
  let embedded: KeyObject;
  try {
    embedded = parsePublicKey(signature.publicKey);
  } catch {
    throw new FlowsteadError(
      'BUNDLE_BAD_SIGNATURE',
      'The bundle signature carries a public key that cannot be read. Export and sign the bundle again in Flowstead.',
    );
  }
  if (embedded.asymmetricKeyType !== 'ed25519' || keyIdOf(embedded) !== signature.keyId) {
    throw new FlowsteadError(
      'BUNDLE_BAD_SIGNATURE',
      `The bundle signature's key id ${signature.keyId} does not belong to the public key it carries. Export and sign the bundle again in Flowstead.`,
      { keyId: signature.keyId },
    );
  }
  const trusted = trustedKeyById(options.trustedKeys).get(signature.keyId);
  if (!trusted) {
    throw new FlowsteadError(
      'BUNDLE_UNTRUSTED_KEY',
      `The bundle is signed by key ${signature.keyId}, which this runner does not trust. If you know it is your Flowstead's key (Settings › Bundle signing key shows its id), add its public key to the runner's trusted keys (--trust-key FILE.pem).`,
      { keyId: signature.keyId, trusted: options.trustedKeys.length },
    );
  }
  const valid = verify(null, signedBytes(rawManifest), trusted, Buffer.from(signature.value, 'base64'));
  if (!valid) {
    throw new FlowsteadError(
      'BUNDLE_BAD_SIGNATURE',
      `The bundle's signature by key ${signature.keyId} does not match its manifest: the manifest was changed after signing. Export and sign the bundle again in Flowstead.`,
      { keyId: signature.keyId },
    );
  }
  return signature.keyId;
}

function trustedKeyById(pems: string[]): Map<string, KeyObject> {
  const byId = new Map<string, KeyObject>();
  pems.forEach((pem, index) => {
    let key: KeyObject;
    try {
      key = parsePublicKey(pem);
    } catch {
      throw new FlowsteadError(
        'BUNDLE_TRUSTED_KEY_INVALID',
        `Trusted key ${index + 1} is not a public key in PEM form. Copy the public key shown in Flowstead (Settings › Bundle signing key) again.`,
        { index },
      );
    }
    byId.set(keyIdOf(key), key);
  });
  return byId;
}

/** Every card must be a built-in type or an action of a connector the bundle carries; all unknown ones at once. */
function checkCardTypes(bundle: Bundle): void {
  const descriptors = descriptorLookup(bundle.connectors);
  const unknown: { flowId: string; nodeId: string; type: string; label: string }[] = [];
  for (const flow of bundle.flows) {
    for (const node of flow.nodes) {
      if (!descriptors.has(node.type)) {
        unknown.push({ flowId: flow.id, nodeId: node.id, type: node.type, label: cardLabel(flow, node) });
      }
    }
  }
  if (unknown.length === 0) return;
  const list = unknown.map((card) => `${card.label}: \`${card.type}\``).join('; ');
  throw new FlowsteadError(
    'BUNDLE_UNKNOWN_CARD',
    `The bundle uses card types this build does not know: ${list}. Update flowstead-runner, or export the bundle again with the connectors these cards belong to.`,
    { cards: unknown.map(({ label: _label, ...card }) => card) },
  );
}
