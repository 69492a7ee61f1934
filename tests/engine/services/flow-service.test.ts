import { describe, expect, it } from 'vitest';
import { FlowService, type ValidateFlowFn } from '../../../src/engine/services/flow-service.js';
import type { ValidationProblem } from '../../../src/shared/api/contract.js';
import { findDescriptor } from '../../../src/shared/cards/catalog.js';
import {
  FLOW_SCHEMA_VERSION,
  flowDocumentSchema,
  type FlowDocument,
  type FlowDocumentInput,
} from '../../../src/shared/flow/schema.js';
import { useTempDatabases } from '../store/temp-database.js';
import { caught } from '../../support/caught.js';

const temp = useTempDatabases();

function flowDoc(overrides: Partial<FlowDocumentInput> = {}): FlowDocument {
  return flowDocumentSchema.parse({
    schemaVersion: FLOW_SCHEMA_VERSION,
    id: 'onboard',
    name: 'Onboard new hire',
    trigger: { kind: 'manual', inputs: [] },
    nodes: [],
    edges: [],
    ...overrides,
  });
}

/** Flags cards of unknown types and calls of helper flows that do not exist, like the real validation. */
const simpleValidate: ValidateFlowFn = (flow, context) => {
  const problems: ValidationProblem[] = [];
  flow.nodes.forEach((node, index) => {
    if (!context.findDescriptor(node.type)) {
      problems.push({
        code: 'UNKNOWN_CARD',
        node: node.id,
        path: ['nodes', index, 'type'],
        message: `Unknown card ${node.type}`,
      });
    }
    const target = node.inputs['flow'];
    if (target?.kind === 'literal' && typeof target.value === 'string' && !context.findFlow(target.value)) {
      problems.push({
        code: 'UNKNOWN_FLOW',
        node: node.id,
        path: ['nodes', index, 'inputs', 'flow'],
        message: `No flow ${target.value}`,
      });
    }
  });
  return problems;
};

function setup() {
  const db = temp.open();
  const flows = new FlowService(db, { findDescriptor, validate: simpleValidate });
  return { db, flows };
}

describe('FlowService', () => {
  it('saves a new flow as version 1 and reads it back', () => {
    const { flows } = setup();
    const saved = flows.save({ flow: flowDoc({ description: 'Creates accounts', folder: 'Joiners' }) });
    expect(saved).toMatchObject({ version: 1, problems: [] });
    expect(flows.get({ id: 'onboard' })).toEqual(saved);
    expect(flows.findFlow('onboard')).toEqual(saved.flow);
    expect(flows.findFlow('missing')).toBeUndefined();
  });

  it('bumps the version on every save and keeps each earlier document', () => {
    const { flows } = setup();
    flows.save({ flow: flowDoc({ name: 'First draft' }) });
    flows.save({ flow: flowDoc({ name: 'Second draft' }) });
    const third = flows.save({ flow: flowDoc({ name: 'Final' }) });
    expect(third.version).toBe(3);
    expect(flows.versions({ id: 'onboard' }).map((v) => v.version)).toEqual([3, 2, 1]);
    expect(flows.getVersion({ id: 'onboard', version: 1 }).name).toBe('First draft');
    expect(flows.getVersion({ id: 'onboard', version: 3 }).name).toBe('Final');
    expect(flows.list()[0]).toMatchObject({ name: 'Final', version: 3 });
  });

  it('saves a flow with problems, as work in progress, and reports them', () => {
    const { flows } = setup();
    const draft = flowDoc({
      nodes: [
        {
          id: 'call1',
          type: 'no.such.card',
          position: { x: 0, y: 0 },
          inputs: { flow: { kind: 'literal', value: 'helper' } },
        },
      ],
    });
    const saved = flows.save({ flow: draft });
    expect(saved.problems.map((p) => p.code)).toEqual(['UNKNOWN_CARD', 'UNKNOWN_FLOW']);
    expect(flows.get({ id: 'onboard' }).version).toBe(1);
  });

  it('validates against the saved flows, so a helper saved later resolves the problem', () => {
    const { flows } = setup();
    const caller = flowDoc({
      nodes: [
        {
          id: 'call1',
          type: 'text.compose',
          position: { x: 0, y: 0 },
          inputs: { flow: { kind: 'literal', value: 'helper' } },
        },
      ],
    });
    const problems = flows.validate({ flow: caller });
    expect(problems.map((p) => p.code)).toContain('UNKNOWN_FLOW');
    flows.save({
      flow: flowDoc({ id: 'helper', name: 'Helper', trigger: { kind: 'helper', inputs: [], outputs: [] } }),
    });
    expect(flows.validate({ flow: caller }).map((p) => p.code)).not.toContain('UNKNOWN_FLOW');
  });

  it('lists flows by folder then name, ignoring case and ordering numbers naturally', () => {
    const { flows } = setup();
    flows.save({ flow: flowDoc({ id: 'a', name: 'step 10', folder: 'leavers' }) });
    flows.save({ flow: flowDoc({ id: 'b', name: 'Step 2', folder: 'Leavers' }) });
    flows.save({
      flow: flowDoc({ id: 'c', name: 'Welcome email', folder: 'Joiners', trigger: { kind: 'webhook', path: 'hire' } }),
    });
    flows.save({ flow: flowDoc({ id: 'd', name: 'Scratch' }) });
    expect(flows.list().map((f) => f.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(flows.list()[1]).toMatchObject({ folder: 'Joiners', triggerKind: 'webhook', version: 1 });
    expect(flows.list({ folder: 'Joiners' }).map((f) => f.id)).toEqual(['c']);
  });

  it('searches name, description and folder ignoring case, including accented letters', () => {
    const { flows } = setup();
    flows.save({ flow: flowDoc({ id: 'a', name: 'Disable Okta user', folder: 'Leavers' }) });
    flows.save({ flow: flowDoc({ id: 'b', name: 'Welcome', description: 'Sends the OKTA activation email' }) });
    flows.save({ flow: flowDoc({ id: 'c', name: 'Übernahme', folder: 'Movers' }) });
    expect(
      flows
        .list({ search: 'okta' })
        .map((f) => f.id)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(flows.list({ search: 'LEAVERS' }).map((f) => f.id)).toEqual(['a']);
    expect(flows.list({ search: 'übernahme' }).map((f) => f.id)).toEqual(['c']);
    expect(flows.list({ search: 'payroll' })).toEqual([]);
    expect(flows.list({ search: 'okta', folder: 'Leavers' }).map((f) => f.id)).toEqual(['a']);
  });

  it('deletes a flow together with its saved versions', () => {
    const { db, flows } = setup();
    flows.save({ flow: flowDoc() });
    flows.save({ flow: flowDoc() });
    expect(flows.delete({ id: 'onboard' })).toEqual({ deleted: true });
    expect(flows.delete({ id: 'onboard' })).toEqual({ deleted: false });
    expect(db.prepare('SELECT count(*) FROM flow_versions').pluck().get()).toBe(0);
    expect(caught(() => flows.get({ id: 'onboard' })).code).toBe('FLOW_NOT_FOUND');
  });

  it('starts again at version 1 when a deleted flow id is saved again', () => {
    const { flows } = setup();
    flows.save({ flow: flowDoc() });
    flows.save({ flow: flowDoc() });
    flows.delete({ id: 'onboard' });
    expect(flows.save({ flow: flowDoc() }).version).toBe(1);
  });

  it('explains an unknown flow or version', () => {
    const { flows } = setup();
    const error = caught(() => flows.get({ id: 'ghost' }));
    expect(error.code).toBe('FLOW_NOT_FOUND');
    expect(error.message).toContain('"ghost"');
    expect(caught(() => flows.versions({ id: 'ghost' })).code).toBe('FLOW_NOT_FOUND');
    flows.save({ flow: flowDoc() });
    const missing = caught(() => flows.getVersion({ id: 'onboard', version: 7 }));
    expect(missing.code).toBe('FLOW_VERSION_NOT_FOUND');
    expect(missing.message).toContain('from 1 to 1');
  });

  it('refuses a document that is not a flow', () => {
    const { flows } = setup();
    const error = caught(() => flows.save({ flow: { ...flowDoc(), name: '   ' } }));
    expect(error.code).toBe('FLOW_INVALID');
    expect(error.message).toContain('Give the flow a name.');
  });

  it('reports a damaged stored flow by name instead of crashing', () => {
    const { db, flows } = setup();
    flows.save({ flow: flowDoc() });
    db.prepare('UPDATE flows SET document = \'{"schemaVersion": 1, "nodes": 5}\' WHERE id = \'onboard\'').run();
    const error = caught(() => flows.get({ id: 'onboard' }));
    expect(error.code).toBe('FLOW_CORRUPTED');
    expect(error.message).toContain('"Onboard new hire" (onboard)');
    db.prepare("UPDATE flows SET document = 'not json' WHERE id = 'onboard'").run();
    expect(caught(() => flows.findFlow('onboard')).message).toContain('not valid JSON');
    // The list reads only summary columns, so the damaged flow still shows up to be fixed.
    expect(flows.list().map((f) => f.id)).toEqual(['onboard']);
    expect(flows.getVersion({ id: 'onboard', version: 1 }).name).toBe('Onboard new hire');
  });

  it('keeps its history across a reopen of the database file', () => {
    const db = temp.open();
    const file = db.name;
    new FlowService(db, { findDescriptor, validate: simpleValidate }).save({ flow: flowDoc() });
    db.close();
    const reopened = new FlowService(temp.open(file), { findDescriptor, validate: simpleValidate });
    expect(reopened.save({ flow: flowDoc() }).version).toBe(2);
  });
});
