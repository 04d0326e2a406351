/**
 * The console's build: Vite 8 (Rolldown) with Oxc transforming TSX (automatic JSX runtime, so no
 * React plugin). Output in web/dist, which `tessera serve` serves at `/`. In development
 * (`npx vite --config web/vite.config.ts`) API calls are proxied to a control plane on :8080.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
