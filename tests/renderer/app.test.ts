import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiResult, FlowSummary } from '../../src/shared/api/contract.js';

type Invoke = (method: string, input: unknown) => Promise<ApiResult<unknown>>;

/** Mounts a fresh App with a fake preload transport (the module caches its API client). */
async function mountApp(invoke: Invoke) {
  vi.resetModules();
  (window as unknown as { api: unknown }).api = { invoke: vi.fn(invoke), on: () => () => undefined };
  const { default: App } = await import('../../src/renderer/src/App.vue');
  const wrapper = mount(App, { global: { plugins: [createPinia()] } });
  await flushPromises();
  return wrapper;
}

const summary = (id: string, name: string, folder = ''): FlowSummary => ({
  id,
  name,
  folder,
  description: '',
  triggerKind: 'manual',
  version: 3,
  updatedAt: '2026-11-28T10:00:00.000Z',
});

// The first import compiles App.vue and every screen (naive-ui included), which can take longer
// than a test's 5 s budget on a busy 2-core machine; warm the transform cache once up front.
beforeAll(async () => {
  await import('../../src/renderer/src/App.vue');
}, 60_000);

afterEach(() => {
  delete (window as unknown as { api?: unknown }).api;
});

describe('flows page', () => {
  it('lists the saved flows by name and folder', async () => {
    const wrapper = await mountApp(async () => ({
      ok: true,
      value: [summary('a', 'Joiner: create accounts', 'HR'), summary('b', 'Leaver: disable access')],
    }));
    const names = wrapper.findAll('.flow .name').map((n) => n.text());
    expect(names).toEqual(['Joiner: create accounts', 'Leaver: disable access']);
    expect(wrapper.find('.flow .meta').text()).toContain('HR');
  });

  it('shows an empty state when there are no flows', async () => {
    const wrapper = await mountApp(async () => ({ ok: true, value: [] }));
    expect(wrapper.text()).toContain('No flows yet.');
  });

  it('shows the error message and retries when asked', async () => {
    let calls = 0;
    const wrapper = await mountApp(async () =>
      ++calls === 1
        ? { ok: false, error: { code: 'DB_LOCKED', message: 'The database is busy. Try again in a moment.' } }
        : { ok: true, value: [summary('a', 'Mover: change department')] },
    );
    expect(wrapper.find('[role="alert"]').text()).toContain('The database is busy');
    await wrapper.find('[role="alert"] button').trigger('click');
    await flushPromises();
    expect(wrapper.find('.flow .name').text()).toBe('Mover: change department');
  });

  it('shows the message when the transport itself rejects', async () => {
    const wrapper = await mountApp(() => Promise.reject(new Error('The Flowstead back end stopped responding.')));
    expect(wrapper.find('[role="alert"]').text()).toContain('The Flowstead back end stopped responding.');
    expect(wrapper.findAll('.flow')).toHaveLength(0);
  });

  it('filters the list by search words and by folder', async () => {
    const wrapper = await mountApp(async () => ({
      ok: true,
      value: [summary('a', 'Joiner: create accounts', 'HR'), summary('b', 'Leaver: disable access', 'IT')],
    }));
    await wrapper.find('input[placeholder="Search flows"]').setValue('leaver');
    expect(wrapper.findAll('.flow .name').map((n) => n.text())).toEqual(['Leaver: disable access']);
  });

  it('opens the New flow form when File › New Flow is chosen in the app menu', async () => {
    let deliver: ((command: string) => void) | undefined;
    (window as unknown as { menu: unknown }).menu = {
      on: (listener: (command: string) => void) => {
        deliver = listener;
        return () => (deliver = undefined);
      },
    };
    try {
      await mountApp(async () => ({ ok: true, value: [] }));
      deliver?.('flow.new');
      await flushPromises();
      expect(document.querySelector('input[placeholder="e.g. Joiner: create accounts"]')).not.toBeNull();
    } finally {
      delete (window as unknown as { menu?: unknown }).menu;
    }
  });
});
