/** Builds the renderer pages (desk, kiosk, display) into dist/renderer; the local server serves them. */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const page = (name: string) => fileURLToPath(new URL(`./renderer/${name}/index.html`, import.meta.url));

export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        desk: page('desk'),
        kiosk: page('kiosk'),
        display: page('display'),
        portal: page('portal'),
      },
    },
  },
});
