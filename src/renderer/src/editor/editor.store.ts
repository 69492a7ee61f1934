import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { FlowSummary, ValidationProblem } from '../../../shared/api/contract.js';
import { findDescriptor } from '../../../shared/cards/catalog.js';
import type { FlowDocument } from '../../../shared/flow/schema.js';
import { validateFlow } from '../../../shared/flow/validate.js';
import { getApiClient } from '../api/client.js';
import { copyFragment, pasteFragment, removeCards, type Edit, type Fragment } from './edits.js';

const UNDO_LIMIT = 200;

/** Cards copied in any flow; pasting works across flows. */
let clipboard: Fragment | null = null;

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

  const dirty = computed(() => flow.value !== saved.value);
  const canUndo = computed(() => undoStack.value.length > 0);
  const canRedo = computed(() => redoStack.value.length > 0);
  const undoLabel = computed(() => undoStack.value.at(-1)?.label);
  const redoLabel = computed(() => redoStack.value.at(-1)?.label);

  const problems = computed<ValidationProblem[]>(() =>
    flow.value ? validateFlow(flow.value, { findDescriptor, findFlow: (id) => helperDocs.get(id) }) : [],
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

  async function load(id: string): Promise<void> {
    const record = await getApiClient().invoke('flows.get', { id });
    flow.value = saved.value = record.flow;
    version.value = record.version;
    selection.value = [];
    undoStack.value = [];
    redoStack.value = [];
    await loadHelpers(id).catch(() => undefined);
  }

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
