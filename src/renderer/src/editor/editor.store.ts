import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { FlowSummary, ValidationProblem } from '../../../shared/api/contract.js';
import { findDescriptor } from '../../../shared/cards/catalog.js';
import type { FlowDocument } from '../../../shared/flow/schema.js';
import { validateFlow } from '../../../shared/flow/validate.js';
import { getApiClient } from '../api/client.js';
import { useConnectionsStore } from '../stores/connections.store.js';
import { copyFragment, pasteFragment, removeCards, type Edit, type Fragment } from './edits.js';

const UNDO_LIMIT = 200;

/** Cards copied in any flow; pasting works across flows. */
let clipboard: Fragment | null = null;

/** One open tab: a flow with its own unsaved changes, selection and undo history. */
interface EditorSession {
  flow: FlowDocument;
  saved: FlowDocument;
  version: number;
  selection: string[];
  undoStack: { label: string; before: FlowDocument }[];
  redoStack: { label: string; after: FlowDocument }[];
}

export interface EditorTab {
  id: string;
  name: string;
  dirty: boolean;
  helper: boolean;
}

/**
 * The flow being edited is the source of truth; the canvas is derived from it. Every change goes
 * through `apply(edit)`, which records the previous document for undo.
 */
export const useEditorStore = defineStore('editor', () => {
  const flow = shallowRef<FlowDocument | null>(null);
  const saved = shallowRef<FlowDocument | null>(null);
  const version = ref(0);
  const selection = ref<string[]>([]);
  const undoStack = shallowRef<{ label: string; before: FlowDocument }[]>([]);
  const redoStack = shallowRef<{ label: string; after: FlowDocument }[]>([]);
  const helpers = ref<FlowSummary[]>([]);
  const helperDocs = new Map<string, FlowDocument>();
  const connections = useConnectionsStore();
  /** Open tabs in order; the active one lives in the refs above, the others in `sessions`. */
  const openIds = ref<string[]>([]);
  const activeId = ref<string | null>(null);
  const sessions = shallowRef(new Map<string, EditorSession>());

  const dirty = computed(() => flow.value !== saved.value);
  const canUndo = computed(() => undoStack.value.length > 0);
  const canRedo = computed(() => redoStack.value.length > 0);
  const undoLabel = computed(() => undoStack.value.at(-1)?.label);
  const redoLabel = computed(() => redoStack.value.at(-1)?.label);

  const problems = computed<ValidationProblem[]>(() =>
    flow.value
      ? validateFlow(flow.value, {
          findDescriptor,
          findFlow: (id) => helperDocs.get(id),
          // Until the connections are known, a card's connection is not reported missing.
          ...(connections.loaded ? { findConnection: (id: string) => connections.find(id) } : {}),
        })
      : [],
  );
  const problemsByCard = computed(() => {
    const byCard = new Map<string, ValidationProblem[]>();
    for (const problem of problems.value) byCard.set(problem.node, [...(byCard.get(problem.node) ?? []), problem]);
    return byCard;
  });

  async function loadHelpers(except: string): Promise<void> {
    const api = getApiClient();
    helpers.value = (await api.invoke('flows.list', {})).filter((f) => f.triggerKind === 'helper' && f.id !== except);
    // Validation checks helper inputs, so it needs the helpers' documents.
    await Promise.all(
      helpers.value.map(async (h) => helperDocs.set(h.id, (await api.invoke('flows.get', { id: h.id })).flow)),
    );
  }

  function stash(): void {
    if (!activeId.value || !flow.value || !saved.value) return;
    const next = new Map(sessions.value);
    next.set(activeId.value, {
      flow: flow.value,
      saved: saved.value,
      version: version.value,
      selection: selection.value,
      undoStack: undoStack.value,
      redoStack: redoStack.value,
    });
    sessions.value = next;
  }

  function restore(id: string, session: EditorSession): void {
    activeId.value = id;
    flow.value = session.flow;
    saved.value = session.saved;
    version.value = session.version;
    selection.value = session.selection;
    undoStack.value = session.undoStack;
    redoStack.value = session.redoStack;
  }

  /** Opens a flow in a tab (or switches to its tab, keeping its unsaved changes). */
  async function open(id: string): Promise<void> {
    if (id === activeId.value && flow.value) return;
    const existing = sessions.value.get(id);
    if (existing) {
      stash();
      restore(id, existing);
      return;
    }
    const record = await getApiClient().invoke('flows.get', { id });
    stash();
    restore(id, {
      flow: record.flow,
      saved: record.flow,
      version: record.version,
      selection: [],
      undoStack: [],
      redoStack: [],
    });
    if (!openIds.value.includes(id)) openIds.value = [...openIds.value, id];
    stash();
    await loadHelpers(id).catch(() => undefined);
  }

  /** Reloads a flow from the database, dropping its unsaved changes and history. */
  async function load(id: string): Promise<void> {
    forget(id);
    await open(id);
  }

  function forget(id: string): void {
    const next = new Map(sessions.value);
    next.delete(id);
    sessions.value = next;
    if (activeId.value === id) {
      activeId.value = null;
      flow.value = saved.value = null;
    }
  }

  /** Closes a tab; returns the tab to show next, if any. */
  function closeTab(id: string): string | null {
    const index = openIds.value.indexOf(id);
    forget(id);
    openIds.value = openIds.value.filter((open) => open !== id);
    return openIds.value[Math.min(index, openIds.value.length - 1)] ?? null;
  }

  function closeAll(): void {
    sessions.value = new Map();
    openIds.value = [];
    activeId.value = null;
    flow.value = saved.value = null;
  }

  const tabs = computed<EditorTab[]>(() =>
    openIds.value.flatMap((id) => {
      const session = id === activeId.value ? { flow: flow.value, saved: saved.value } : sessions.value.get(id);
      if (!session?.flow) return [];
      return [
        {
          id,
          name: session.flow.name,
          dirty: session.flow !== session.saved,
          helper: session.flow.trigger.kind === 'helper',
        },
      ];
    }),
  );
  const dirtyTabs = computed(() => tabs.value.filter((tab) => tab.dirty));

  function apply(edit: Edit): void {
    if (!flow.value) return;
    const before = flow.value;
    flow.value = edit.apply(before);
    undoStack.value = [...undoStack.value.slice(-UNDO_LIMIT + 1), { label: edit.label, before }];
    redoStack.value = [];
  }

  function undo(): void {
    const last = undoStack.value.at(-1);
    if (!last || !flow.value) return;
    redoStack.value = [...redoStack.value, { label: last.label, after: flow.value }];
    undoStack.value = undoStack.value.slice(0, -1);
    flow.value = last.before;
  }

  function redo(): void {
    const next = redoStack.value.at(-1);
    if (!next || !flow.value) return;
    undoStack.value = [...undoStack.value, { label: next.label, before: flow.value }];
    redoStack.value = redoStack.value.slice(0, -1);
    flow.value = next.after;
  }

  async function save(): Promise<void> {
    if (!flow.value) return;
    const record = await getApiClient().invoke('flows.save', { flow: flow.value });
    // Keep the edited document object: it is what `dirty` compares against.
    saved.value = flow.value;
    version.value = record.version;
  }

  /** Saves every tab with unsaved changes (used when leaving the editor). */
  async function saveAll(): Promise<void> {
    await save();
    for (const [id, session] of sessions.value) {
      if (id === activeId.value || session.flow === session.saved) continue;
      const record = await getApiClient().invoke('flows.save', { flow: session.flow });
      sessions.value.set(id, { ...session, saved: session.flow, version: record.version });
    }
    sessions.value = new Map(sessions.value);
  }

  function select(ids: string[]): void {
    selection.value = ids;
  }

  function copy(): number {
    if (!flow.value || selection.value.length === 0) return 0;
    clipboard = copyFragment(flow.value, selection.value);
    return clipboard.nodes.length;
  }

  function paste(): void {
    if (clipboard && clipboard.nodes.length > 0) apply(pasteFragment(clipboard));
  }

  function removeSelected(): void {
    if (selection.value.length > 0) apply(removeCards(selection.value));
    selection.value = [];
  }

  function duplicateSelected(): void {
    if (!flow.value || selection.value.length === 0) return;
    apply(pasteFragment(copyFragment(flow.value, selection.value)));
  }

  return {
    flow,
    version,
    selection,
    dirty,
    canUndo,
    canRedo,
    undoLabel,
    redoLabel,
    problems,
    problemsByCard,
    helpers,
    tabs,
    dirtyTabs,
    activeId,
    open,
    closeTab,
    closeAll,
    saveAll,
    load,
    apply,
    undo,
    redo,
    save,
    select,
    copy,
    paste,
    removeSelected,
    duplicateSelected,
  };
});
