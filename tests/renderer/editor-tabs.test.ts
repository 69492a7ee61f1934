import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResult } from '../../src/shared/api/contract.js';
import type { FlowDocument } from '../../src/shared/flow/schema.js';

const doc = (id: string, name: string, helper = false): FlowDocument =>
  ({
    schemaVersion: 1,
    id,
    name,
    folder: '',
    description: '',
    historyLevel: 'full',
    trigger: helper ? { kind: 'helper', inputs: [] } : { kind: 'manual', inputs: [] },
    nodes: [{ id: 'a', type: 'text.compose', position: { x: 0, y: 0 }, inputs: {} }],
    edges: [],
  }) as unknown as FlowDocument;

const stored = new Map<string, FlowDocument>();
const saves: string[] = [];

async function editorStore() {
  vi.resetModules();
  (window as unknown as { api: unknown }).api = {
    invoke: async (method: string, input: { id?: string; flow?: FlowDocument }): Promise<ApiResult<unknown>> => {
      if (method === 'flows.get') return { ok: true, value: { flow: stored.get(input.id!)!, version: 1 } };
      if (method === 'flows.list') return { ok: true, value: [] };
      if (method === 'flows.save') {
        saves.push(input.flow!.id);
        stored.set(input.flow!.id, input.flow!);
        return { ok: true, value: { version: 2 } };
      }
      throw new Error(`unexpected ${method}`);
    },
    on: () => () => undefined,
  };
  const { useEditorStore } = await import('../../src/renderer/src/editor/editor.store.js');
  const { renameCard } = await import('../../src/renderer/src/editor/edits.js');
  setActivePinia(createPinia());
  return { editor: useEditorStore(), renameCard };
}

beforeEach(() => {
  stored.clear();
  saves.length = 0;
  stored.set('main', doc('main', 'Onboard'));
  stored.set('helper', doc('helper', 'Build greeting', true));
});
afterEach(() => {
  delete (window as unknown as { api?: unknown }).api;
});

describe('editor tabs', () => {
  it('keeps each tab’s unsaved changes and undo history when switching', async () => {
    const { editor, renameCard } = await editorStore();
    await editor.open('main');
    await editor.open('helper');
    editor.apply(renameCard('a', 'Greeting text'));
    expect(editor.tabs.map((t) => [t.name, t.dirty, t.helper])).toEqual([
      ['Onboard', false, false],
      ['Build greeting', true, true],
    ]);

    await editor.open('main');
    expect(editor.flow?.id).toBe('main');
    expect(editor.canUndo).toBe(false);

    await editor.open('helper');
    expect(editor.flow?.nodes[0]?.title).toBe('Greeting text');
    expect(editor.canUndo).toBe(true);
    editor.undo();
    expect(editor.flow?.nodes[0]?.title).toBeUndefined();
    expect(editor.dirty).toBe(false);
  });

  it('saves every changed tab with saveAll and closes tabs to a neighbour', async () => {
    const { editor, renameCard } = await editorStore();
    await editor.open('main');
    editor.apply(renameCard('a', 'First'));
    await editor.open('helper');
    editor.apply(renameCard('a', 'Second'));
    expect(editor.dirtyTabs).toHaveLength(2);

    await editor.saveAll();
    expect(saves.sort()).toEqual(['helper', 'main']);
    expect(stored.get('main')?.nodes[0]?.title).toBe('First');
    expect(editor.dirtyTabs).toHaveLength(0);

    expect(editor.closeTab('helper')).toBe('main');
    expect(editor.closeTab('main')).toBeNull();
    expect(editor.tabs).toEqual([]);
  });
});
