import { defineConfig } from 'vite'
import solid from 'vite-plugin-solid'

// Served by `draftroom serve` itself; in development, proxy to it.
export default defineConfig({
  plugins: [solid()],
  // One bundle, the editor and Yjs in it (about 500 kB, 160 kB gzipped):
  // every page needs them, so splitting would only add requests.
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 700 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8787',
      '/ws': { target: 'ws://127.0.0.1:8787', ws: true }
    }
  }
})
