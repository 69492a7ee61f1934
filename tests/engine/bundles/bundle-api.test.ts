import { afterEach, describe, expect, it } from 'vitest';
import { unwrapResult } from '../../../src/shared/api/client.js';
import type { ApiInput, ApiMethod, ApiOutput } from '../../../src/shared/api/contract.js';
import { dispatchApiCall } from '../../../src/shared/api/dispatch.js';
import { openTestApp } from '../../support/engine-app.js';
import { rejected } from '../../support/caught.js';
import { card, flow, lit, tpl } from '../../support/test-engine.js';
import { FlowsteadError } from '../../../src/shared/errors.js';

type App = Awaited<ReturnType<typeof openTestApp>>;
const apps: App[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function open(): Promise<App> {
  const app = await openTestApp();
  apps.push(app);
  return app;
}

/** Calls through the contract, as the designer does, and throws the API error as a FlowsteadError. */
async function call<M extends ApiMethod>(app: App, method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const result = await dispatchApiCall(app.handlers, method, input);
  if (!result.ok) throw new FlowsteadError(result.error.code, result.error.message);
  return unwrapResult(result) as ApiOutput<M>;
}

describe('bundles through the API', () => {
  it('exports signed flows with their helpers from one desktop and imports them into another', async () => {
    const desk = await open();
    await call(desk, 'flows.save', {
      flow: flow({
        id: 'name-helper',
        name: 'Display name',
        trigger: { kind: 'helper', inputs: [{ name: 'first', type: 'text', required: true }], outputs: [] },
        nodes: [card('done', 'control.return', { name: tpl('Dr. {{trigger.first}}') })],
      }),
    });
    await call(desk, 'flows.save', {
      flow: flow({
        id: 'joiner',
        name: 'Joiner',
        nodes: [
          card('call', 'control.callFlow', { flow: lit('name-helper'), first: lit('Ada') }),
          card('done', 'control.return', { name: { kind: 'ref', node: 'call', path: ['name'] } }),
        ],
      }),
    });
    const key = await call(desk, 'bundles.createSigningKey', {});
    expect(await call(desk, 'bundles.signingKey', {})).toEqual(key);
    const exported = await call(desk, 'bundles.export', {
      flowIds: ['joiner'],
      name: 'Joiner flows',
      version: '1.2.0',
    });
    expect(exported.fileName).toBe('joiner-flows-1.2.0.bundle.json');
    expect(exported.keyId).toBe(key.keyId);

    const other = await open();
    const refused = await rejected(call(other, 'bundles.import', { content: exported.content }));
    expect(refused.code).toBe('BUNDLE_UNTRUSTED_KEY');
    const imported = await call(other, 'bundles.import', {
      content: exported.content,
      trustedKeys: [key.publicKeyPem],
    });
    expect(imported.flows.sort()).toEqual(['joiner', 'name-helper']);
    expect(imported.signedBy).toBe(key.keyId);
    const run = await other.run('joiner');
    expect(run.output).toEqual({ name: 'Dr. Ada' });
  });

  it('asks for a signing key before a signed export, and refuses an unsigned bundle unless allowed', async () => {
    const desk = await open();
    await call(desk, 'flows.save', {
      flow: flow({ id: 'f', name: 'F', nodes: [card('done', 'control.return', { ok: lit(true) })] }),
    });
    expect((await rejected(call(desk, 'bundles.export', { flowIds: ['f'], name: 'F' }))).code).toBe(
      'SIGNING_KEY_MISSING',
    );
    const unsigned = await call(desk, 'bundles.export', { flowIds: ['f'], name: 'F', sign: false });
    const other = await open();
    expect((await rejected(call(other, 'bundles.import', { content: unsigned.content }))).code).toBe('BUNDLE_UNSIGNED');
    expect((await call(other, 'bundles.import', { content: unsigned.content, allowUnsigned: true })).flows).toEqual([
      'f',
    ]);
  });
});
