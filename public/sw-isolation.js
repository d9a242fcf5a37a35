/*
 * Cross-origin isolation for hosts that cannot set response headers (GitHub Pages and other static
 * hosts): the coi-serviceworker pattern, inside the app's own workbox service worker.
 *
 * vite.config.ts lists this file in workbox `importScripts`, so it runs before workbox registers
 * its routes and this fetch listener sees every request first. It does not answer requests itself:
 * it wraps `event.respondWith`, so whatever workbox answers with — the precached index.html for a
 * navigation, the precached chunks, workers and wasm — carries COOP/COEP. With those headers on the
 * page and its worker scripts the page is `crossOriginIsolated` (SharedArrayBuffer, wasm threads).
 * Requests workbox leaves alone go to the network unchanged: under COEP require-corp same-origin
 * subresources need no header, and a user's dataset URL is fetched with CORS, which COEP allows.
 * A response that already has COEP (a host that sets the headers) is passed through untouched.
 */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function isolated(response) {
  // Opaque responses cannot be rewrapped (their body is hidden); they pass as they are.
  if (!response || response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect')
    return response;
  if (response.headers.has('Cross-Origin-Embedder-Policy')) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

self.addEventListener('fetch', (event) => {
  const respondWith = event.respondWith.bind(event);
  event.respondWith = (answer) => respondWith(Promise.resolve(answer).then(isolated));
});
