import { defineStore } from 'pinia';
import { ref } from 'vue';

export type Screen = 'flows' | 'editor' | 'runs' | 'tables' | 'settings';

/** Which screen is open, and what it shows (the flow in the editor). */
export const useNavigationStore = defineStore('navigation', () => {
  const screen = ref<Screen>('flows');
  const flowId = ref<string | null>(null);

  function show(next: Screen): void {
    screen.value = next;
  }

  function openFlow(id: string): void {
    flowId.value = id;
    screen.value = 'editor';
  }

  return { screen, flowId, show, openFlow };
});
