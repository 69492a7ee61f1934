import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RunDetail, RunStatus, RunStep, RunSummary } from '../../../shared/api/contract.js';
import { getApiClient } from '../api/client.js';

/** Run history: the list with its filters, and the run opened for a closer look. */
export const useRunsStore = defineStore('runs', () => {
  const runs = ref<RunSummary[]>([]);
  const status = ref<RunStatus | null>(null);
  const flowId = ref<string | null>(null);
  const problem = ref<string | undefined>();
  const opened = ref<{ run: RunDetail; steps: RunStep[] } | null>(null);
  let unsubscribe: (() => void) | undefined;

  async function refresh(): Promise<void> {
    try {
      problem.value = undefined;
      runs.value = await getApiClient().invoke('runs.list', {
        ...(status.value ? { status: status.value } : {}),
        ...(flowId.value ? { flowId: flowId.value } : {}),
        limit: 200,
      });
    } catch (error) {
      problem.value = error instanceof Error ? error.message : String(error);
    }
  }

  async function open(runId: string): Promise<void> {
    const api = getApiClient();
    const [run, steps] = await Promise.all([
      api.invoke('runs.get', { runId }),
      api.invoke('runs.steps', { runId, limit: 500 }),
    ]);
    opened.value = { run, steps };
  }

  /** Starts the same flow again with the input of the opened run. */
  async function rerun(): Promise<string | undefined> {
    const run = opened.value?.run;
    if (!run) return undefined;
    const { runId } = await getApiClient().invoke('runs.start', {
      flowId: run.flowId,
      input: run.input as Record<string, never>,
    });
    await refresh();
    return runId;
  }

  async function cancel(runId: string): Promise<void> {
    await getApiClient().invoke('runs.cancel', { runId });
  }

  /** Keeps the list current while the screen is open. */
  function watchProgress(): void {
    unsubscribe ??= getApiClient().on('run.progress', (event) => {
      if (event.kind === 'run.started' || event.kind === 'run.finished') void refresh();
      if (event.kind === 'run.finished' && opened.value?.run.id === event.runId) void open(event.runId);
    });
  }

  function stopWatching(): void {
    unsubscribe?.();
    unsubscribe = undefined;
  }

  return { runs, status, flowId, problem, opened, refresh, open, rerun, cancel, watchProgress, stopWatching };
});
