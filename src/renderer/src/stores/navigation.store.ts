import { defineStore } from 'pinia';
import { ref } from 'vue';

export type Screen = 'flows' | 'editor' | 'runs' | 'tables' | 'settings';

/** Which screen is open, and what it shows (the flow in the editor). */
export const useNavigationStore = defineStore('navigation', () => {
  const screen = ref<Screen>('flows');
  const flowId = ref<string | null>(null);
  /** A past run to show on the canvas when the editor opens. */
  const runId = ref<string | null>(null);

  function show(next: Screen): void {
    screen.value = next;
  }

  function openFlow(id: string, run: string | null = null): void {
    flowId.value = id;
    runId.value = run;
    screen.value = 'editor';
  }

  return { screen, flowId, runId, show, openFlow };
});
