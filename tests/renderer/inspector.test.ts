import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import CardInspector from '../../src/renderer/src/canvas/CardInspector.vue';
import { findDescriptor } from '../../src/shared/cards/catalog.js';
import type { CardNode } from '../../src/shared/flow/schema.js';

const upstream = [
  { node: 'trigger', nodeTitle: 'Trigger', output: 'first', type: 'text' },
  { node: 'compose1', nodeTitle: 'Compose', output: 'text', type: 'text' },
];

function mountInspector(card: CardNode) {
  return mount(CardInspector, { props: { card, descriptor: findDescriptor(card.type), upstream, problems: [] } });
}

describe('card inspector', () => {
  it('generates one field per input of the card, typed by the descriptor', () => {
    const wrapper = mountInspector({ id: 'replace1', type: 'text.replace', position: { x: 0, y: 0 }, inputs: {} });
    const names = wrapper.findAll('[data-input]').map((w) => w.attributes('data-input'));
    expect(names).toEqual(['text', 'find', 'replaceWith', 'all']);
    // `all` is true/false: a switch, not a text box.
    expect(wrapper.find('[data-input="all"] .n-switch').exists()).toBe(true);
  });

  it('shows template fields as chips', () => {
    const wrapper = mountInspector({
      id: 'compose1',
      type: 'text.compose',
      position: { x: 0, y: 0 },
      inputs: { text: { kind: 'template', text: 'Hello {{trigger.first}}!' } },
    });
    expect(wrapper.findAll('.chips .chip').map((c) => c.text())).toEqual(['trigger.first']);
  });

  it('binds an input when an earlier value is dropped on it', async () => {
    const wrapper = mountInspector({ id: 'upper1', type: 'text.upper', position: { x: 0, y: 0 }, inputs: {} });
    const data = { getData: () => 'compose1.text', types: ['application/x-flowstead-ref'] };
    await wrapper.find('[data-input="text"]').trigger('drop', { dataTransfer: data });
    expect(wrapper.emitted('input')?.[0]).toEqual(['text', { kind: 'ref', node: 'compose1', path: ['text'] }]);
  });

  it('adds named fields to cards that take them, such as Return', async () => {
    const wrapper = mountInspector({ id: 'return1', type: 'control.return', position: { x: 0, y: 0 }, inputs: {} });
    await wrapper.find('input[aria-label="New field name"]').setValue('email');
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Add field')!
      .trigger('click');
    expect(wrapper.emitted('input')?.[0]).toEqual(['email', { kind: 'literal', value: '' }]);
  });

  it('lists the values of earlier cards to drag', () => {
    const wrapper = mountInspector({ id: 'upper1', type: 'text.upper', position: { x: 0, y: 0 }, inputs: {} });
    expect(wrapper.findAll('.upstream .chip').map((c) => c.text())).toEqual(['Trigger › first', 'Compose › text']);
  });
});
