import { app, dialog } from 'electron';
import { runDesktopApp } from './desktop-app.js';

runDesktopApp().catch((error: unknown) => {
  // Last resort: a failure outside the database check still gets a dialog, not a silent exit.
  dialog.showErrorBox('Flowstead could not start', error instanceof Error ? error.message : String(error));
  app.exit(1);
});
