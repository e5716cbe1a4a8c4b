import { defineConfig } from 'vite'
import solid from 'vite-plugin-solid'

// Served by `draftroom serve` itself; in development, proxy to it.
export default defineConfig({
  plugins: [solid()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8787',
      '/ws': { target: 'ws://127.0.0.1:8787', ws: true }
    }
  }
})
