/** How the compute backend is described in the status bar. */
import type { BackendInfo } from '../../protocol/api';

export function backendLabel(info: BackendInfo | null, error: string | null): string {
  if (!info) return error ? `Backend unknown (${error})` : 'Starting the engine…';
  if (info.kernels === 'webgpu') {
    const a = info.adapter;
    const name = a ? [a.vendor, a.architecture || a.device].filter(Boolean).join(' ') || a.description : '';
    const fallback = a?.isFallbackAdapter ? ' (fallback adapter)' : '';
    return `WebGPU${name ? ` · ${name}` : ''}${fallback}`;
  }
  const refused = info.fallbacks.find((f) => f.backend === 'webgpu');
  return `CPU${refused ? ` (WebGPU unavailable: ${refused.reason})` : ''}`;
}

/** Every fact we have, one per line, for the tooltip and the details popover. */
export function backendDetails(info: BackendInfo | null): string[] {
  if (!info) return [];
  const lines = [`Kernels: ${info.kernels}`, `tfjs backend: ${info.tfjs}`];
  const a = info.adapter;
  if (a) {
    lines.push(
      `Adapter: ${[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' · ') || 'unnamed'}`,
      `Fallback (software) adapter: ${a.isFallbackAdapter ? 'yes' : 'no'}`,
      `Max storage binding: ${Math.round(a.maxStorageBufferBindingSize / 2 ** 20)} MiB`,
      `Max buffer: ${Math.round(a.maxBufferSize / 2 ** 20)} MiB`,
    );
  }
  for (const f of info.fallbacks) lines.push(`Not used — ${f.backend}: ${f.reason}`);
  if (info.deviceLosses > 0) lines.push(`GPU device lost and recovered ${info.deviceLosses}×`);
  return lines;
}
