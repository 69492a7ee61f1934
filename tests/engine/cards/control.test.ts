import { describe, expect, it } from 'vitest';
import { FlowsteadError } from '../../../src/shared/errors.js';
import { controlImplementations } from '../../../src/engine/cards/control.js';
import { Ended, Routed } from '../../../src/engine/cards/types.js';
import { controlCards } from '../../../src/shared/cards/catalog/control.js';
import { FIXED_NOW, code, fakeContext, runCard } from './fake-context.js';

describe('control.callFlow', () => {
  it('passes the added inputs to the helper and returns its outputs', async () => {
    const ctx = fakeContext({ callFlow: (_flow, inputs) => ({ upn: `${String(inputs['first'])}@example.com` }) });
    const result = await runCard('control.callFlow', { flow: 'flow-upn', first: 'ana', last: 'lopez' }, ctx);
    expect(ctx.calls.callFlow).toEqual([{ flowId: 'flow-upn', inputs: { first: 'ana', last: 'lopez' } }]);
    expect(result).toEqual({ upn: 'ana@example.com' });
  });

  it('lets the helper error fail the card', async () => {
    const ctx = fakeContext({
      callFlow: () => Promise.reject(new FlowsteadError('USER_NOT_FOUND', 'No such user.')),
    });
    await expect(runCard('control.callFlow', { flow: 'f' }, ctx)).rejects.toEqual(code('USER_NOT_FOUND'));
  });
});

describe('control.return and control.returnError', () => {
  it('return ends the flow with the added inputs as outputs', async () => {
    const result = await runCard('control.return', { upn: 'ana@x', created: true });
    expect(result).toBeInstanceOf(Ended);
    expect(result).toEqual(new Ended('return', { upn: 'ana@x', created: true }));
  });

  it('returnError ends the flow as failed with code and message', async () => {
    const result = await runCard('control.returnError', { code: 'USER_NOT_FOUND', message: 'No user ana@x.' });
    expect(result).toEqual(new Ended('error', {}, { code: 'USER_NOT_FOUND', message: 'No user ana@x.' }));
  });

  it('returnError uses FLOW_ERROR when no code is given', async () => {
    expect(await runCard('control.returnError', { message: 'Oops.' })).toEqual(
      new Ended('error', {}, { code: 'FLOW_ERROR', message: 'Oops.' }),
    );
    expect(await runCard('control.returnError', { code: '', message: 'Oops.' })).toMatchObject({
      error: { code: 'FLOW_ERROR' },
    });
  });
});

describe('control.ifError', () => {
  it('routes next with the helper outputs when it succeeds', async () => {
    const ctx = fakeContext({ callFlow: () => ({ id: 42 }) });
    expect(await runCard('control.ifError', { flow: 'f', user: 'ana' }, ctx)).toEqual(new Routed('next', { id: 42 }));
    expect(ctx.calls.callFlow).toEqual([{ flowId: 'f', inputs: { user: 'ana' } }]);
  });

  it('routes error with the code and message when it fails', async () => {
    const ctx = fakeContext({
      callFlow: () => Promise.reject(new FlowsteadError('USER_NOT_FOUND', 'No user ana@x.', { user: 'ana' })),
    });
    expect(await runCard('control.ifError', { flow: 'f' }, ctx)).toEqual(
      new Routed('error', { code: 'USER_NOT_FOUND', message: 'No user ana@x.' }),
    );
  });

  it('turns a plain error into INTERNAL', async () => {
    const ctx = fakeContext({ callFlow: () => Promise.reject(new Error('boom')) });
    expect(await runCard('control.ifError', { flow: 'f' }, ctx)).toEqual(
      new Routed('error', { code: 'INTERNAL', message: 'boom' }),
    );
  });

  it('rethrows when the run was cancelled', async () => {
    const ctx = fakeContext({
      callFlow: () => {
        ctx.abort();
        return Promise.reject(new FlowsteadError('RUN_CANCELLED', 'Cancelled.'));
      },
    });
    await expect(runCard('control.ifError', { flow: 'f' }, ctx)).rejects.toEqual(code('RUN_CANCELLED'));
  });
});

describe('control.waitFor', () => {
  it('computes the wake-up time from ctx.now() once, via remember, and sleeps until it', async () => {
    const ctx = fakeContext();
    const result = await runCard('control.waitFor', { amount: 2, unit: 'hours' }, ctx);
    expect(ctx.calls.remember).toEqual(['wakeAt']);
    expect(ctx.calls.sleepUntil).toEqual([new Date('2026-03-07T14:00:00Z')]);
    expect(result).toEqual({ wokeAt: FIXED_NOW.toISOString() });
  });

  it('uses minutes by default and supports fractions', async () => {
    const ctx = fakeContext();
    await runCard('control.waitFor', { amount: 1.5 }, ctx);
    expect(ctx.calls.sleepUntil).toEqual([new Date('2026-03-07T12:01:30Z')]);
  });

  it('honours the remembered wake-up time after a restart', async () => {
    const ctx = fakeContext({ remembered: { wakeAt: '2026-03-09T00:00:00.000Z' } });
    await runCard('control.waitFor', { amount: 1, unit: 'days' }, ctx);
    expect(ctx.calls.sleepUntil).toEqual([new Date('2026-03-09T00:00:00Z')]);
  });

  it('accepts 0 and refuses negative or non-finite amounts with WAIT_DURATION', async () => {
    const ctx = fakeContext();
    await runCard('control.waitFor', { amount: 0, unit: 'seconds' }, ctx);
    expect(ctx.calls.sleepUntil).toEqual([FIXED_NOW]);
    for (const amount of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const fresh = fakeContext();
      await expect(runCard('control.waitFor', { amount, unit: 'minutes' }, fresh)).rejects.toEqual(
        code('WAIT_DURATION'),
      );
      expect(fresh.calls.sleepUntil).toEqual([]);
    }
  });

  it.each(['weeks', 'toString', 'constructor', '__proto__'])('refuses the unit %s', async (unit) => {
    const ctx = fakeContext();
    await expect(runCard('control.waitFor', { amount: 1, unit }, ctx)).rejects.toEqual(code('WAIT_DURATION'));
    expect(ctx.calls.sleepUntil).toEqual([]);
  });
});

describe('control.waitUntil', () => {
  it('sleeps until the given date and reports when it woke', async () => {
    const ctx = fakeContext();
    const result = await runCard('control.waitUntil', { when: '2026-03-10T09:00:00+01:00' }, ctx);
    expect(ctx.calls.remember).toEqual(['wakeAt']);
    expect(ctx.calls.sleepUntil).toEqual([new Date('2026-03-10T08:00:00Z')]);
    expect(result).toEqual({ wokeAt: '2026-03-07T12:00:00.000Z' });
  });

  it('refuses a date that is not a date', async () => {
    const ctx = fakeContext();
    await expect(runCard('control.waitUntil', { when: 'next tuesday' }, ctx)).rejects.toEqual(code('WAIT_DATE'));
    expect(ctx.calls.sleepUntil).toEqual([]);
  });
});

describe('waits at the edges', () => {
  it('refuses a wait that would end beyond the last representable date, without sleeping', async () => {
    const ctx = fakeContext();
    await expect(runCard('control.waitFor', { amount: 1e20, unit: 'days' }, ctx)).rejects.toThrow(
      /too far in the future/,
    );
    expect(ctx.calls.sleepUntil).toEqual([]);
  });

  it('reads a time without offset as UTC, whatever zone the computer is in', async () => {
    const machineZone = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
    try {
      const ctx = fakeContext();
      await runCard('control.waitUntil', { when: '2026-03-10T09:00' }, ctx);
      await runCard('control.waitUntil', { when: '2026-03-10 09:00' }, ctx);
      expect(ctx.calls.sleepUntil).toEqual([new Date('2026-03-10T09:00:00Z'), new Date('2026-03-10T09:00:00Z')]);
    } finally {
      if (machineZone === undefined) delete process.env['TZ'];
      else process.env['TZ'] = machineZone;
    }
  });

  it('keeps the remembered wake-up time after a restart even if the date input changed', async () => {
    const ctx = fakeContext({ remembered: { wakeAt: '2026-03-09T00:00:00.000Z' } });
    await runCard('control.waitUntil', { when: '2026-04-01T00:00:00Z' }, ctx);
    expect(ctx.calls.sleepUntil).toEqual([new Date('2026-03-09T00:00:00Z')]);
  });

  it('wakes at once for a date in the past', async () => {
    const ctx = fakeContext();
    const result = await runCard('control.waitUntil', { when: '2020-01-01T00:00:00Z' }, ctx);
    expect(ctx.calls.sleepUntil).toEqual([new Date('2020-01-01T00:00:00Z')]);
    expect(result).toEqual({ wokeAt: FIXED_NOW.toISOString() });
  });
});

describe('control cards', () => {
  it('pairs every control descriptor with an implementation and the reverse', () => {
    expect(controlImplementations.map((impl) => impl.descriptor)).toEqual(controlCards);
  });

  it('passes extra inputs to the helper in the order they were added', async () => {
    const ctx = fakeContext();
    await runCard('control.callFlow', { flow: 'f', zeta: 1, alpha: 2 }, ctx);
    expect(Object.keys(ctx.calls.callFlow[0]?.inputs ?? {})).toEqual(['zeta', 'alpha']);
  });
});
