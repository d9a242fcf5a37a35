import { createContext, useContext } from 'solid-js';
import type { Recovery } from '../../state/recovery';
import type { Storage } from '../../state/storage';
import type { Pwa } from './pwa';

/** Offline use and the user's stored data: the PWA, browser storage and crash recovery. */
export interface Offline {
  pwa: Pwa | null;
  storage: Storage;
  recovery: Recovery;
}

export const OfflineContext = createContext<Offline>();

/** null outside a provider (component tests, or an app built without these features). */
export function useOffline(): Offline | null {
  return useContext(OfflineContext) ?? null;
}
