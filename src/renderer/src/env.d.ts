/// <reference types="vite/client" />
import type { ApiTransport, MenuBridge } from '../../shared/api/client.js';

declare global {
  interface Window {
    /** Present in the desktop app only: set by the preload script. */
    api?: ApiTransport;
    menu?: MenuBridge;
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
