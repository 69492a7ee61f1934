import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, Menu, app, dialog, ipcMain, resetFakeElectron } from './fake-electron.js';
import { FlowsteadError } from '../../src/shared/errors.js';
import { openEngine } from '../../src/engine/app.js';
import type { EngineApp } from '../../src/engine/app.js';
import { runDesktopApp } from '../../src/main/desktop-app.js';

vi.mock('electron', () => import('./fake-electron.js'));
// The shell is under test, not the engine: no database is opened.
vi.mock('../../src/engine/app.js', () => ({ openEngine: vi.fn() }));

const argv = ['/opt/Flowstead/flowstead', '--db', '/data/flowstead.db'];

function fakeEngine(): EngineApp & { close: ReturnType<typeof vi.fn> } {
  return {
    handlers: {} as EngineApp['handlers'],
    services: {} as EngineApp['services'],
    onProgress: vi.fn(() => () => {}),
    close: vi.fn(async () => {}),
  };
}

describe('desktop app lifecycle', () => {
  beforeEach(() => {
    resetFakeElectron();
    vi.mocked(openEngine).mockReset();
  });

  it('opens the database named by --db, binds the API, installs the menu and opens the window', async () => {
    const engine = fakeEngine();
    vi.mocked(openEngine).mockResolvedValue(engine);
    await runDesktopApp(argv);

    expect(app.enableSandbox).toHaveBeenCalled();
    expect(openEngine).toHaveBeenCalledWith({ dbPath: '/data/flowstead.db', version: '0.1.0' });
    expect(ipcMain.handle).toHaveBeenCalledWith('flowstead:invoke', expect.any(Function));
    expect(Menu.setApplicationMenu).toHaveBeenCalledOnce();
    expect(BrowserWindow.instances).toHaveLength(1);
    expect(engine.onProgress).toHaveBeenCalledOnce();
  });

  it('shows a clear dialog instead of crashing when the database is too new', async () => {
    const message = 'This database was written by a newer Flowstead. Update Flowstead to open it.';
    vi.mocked(openEngine).mockRejectedValue(new FlowsteadError('DB_TOO_NEW', message));
    await runDesktopApp(argv);

    expect(dialog.showErrorBox).toHaveBeenCalledOnce();
    const [title, text] = dialog.showErrorBox.mock.calls[0] as [string, string];
    expect(title).toMatch(/database/i);
    expect(text).toContain(message);
    expect(text).toContain('/data/flowstead.db');
    expect(text).toContain('DB_TOO_NEW');
    expect(app.exit).toHaveBeenCalledWith(1);
    expect(BrowserWindow.instances).toHaveLength(0);
    expect(ipcMain.handle).not.toHaveBeenCalled();
  });

  it('reports a --db option without a path in the same dialog', async () => {
    await runDesktopApp(['/opt/Flowstead/flowstead', '--db']);
    expect(dialog.showErrorBox.mock.calls[0]?.[1]).toContain('DB_FLAG_MISSING_PATH');
    expect(openEngine).not.toHaveBeenCalled();
  });

  it('leaves a second instance to the first one, which brings its window forward', async () => {
    app.requestSingleInstanceLock.mockReturnValue(false);
    await runDesktopApp(argv);
    expect(app.quit).toHaveBeenCalled();
    expect(openEngine).not.toHaveBeenCalled();

    resetFakeElectron();
    vi.mocked(openEngine).mockResolvedValue(fakeEngine());
    await runDesktopApp(argv);
    const window = BrowserWindow.instances[0];
    window?.isMinimized.mockReturnValue(true);
    app.emit('second-instance', {}, argv, '/');
    expect(window?.restore).toHaveBeenCalled();
    expect(window?.focus).toHaveBeenCalled();
  });

  it('closes the engine before quitting', async () => {
    const engine = fakeEngine();
    vi.mocked(openEngine).mockResolvedValue(engine);
    await runDesktopApp(argv);

    const event = { preventDefault: vi.fn() };
    app.emit('will-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(engine.close).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());

    // The second will-quit, after the engine closed, goes through.
    const again = { preventDefault: vi.fn() };
    app.emit('will-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });

  it('refuses <webview> and pop-ups in every web contents', async () => {
    vi.mocked(openEngine).mockResolvedValue(fakeEngine());
    await runDesktopApp(argv);
    const contents = new BrowserWindow({}).webContents;
    app.emit('web-contents-created', {}, contents);
    const attach = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.preventDefault).toHaveBeenCalled();
    expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });
});
