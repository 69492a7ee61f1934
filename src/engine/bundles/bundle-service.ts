import type { ApiOutput, ApiParsedInput } from '../../shared/api/contract.js';
import { FlowsteadError } from '../../shared/errors.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { serializeBundle } from './bundle-format.js';
import { createBundle, type BundleSources } from './export-bundle.js';
import { importBundle, type ImportTargets } from './import-bundle.js';
import { generateSigningKey, loadSigningKey, signBundle } from './signing.js';
import { verifyBundle } from './verify-bundle.js';

/** The desktop side of bundles: the signing key in the keychain, export and import. */
export class BundleService {
  constructor(
    private readonly sources: BundleSources & ImportTargets,
    private readonly secrets: SecretStore,
  ) {}

  async signingKey(): Promise<ApiOutput<'bundles.signingKey'>> {
    const key = await loadSigningKey(this.secrets);
    return key ? { keyId: key.keyId, publicKeyPem: key.publicKeyPem } : null;
  }

  createSigningKey(input: ApiParsedInput<'bundles.createSigningKey'>): Promise<ApiOutput<'bundles.createSigningKey'>> {
    return generateSigningKey(this.secrets, { replace: input.replace });
  }

  async export(input: ApiParsedInput<'bundles.export'>): Promise<ApiOutput<'bundles.export'>> {
    let bundle = createBundle(this.sources, {
      flowIds: input.flowIds,
      name: input.name,
      version: input.version,
      includeTableData: input.includeTableData,
    });
    let keyId: string | null = null;
    if (input.sign) {
      const key = await loadSigningKey(this.secrets);
      if (!key) {
        throw new FlowsteadError(
          'SIGNING_KEY_MISSING',
          'There is no signing key yet: create one under Settings › Bundle signing key, or export unsigned.',
        );
      }
      bundle = signBundle(bundle, key.privateKey);
      keyId = key.keyId;
    }
    const slug =
      input.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'flows';
    return {
      fileName: `${slug}-${input.version}.bundle.json`,
      content: serializeBundle(bundle),
      keyId,
      connections: bundle.manifest.connections.map((c) => ({ name: c.name, connector: c.connector, fields: c.fields })),
    };
  }

  /** Imports a bundle; this installation's own key is always trusted. */
  async import(input: ApiParsedInput<'bundles.import'>): Promise<ApiOutput<'bundles.import'>> {
    const own = await loadSigningKey(this.secrets);
    const trustedKeys = [...input.trustedKeys, ...(own ? [own.publicKeyPem] : [])];
    const { bundle, signedBy } = verifyBundle(input.content, { trustedKeys, allowUnsigned: input.allowUnsigned });
    const summary = importBundle(this.sources, bundle, { replace: input.replace });
    return {
      name: bundle.manifest.name,
      version: bundle.manifest.version,
      signedBy,
      flows: summary.flows,
      connectors: summary.connectors,
      tables: summary.tables.map((t) => t.name),
      connectionsNeeded: summary.connectionsNeeded.map((c) => ({
        name: c.name,
        connector: c.connector,
        fields: c.fields,
      })),
    };
  }
}
