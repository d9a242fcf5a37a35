// benchtop-runtime: the library build of src/runtime (no UI, no PWA, no Solid plugin).
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    target: 'es2022',
    outDir: 'dist-runtime',
    emptyOutDir: true,
    lib: { entry: 'src/runtime/index.ts', formats: ['es'], fileName: () => 'benchtop-runtime.js' },
    rollupOptions: { external: [/^@tensorflow\//] },
  },
});
