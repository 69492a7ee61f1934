import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { FlowSummary } from '../../../shared/api/contract.js';
import type { FlowDocument } from '../../../shared/flow/schema.js';
import { getApiClient } from '../api/client.js';
import { blankFlow, readFlowFile, type ImportResult } from '../flows/flow-files.js';
import { useSettingsStore } from './settings.store.js';

/** The flows screen: saved flows, the search and folder filter, and whole-flow actions. */
export const useFlowsStore = defineStore('flows', () => {
  const flows = ref<FlowSummary[]>([]);
  const loading = ref(false);
  const problem = ref<string | undefined>();
  const search = ref('');
  const folder = ref<string | null>(null);

  const folders = computed(() => [...new Set(flows.value.map((f) => f.folder).filter((f) => f !== ''))].sort());
  const visible = computed(() => {
    const words = search.value.trim().toLowerCase();
    return flows.value.filter(
      (f) =>
        (folder.value === null || f.folder === folder.value) &&
        (words === '' || `${f.name} ${f.description} ${f.folder}`.toLowerCase().includes(words)),
    );
  });

  async function refresh(): Promise<void> {
    loading.value = true;
    problem.value = undefined;
    try {
      flows.value = await getApiClient().invoke('flows.list', {});
    } catch (error) {
      problem.value = error instanceof Error ? error.message : String(error);
    } finally {
      loading.value = false;
    }
  }

  async function save(flow: FlowDocument): Promise<FlowDocument> {
    const record = await getApiClient().invoke('flows.save', { flow });
    await refresh();
    return record.flow;
  }

  async function load(id: string): Promise<FlowDocument> {
    return (await getApiClient().invoke('flows.get', { id })).flow;
  }

  // New flows start with the history level chosen in Settings.
  const create = (name: string, inFolder = '') =>
    save({ ...blankFlow(name, inFolder), historyLevel: useSettingsStore().settings.defaultHistoryLevel });
  const rename = async (id: string, name: string) => save({ ...(await load(id)), name });
  const moveToFolder = async (id: string, to: string) => save({ ...(await load(id)), folder: to });

  async function duplicate(id: string): Promise<FlowDocument> {
    const original = await load(id);
    return save({ ...original, id: crypto.randomUUID(), name: `${original.name} (copy)` });
  }

  async function remove(id: string): Promise<void> {
    await getApiClient().invoke('flows.delete', { id });
    await refresh();
  }

  /** Imports an exported flow file; returns what went wrong, or the saved flow. */
  async function importFile(text: string): Promise<ImportResult> {
    const result = readFlowFile(text, new Set(flows.value.map((f) => f.id)));
    if (!result.ok) return result;
    const flow = await save(result.flow);
    return { ...result, flow };
  }

  return {
    flows,
    loading,
    problem,
    search,
    folder,
    folders,
    visible,
    refresh,
    load,
    create,
    rename,
    moveToFolder,
    duplicate,
    remove,
    importFile,
  };
});
