import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../../src/shared/flow/validate.js';
import { card, context, flow, helperFlow, lit, ref } from '../fixtures.js';

const provision = helperFlow('provision', [
  { name: 'user', type: 'object', required: true },
  { name: 'item', type: 'any', required: true },
  { name: 'index', type: 'number', required: false },
  { name: 'dryRun', type: 'boolean', required: false },
]);
const notHelper = flow({
  id: 'nightly',
  name: 'Nightly sync',
  trigger: { kind: 'schedule', cron: '0 2 * * *', timeZone: 'UTC', inputs: [] },
  nodes: [],
});
const flows = context([provision, notHelper]);

describe('validating helper flows', () => {
  it('reports a helper flow that does not exist', () => {
    const problems = validateFlow(
      flow({ nodes: [card('call1', 'control.callFlow', { flow: lit('provison') })] }),
      flows,
    );
    expect(problems).toEqual([
      {
        code: 'HELPER_NOT_FOUND',
        node: 'call1',
        path: ['nodes', 0, 'inputs', 'flow'],
        message: expect.stringContaining('`provison`, which does not exist'),
      },
    ]);
  });

  it('reports a flow that is not started by another flow', () => {
    const problems = validateFlow(
      flow({ nodes: [card('call1', 'control.callFlow', { flow: lit('nightly') })] }),
      flows,
    );
    expect(problems).toEqual([expect.objectContaining({ code: 'NOT_A_HELPER', path: ['nodes', 0, 'inputs', 'flow'] })]);
    expect(problems[0]?.message).toContain('`schedule`');
  });

  it('checks any flow-typed input, not only on the call cards', () => {
    const doc = flow({ nodes: [card('t1', 'table.read', { table: lit('users'), helper: lit('gone') })] });
    expect(validateFlow(doc, flows).map((p) => p.code)).toEqual(['HELPER_NOT_FOUND']);
  });

  it('does not check a helper chosen at run time', () => {
    const doc = flow({ nodes: [card('call1', 'control.callFlow', { flow: ref('trigger', 'first') })] });
    expect(validateFlow(doc, flows)).toEqual([]);
  });

  it('accepts a call that passes exactly the helper’s inputs', () => {
    const doc = flow({
      nodes: [
        card('call1', 'control.callFlow', {
          flow: lit('provision'),
          user: ref('trigger'),
          item: lit(1),
          dryRun: lit(true),
        }),
      ],
    });
    expect(validateFlow(doc, flows)).toEqual([]);
  });

  it('reports inputs the helper does not declare and required ones that are missing', () => {
    const doc = flow({
      nodes: [card('err1', 'control.ifError', { flow: lit('provision'), usr: ref('trigger'), item: lit(1) })],
    });
    const problems = validateFlow(doc, flows);
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['HELPER_INPUT_UNKNOWN', ['nodes', 0, 'inputs', 'usr']],
      ['HELPER_INPUT_MISSING', ['nodes', 0, 'inputs']],
    ]);
    expect(problems[0]?.message).toContain('Did you mean `user`?');
    expect(problems[1]?.message).toContain('requires the input `user`');
  });

  it('supplies item and index itself in a for-each loop', () => {
    const ok = flow({
      nodes: [card('each', 'list.forEach', { flow: lit('provision'), list: lit([1]), user: ref('trigger') })],
    });
    expect(validateFlow(ok, flows)).toEqual([]);
    const clash = flow({
      nodes: [
        card('each', 'list.forEach', { flow: lit('provision'), list: lit([1]), user: ref('trigger'), item: lit(2) }),
      ],
    });
    const problems = validateFlow(clash, flows);
    expect(problems).toEqual([
      expect.objectContaining({ code: 'HELPER_INPUT_UNKNOWN', path: ['nodes', 0, 'inputs', 'item'] }),
    ]);
    expect(problems[0]?.message).toContain('set by the loop itself');
  });

  it('never throws when looking up a helper fails', () => {
    const failing = {
      ...flows,
      findFlow: () => {
        throw new Error('database closed');
      },
    };
    const doc = flow({ nodes: [card('call1', 'control.callFlow', { flow: lit('provision') })] });
    expect(validateFlow(doc, failing).map((p) => p.code)).toEqual(['HELPER_NOT_FOUND']);
  });
});
