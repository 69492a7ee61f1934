import { defineStore } from 'pinia';
import { ref } from 'vue';

export type Screen = 'flows' | 'editor' | 'runs' | 'tables' | 'connections' | 'settings';

/** Which screen is open, and what it shows (the flow in the editor). */
export const useNavigationStore = defineStore('navigation', () => {
  const screen = ref<Screen>('flows');
  const flowId = ref<string | null>(null);
  /** A past run to show on the canvas when the editor opens. */
  const runId = ref<string | null>(null);

  /** Set when the admin asks for a new flow from the app menu; the Flows screen opens its form. */
  const newFlowRequested = ref(false);

  function show(next: Screen): void {
    screen.value = next;
  }

  function openFlow(id: string, run: string | null = null): void {
    flowId.value = id;
    runId.value = run;
    screen.value = 'editor';
  }

  function requestNewFlow(): void {
    newFlowRequested.value = true;
    screen.value = 'flows';
  }

  return { screen, flowId, runId, newFlowRequested, show, openFlow, requestNewFlow };
});
