import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ApiInput, ApiOutput } from '../../../shared/api/contract.js';
import { setCustomConnectors } from '../../../shared/cards/catalog.js';
import type { Connection, ConnectorDefinition } from '../../../shared/connectors/definition.js';
import { getApiClient } from '../api/client.js';

export interface ConnectorEntry {
  definition: ConnectorDefinition;
  builtIn: boolean;
  connections: number;
}
export type ConnectionTest = ApiOutput<'connections.test'>;

/** Connectors (built-in and custom) and the saved connections; custom connectors' cards join the catalog. */
export const useConnectionsStore = defineStore('connections', () => {
  const connectors = shallowRef<ConnectorEntry[]>([]);
  const connections = shallowRef<Connection[]>([]);
  const loaded = ref(false);
  /** Bumped when custom connectors change, so the palette re-reads the catalog. */
  const catalogVersion = ref(0);
  const tests = ref<Record<string, ConnectionTest & { running?: boolean }>>({});

  const byConnector = computed(() => {
    const map = new Map<string, Connection[]>();
    for (const c of connections.value) map.set(c.connector, [...(map.get(c.connector) ?? []), c]);
    return map;
  });

  function publish(): void {
    setCustomConnectors(connectors.value.filter((c) => !c.builtIn).map((c) => c.definition));
    catalogVersion.value++;
  }

  async function load(): Promise<void> {
    const api = getApiClient();
    const [list, saved] = await Promise.all([api.invoke('connectors.list', {}), api.invoke('connections.list', {})]);
    connectors.value = list as ConnectorEntry[];
    connections.value = saved;
    loaded.value = true;
    publish();
  }

  function find(id: string): Connection | undefined {
    return connections.value.find((c) => c.id === id);
  }

  async function save(input: ApiInput<'connections.save'>): Promise<Connection> {
    const saved = await getApiClient().invoke('connections.save', input);
    await load();
    return saved;
  }

  async function remove(id: string): Promise<void> {
    await getApiClient().invoke('connections.delete', { id });
    const { [id]: _dropped, ...rest } = tests.value;
    tests.value = rest;
    await load();
  }

  async function test(id: string): Promise<ConnectionTest> {
    tests.value = { ...tests.value, [id]: { ok: false, message: 'Testing…', durationMs: 0, running: true } };
    const result = await getApiClient().invoke('connections.test', { id });
    tests.value = { ...tests.value, [id]: result };
    return result;
  }

  async function saveConnector(definition: unknown): Promise<ConnectorDefinition> {
    const saved = await getApiClient().invoke('connectors.save', { definition });
    await load();
    return saved;
  }

  async function deleteConnector(id: string): Promise<void> {
    await getApiClient().invoke('connectors.delete', { id });
    await load();
  }

  function fromOpenApi(document: string, operations?: string[]) {
    return getApiClient().invoke('connectors.fromOpenApi', { document, ...(operations ? { operations } : {}) });
  }

  return {
    connectors,
    connections,
    loaded,
    catalogVersion,
    tests,
    byConnector,
    load,
    find,
    save,
    remove,
    test,
    saveConnector,
    deleteConnector,
    fromOpenApi,
  };
});
