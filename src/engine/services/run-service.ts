import type { ApiOutput, ApiParsedInput } from '../../shared/api/contract.js';
import { findDescriptor } from '../../shared/cards/catalog.js';
import { FlowsteadError } from '../../shared/errors.js';
import type { FlowDocument } from '../../shared/flow/schema.js';
import { coerceValue } from '../../shared/values.js';
import type { Executor } from '../executor/executor.js';
import type { RunStore } from '../executor/run-store.js';
import type { FlowService } from './flow-service.js';

/** Every helper flow a flow can reach through its flow-typed inputs (call, for-each, if-error). */
export function collectHelpers(
  flow: FlowDocument,
  findFlow: (id: string) => FlowDocument | undefined,
): Record<string, FlowDocument> {
  const found: Record<string, FlowDocument> = {};
  const queue = [flow];
  while (queue.length > 0) {
    const current = queue.pop()!;
    for (const node of current.nodes) {
      const descriptor = findDescriptor(node.type);
      for (const input of descriptor?.inputs ?? []) {
        const binding = node.inputs[input.name];
        if (input.type !== 'flow' || binding?.kind !== 'literal' || typeof binding.value !== 'string') continue;
        const id = binding.value;
        if (found[id] || id === flow.id) continue;
        const helper = findFlow(id);
        if (helper) {
          found[id] = helper;
          queue.push(helper);
        }
      }
    }
  }
  return found;
}

/** What the run-input check reads of a flow: its name and its trigger's inputs. */
export type FlowInputs = Pick<FlowDocument, 'name'> & { trigger: Pick<FlowDocument['trigger'], 'inputs'> };

/** Checks a run's input against the trigger's declared fields and converts it to their types. */
export function prepareRunInput(flow: FlowInputs, input: Record<string, unknown>): Record<string, unknown> {
  const fields = flow.trigger.inputs;
  const problems: string[] = [];
  const prepared: Record<string, unknown> = { ...input };
  for (const field of fields) {
    const value = input[field.name];
    if (value === undefined || value === null || value === '') {
      if (field.required) problems.push(`\`${field.name}\` is required: give it a value.`);
      continue;
    }
    try {
      prepared[field.name] = coerceValue(value, field.type, { node: 'trigger', input: field.name, title: 'Trigger' });
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length > 0) {
    throw new FlowsteadError('RUN_INPUT', `The input for flow \`${flow.name}\` is not valid: ${problems.join(' ')}`, {
      problems,
    });
  }
  return prepared;
}

/** Starts, lists, inspects and cancels runs. */
export class RunService {
  constructor(
    private readonly flows: FlowService,
    private readonly executor: Executor,
    private readonly store: RunStore,
  ) {}

  start({ flowId, input }: ApiParsedInput<'runs.start'>): ApiOutput<'runs.start'> {
    const record = this.flows.get({ id: flowId });
    const blocking = record.problems;
    if (blocking.length > 0) {
      const list = blocking.map((p) => `${p.node ? `${p.node}: ` : ''}${p.message}`).join('\n');
      throw new FlowsteadError(
        'FLOW_INVALID',
        `Flow \`${record.flow.name}\` has problems to fix before it can run:\n${list}`,
        {
          problems: blocking,
        },
      );
    }
    const { runId } = this.executor.start({
      flow: record.flow,
      flowVersion: record.version,
      helpers: collectHelpers(record.flow, (id) => this.flows.findFlow(id)),
      input: prepareRunInput(record.flow, input),
    });
    return { runId };
  }

  get({ runId }: ApiParsedInput<'runs.get'>): ApiOutput<'runs.get'> {
    const run = this.store.getRun(runId);
    if (!run)
      throw new FlowsteadError('RUN_NOT_FOUND', `There is no run with id ${runId}. It may have been deleted.`, {
        runId,
      });
    return run;
  }

  list(filter: ApiParsedInput<'runs.list'>): ApiOutput<'runs.list'> {
    return this.store.listRuns(filter);
  }

  steps({ runId, offset, limit }: ApiParsedInput<'runs.steps'>): ApiOutput<'runs.steps'> {
    this.get({ runId });
    return this.store.listSteps(runId, offset, limit);
  }

  cancel({ runId }: ApiParsedInput<'runs.cancel'>): ApiOutput<'runs.cancel'> {
    this.get({ runId });
    return { cancelled: this.executor.cancel(runId) };
  }
}
