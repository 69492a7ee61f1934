import { controlCards } from '../../shared/cards/catalog/control.js';
import { FlowsteadError, serializeError } from '../../shared/errors.js';
import { Ended, Routed } from './types.js';
import { readDate } from './date.js';
import { extraInputs, implement } from './implement.js';

const UNIT_MS = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

export const controlImplementations = implement(
  controlCards,
  {
    'control.callFlow': async (i, ctx) => ctx.callFlow(i['flow'] as string, extraInputs('control.callFlow', i)),
    'control.return': (i) => new Ended('return', extraInputs('control.return', i)),
    'control.returnError': (i) =>
      new Ended(
        'error',
        {},
        {
          code: (i['code'] as string | undefined) || 'FLOW_ERROR',
          message: (i['message'] as string | undefined) ?? 'The flow returned an error.',
        },
      ),
    'control.ifError': async (i, ctx) => {
      try {
        return new Routed('next', await ctx.callFlow(i['flow'] as string, extraInputs('control.ifError', i)));
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        const { code, message } = serializeError(error);
        return new Routed('error', { code, message });
      }
    },
    'control.waitFor': async (i, ctx) => {
      const amount = i['amount'] as number;
      const unit = ((i['unit'] as string | undefined) ?? 'minutes') as keyof typeof UNIT_MS;
      if (!Number.isFinite(amount) || amount < 0) {
        throw new FlowsteadError(
          'WAIT_DURATION',
          `Wait for needs a duration of 0 or more, got ${amount}. Enter a positive number.`,
        );
      }
      // Own keys only: `in` would accept toString, constructor … and wait for NaN milliseconds.
      if (!Object.hasOwn(UNIT_MS, unit))
        throw new FlowsteadError('WAIT_DURATION', `Unknown unit \`${unit}\`: use seconds, minutes, hours or days.`);
      const wakeAt = await ctx.remember('wakeAt', () => {
        const when = new Date(ctx.now().getTime() + amount * UNIT_MS[unit]);
        if (Number.isNaN(when.getTime()))
          throw new FlowsteadError(
            'WAIT_DURATION',
            `Wait for ${amount} ${unit} ends too far in the future. Enter a smaller amount.`,
          );
        return when.toISOString();
      });
      await ctx.sleepUntil(new Date(wakeAt));
      return { wokeAt: ctx.now().toISOString() };
    },
    'control.waitUntil': async (i, ctx) => {
      // Read like the date cards (no offset = UTC), not like `new Date`, which would use the machine's zone.
      let when: string;
      try {
        when = readDate(i['when'], 'when').toUTC().toISO() as string;
      } catch {
        throw new FlowsteadError(
          'WAIT_DATE',
          `Wait until needs a date and time in ISO 8601 form (e.g. 2026-03-15T09:30:00Z), got \`${String(i['when'])}\`.`,
          { input: 'when' },
        );
      }
      const wakeAt = await ctx.remember('wakeAt', () => when);
      await ctx.sleepUntil(new Date(wakeAt));
      return { wokeAt: ctx.now().toISOString() };
    },
  },
  { effectsInCalledFlows: ['control.callFlow'] },
);
