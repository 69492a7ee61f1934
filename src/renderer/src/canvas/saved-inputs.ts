/** Named test inputs per flow, kept in this profile's local storage (they never leave the machine). */
export type SavedInputs = Record<string, Record<string, unknown>>;

const key = (flowId: string) => `flowstead.testInputs.${flowId}`;

export function loadSavedInputs(flowId: string, storage: Storage = localStorage): SavedInputs {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key(flowId)) ?? '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as SavedInputs) : {};
  } catch {
    return {};
  }
}

export function storeSavedInputs(flowId: string, inputs: SavedInputs, storage: Storage = localStorage): void {
  storage.setItem(key(flowId), JSON.stringify(inputs));
}
