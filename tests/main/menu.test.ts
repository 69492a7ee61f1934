import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate } from '../../src/main/menu.js';

function allItems(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? allItems(item.submenu) : [])]);
}
const roles = (items: MenuItemConstructorOptions[]) =>
  allItems(items)
    .map((item) => item.role)
    .filter(Boolean);

describe('application menu', () => {
  it('has New Flow and Save with CmdOrCtrl accelerators that send menu commands', () => {
    const send = vi.fn();
    const items = allItems(buildMenuTemplate({ isMac: false, isDev: false, send }));
    const save = items.find((item) => item.label === 'Save');
    const newFlow = items.find((item) => item.label === 'New Flow');
    expect(save?.accelerator).toBe('CmdOrCtrl+S');
    expect(newFlow?.accelerator).toBe('CmdOrCtrl+N');

    (save?.click as () => void)();
    (newFlow?.click as () => void)();
    expect(send.mock.calls).toEqual([['flow.save'], ['flow.new']]);
  });

  it('sends undo, redo, duplicate and layout to the page, which knows whether a text field or the canvas is meant', () => {
    const send = vi.fn();
    const items = allItems(buildMenuTemplate({ isMac: false, isDev: false, send }));
    const byLabel = (label: string) => items.find((item) => item.label === label);
    expect(byLabel('Undo')?.accelerator).toBe('CmdOrCtrl+Z');
    expect(byLabel('Redo')?.accelerator).toBe('CmdOrCtrl+Shift+Z');
    expect(byLabel('Duplicate')?.accelerator).toBe('CmdOrCtrl+D');
    for (const label of ['Undo', 'Redo', 'Duplicate', 'Auto-layout', 'Fit Flow to Window'])
      (byLabel(label)?.click as () => void)();
    expect(send.mock.calls.flat()).toEqual([
      'edit.undo',
      'edit.redo',
      'edit.duplicate',
      'view.autoLayout',
      'view.fitView',
    ]);
  });

  it('offers the usual editing, zoom and window roles', () => {
    const present = roles(buildMenuTemplate({ isMac: false, isDev: false, send: () => {} }));
    for (const role of [
      'cut',
      'copy',
      'paste',
      'selectAll',
      'zoomIn',
      'zoomOut',
      'resetZoom',
      'togglefullscreen',
      'windowMenu',
      'quit',
    ]) {
      expect(present).toContain(role);
    }
  });

  it('keeps reload and developer tools out of the released app', () => {
    const released = roles(buildMenuTemplate({ isMac: false, isDev: false, send: () => {} }));
    const developing = roles(buildMenuTemplate({ isMac: false, isDev: true, send: () => {} }));
    expect(released).not.toContain('toggleDevTools');
    expect(released).not.toContain('reload');
    expect(developing).toContain('toggleDevTools');
    expect(developing).toContain('reload');
  });

  it('follows macOS conventions: app menu first, Close instead of Quit in File', () => {
    const template = buildMenuTemplate({ isMac: true, isDev: false, send: () => {} });
    expect(template[0]?.role).toBe('appMenu');
    const file = template[1]?.submenu as MenuItemConstructorOptions[];
    expect(file.map((item) => item.role)).toContain('close');
    expect(file.map((item) => item.role)).not.toContain('quit');
  });
});
