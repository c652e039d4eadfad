import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is served by Hotline at /console/. Nothing is inlined (the CSP forbids inline
// scripts) and nothing refers to another host.
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // The workspace loads about 490 KB; a chunk past this is a regression worth a look.
    chunkSizeWarningLimit: 600,
  },
});
