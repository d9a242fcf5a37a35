/// <reference types="vite-plugin-pwa/vanillajs" />
/**
 * The service worker and the install prompt, as Solid signals for the UI: `offlineReady` once the
 * app is cached (it then works with the network off), `needRefresh` when a new version waits
 * (the user chooses when to reload, so unsaved work is never cut off), and `canInstall` while the
 * browser offers installation (beforeinstallprompt).
 */

import { registerSW } from 'virtual:pwa-register';
import { createSignal } from 'solid-js';

/** Chromium's install event; not in the DOM typings. */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export interface Pwa {
  offlineReady: () => boolean;
  needRefresh: () => boolean;
  canInstall: () => boolean;
  installed: () => boolean;
  install(): Promise<boolean>;
  /** Activates the waiting service worker and reloads into the new version. */
  update(): Promise<void>;
  dismissUpdate(): void;
}

export function createPwa(): Pwa {
  const [offlineReady, setOfflineReady] = createSignal(
    typeof navigator !== 'undefined' && !!navigator.serviceWorker?.controller,
  );
  const [needRefresh, setNeedRefresh] = createSignal(false);
  const [installEvent, setInstallEvent] = createSignal<BeforeInstallPromptEvent | null>(null);
  const [installed, setInstalled] = createSignal(
    typeof matchMedia === 'function' && matchMedia('(display-mode: standalone)').matches,
  );

  let updateSW: (reload?: boolean) => Promise<void> = async () => undefined;
  if (typeof navigator !== 'undefined' && 'serviceWorker' in navigator) {
    updateSW = registerSW({
      onOfflineReady: () => setOfflineReady(true),
      onNeedRefresh: () => setNeedRefresh(true),
      onRegisteredSW: (_url, registration) => {
        if (registration?.active) setOfflineReady(true);
      },
    });
    navigator.serviceWorker.addEventListener('controllerchange', () => setOfflineReady(true));
  }
  window.addEventListener('beforeinstallprompt', (e) => {
    // Keep the browser's mini-infobar quiet; the sidebar offers "Install" instead.
    e.preventDefault();
    setInstallEvent(e as BeforeInstallPromptEvent);
  });
  window.addEventListener('appinstalled', () => {
    setInstallEvent(null);
    setInstalled(true);
  });

  return {
    offlineReady,
    needRefresh,
    canInstall: () => installEvent() !== null,
    installed,
    async install() {
      const e = installEvent();
      if (!e) return false;
      setInstallEvent(null);
      await e.prompt();
      return (await e.userChoice).outcome === 'accepted';
    },
    update: () => updateSW(true),
    dismissUpdate: () => setNeedRefresh(false),
  };
}
