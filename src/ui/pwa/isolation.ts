/**
 * Cross-origin isolation on hosts that cannot send COOP/COEP headers. Once the service worker is
 * active it adds them (public/sw-isolation.js), but only to pages it serves: the page of a first
 * visit was loaded before it existed and stays unisolated (no SharedArrayBuffer, one thread). So,
 * as coi-serviceworker does, reload once when the worker is ready — but only while the app is idle
 * (nothing loaded, nothing running): a reload must never cut off work; a busy first visit gets
 * isolation on its next load instead. One try per tab session, so a browser or host that blocks
 * isolation anyway cannot make the page reload in a loop.
 */
const TRIED = 'benchtop:isolation-reload';

export function isolateWhenIdle(idle: () => boolean): void {
  if (typeof window === 'undefined' || window.crossOriginIsolated || !window.isSecureContext) return;
  if (!('serviceWorker' in navigator)) return;
  try {
    if (sessionStorage.getItem(TRIED)) return;
  } catch {
    return; // storage blocked: no way to guard against a loop
  }
  void navigator.serviceWorker.ready.then(() => {
    if (!idle()) return;
    sessionStorage.setItem(TRIED, '1');
    location.reload();
  });
}
