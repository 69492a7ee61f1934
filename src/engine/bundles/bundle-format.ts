import { createHash } from 'node:crypto';
import { z } from 'zod';
import { tableColumnSchema } from '../../shared/api/contract.js';
import { connectorDefinitionSchema } from '../../shared/connectors/definition.js';
import { FLOW_SCHEMA_VERSION, flowDocumentSchema, jsonValueSchema, triggerSchema } from '../../shared/flow/schema.js';

/**
 * A bundle is one JSON file that carries flows from the designer to `flowstead-runner`: the
 * flows and the helper flows they call, the custom connectors and table schemas they use, and a
 * manifest that lists the connections the server must provide. Secrets never travel in it.
 */
export const BUNDLE_FORMAT = 'flowstead-bundle';
/** The bundle format this build writes and reads. */
export const BUNDLE_FORMAT_VERSION = 1;
export const SIGNATURE_ALGORITHM = 'ed25519';

/** "1.4.0", "2", "1.0.0-rc.1": version text an admin types, ordered loosely like semver. */
const VERSION_PATTERN = /^v?\d+(\.\d+){0,2}([-+][0-9A-Za-z.+-]+)?$/;
const SHA256_PATTERN = /^sha256:[0-9a-f]{64}$/;
/** Environment variable prefixes: upper case letters, digits and _, ending in _. */
const ENV_PREFIX_PATTERN = /^[A-Z][A-Z0-9_]*_$/;

const settingValueSchema = z.union([z.string(), z.number(), z.boolean()]);

export const bundleEntryFlowSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  trigger: triggerSchema,
});

/** A connection the flows use: what the server must configure, never a secret value. */
export const bundleConnectionSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  connector: z.string().min(1),
  /** Every field the connection needs, secret ones included. */
  fields: z.array(z.string()),
  /** The fields the runner reads from its environment or secret file. */
  secretFields: z.array(z.string()),
  /** `FLOWSTEAD_CONN_OKTA_PROD_` + field name in upper snake case, e.g. `FLOWSTEAD_CONN_OKTA_PROD_API_TOKEN`. */
  envPrefix: z.string().regex(ENV_PREFIX_PATTERN, 'use upper-case letters, digits and _, ending in _'),
  settings: z.record(z.string(), settingValueSchema),
});
export type BundleConnection = z.infer<typeof bundleConnectionSchema>;

export const bundleManifestSchema = z.object({
  name: z.string().trim().min(1).max(200),
  version: z.string().regex(VERSION_PATTERN, 'use a version such as 1.0.0'),
  flowsteadVersion: z.string().min(1),
  schemaVersion: z.literal(FLOW_SCHEMA_VERSION),
  createdAt: z.iso.datetime({ offset: true }),
  entryFlows: z.array(bundleEntryFlowSchema).min(1, 'a bundle needs at least one entry flow'),
  connections: z.array(bundleConnectionSchema),
  contentHash: z.string().regex(SHA256_PATTERN, 'expected sha256: followed by 64 hex digits'),
});
export type BundleManifest = z.infer<typeof bundleManifestSchema>;

export const bundleTableSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(200),
  columns: z.array(tableColumnSchema).min(1),
  rows: z.array(z.record(z.string(), jsonValueSchema)).optional(),
});
export type BundleTable = z.infer<typeof bundleTableSchema>;

export const bundleSignatureSchema = z.object({
  algorithm: z.literal(SIGNATURE_ALGORITHM),
  /** Hex of the first 16 bytes of the SHA-256 of the public key (SPKI DER). */
  keyId: z.string().regex(/^[0-9a-f]{32}$/, 'expected 32 hex digits'),
  /** PEM, or base64 of the SPKI DER. */
  publicKey: z.string().min(1),
  /** Base64 Ed25519 signature of the canonical JSON of the manifest. */
  value: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64'),
});
export type BundleSignature = z.infer<typeof bundleSignatureSchema>;

export const bundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  manifest: bundleManifestSchema,
  flows: z.array(flowDocumentSchema).min(1),
  connectors: z.array(connectorDefinitionSchema),
  tables: z.array(bundleTableSchema),
  signature: bundleSignatureSchema.optional(),
});
export type Bundle = z.infer<typeof bundleSchema>;
/** A bundle before it is signed and hashed, as the exporter assembles it. */
export type BundleContent = Pick<Bundle, 'flows' | 'connectors' | 'tables'> & {
  manifest: Omit<BundleManifest, 'contentHash'>;
};

/**
 * JSON with object keys sorted and no whitespace, so the same value always gives the same bytes
 * (for hashing and signing). Like JSON.stringify, undefined properties are left out.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

/** `sha256:<hex>` over the manifest (without its hash), flows, connectors and tables. */
export function computeContentHash(bundle: {
  manifest: Record<string, unknown> | BundleContent['manifest'];
  flows: unknown;
  connectors: unknown;
  tables: unknown;
}): string {
  const { contentHash: _ignored, ...manifest } = bundle.manifest as Record<string, unknown>;
  const covered = { manifest, flows: bundle.flows, connectors: bundle.connectors, tables: bundle.tables };
  return `sha256:${createHash('sha256').update(canonicalJson(covered), 'utf8').digest('hex')}`;
}

/** The bytes a signature covers: the manifest including its content hash. */
export function signedBytes(manifest: unknown): Buffer {
  return Buffer.from(canonicalJson(manifest), 'utf8');
}

/** The file text: readable (indented) JSON; hashing does not depend on the layout. */
export function serializeBundle(bundle: Bundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}
