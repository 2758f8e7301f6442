/// <reference types="vitest/config" />
// Builds the UI into dist/ with relative asset paths, so the same files work from Tauri's
// custom protocol and from the local listener under /ui/.
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The desktop's CSP allows no inline script: keep the module-preload helper out.
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.test.ts'],
  },
});
