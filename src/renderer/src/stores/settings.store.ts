import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Settings } from '../../../shared/api/contract.js';
import { getApiClient } from '../api/client.js';

/** App settings; the theme is applied by the shell as soon as it changes. */
export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings>({ defaultHistoryLevel: 'full', theme: 'system' });

  async function load(): Promise<void> {
    settings.value = await getApiClient().invoke('settings.get', {});
  }

  async function update(change: Partial<Settings>): Promise<void> {
    settings.value = await getApiClient().invoke('settings.set', change);
  }

  return { settings, load, update };
});
