/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

// The UI is served by Tauri from ui/dist (tauri.conf.json `frontendDist`).
// Everything it needs is bundled: no CDN, no remote font, no inline script.
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  resolve: {
    alias: {
      $lib: fileURLToPath(new URL('./src/lib', import.meta.url)),
      // Shared project assets (fonts) live at the repository root.
      $assets: fileURLToPath(new URL('../assets', import.meta.url)),
    },
  },
  // Tauri's dev mode loads devUrl; a fixed port keeps it in step.
  server: {
    port: 5173,
    strictPort: true,
    fs: { allow: [repoRoot] },
  },
  clearScreen: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK 2.40+ (Debian 12) handles ES2021.
    target: 'es2021',
    // Emit every asset as a file: the CSP allows fonts from 'self' only.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    restoreMocks: true,
  },
});
