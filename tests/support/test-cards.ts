import { FlowsteadError } from '../../src/shared/errors.js';
import { input, output, type CardDescriptor } from '../../src/shared/cards/descriptor.js';
import { Routed, type CardImplementation } from '../../src/engine/cards/types.js';

function descriptor(type: string, extra: Partial<CardDescriptor> = {}): CardDescriptor {
  return {
    type,
    category: 'number',
    title: type,
    description: type,
    inputs: [],
    outputs: [],
    effect: 'pure',
    ...extra,
  };
}

/** Cards that exist only in tests, to drive the executor through failure, slowness and side effects. */
export function testCards() {
  const calls = {
    flaky: 0,
    effect: 0,
    inFlight: 0,
    maxInFlight: 0,
    told: [] as unknown[][],
    toldFixed: [] as string[],
  };
  const cards: CardImplementation[] = [
    {
      // Tells what a loop told it of rows to come: [name, greeting] per row, a list per telling.
      descriptor: descriptor('test.told', {
        inputs: [input('name', 'text', 'name'), input('greeting', 'text', 'greeting', { required: false })],
        outputs: [output('text', 'text', 'greeting and name')],
      }),
      run: (i) => ({ text: `${String(i['greeting'] ?? 'Hi')} ${String(i['name'])}` }),
      lookahead: (rows) => {
        const told: unknown[] = [];
        for (let r = 0; r < rows.count; r++) told.push([rows.input(r, 'name'), rows.input(r, 'greeting')]);
        calls.told.push(told);
        calls.toldFixed = ['name', 'greeting'].filter((name) => rows.sameForEveryRow(name));
        if (told.some((row) => (row as unknown[])[0] === 'throw'))
          throw new Error('A lookahead that fails is ignored.');
      },
    },
    {
      descriptor: descriptor('test.add', {
        inputs: [input('a', 'number', 'a'), input('b', 'number', 'b')],
        outputs: [output('sum', 'number', 'a + b')],
      }),
      run: (i) => ({ sum: (i['a'] as number) + (i['b'] as number) }),
    },
    {
      descriptor: descriptor('test.fail', { inputs: [input('code', 'text', 'code', { required: false })] }),
      run: (i) => {
        throw new FlowsteadError(String(i['code'] ?? 'BOOM'), 'The test card failed on purpose.');
      },
    },
    {
      descriptor: descriptor('test.flaky', {
        effect: 'sideEffect',
        inputs: [input('failTimes', 'number', 'n')],
        outputs: [output('attempts', 'number', 'n')],
      }),
      run: (i) => {
        calls.flaky++;
        if (calls.flaky <= (i['failTimes'] as number)) throw new FlowsteadError('FLAKY', `Failure ${calls.flaky}`);
        return { attempts: calls.flaky };
      },
    },
    {
      descriptor: descriptor('test.effect', {
        effect: 'sideEffect',
        inputs: [input('value', 'any', 'v', { required: false })],
        outputs: [output('count', 'number', 'n')],
      }),
      run: () => ({ count: ++calls.effect }),
    },
    {
      descriptor: descriptor('test.slow', {
        inputs: [input('ms', 'number', 'ms')],
        outputs: [output('done', 'boolean', 'done')],
      }),
      run: async (i, ctx) => {
        calls.inFlight++;
        calls.maxInFlight = Math.max(calls.maxInFlight, calls.inFlight);
        try {
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(resolve, i['ms'] as number);
            ctx.signal.addEventListener('abort', () => {
              clearTimeout(timer);
              reject(new FlowsteadError('ABORTED', 'aborted'));
            });
          });
        } finally {
          calls.inFlight--;
        }
        return { done: true };
      },
    },
    {
      descriptor: descriptor('test.check', { inputs: [input('ok', 'boolean', 'ok')], handles: ['yes', 'no'] }),
      run: (i) => new Routed(i['ok'] ? 'yes' : 'no', { checked: true }),
    },
  ];
  return { cards, calls };
}
