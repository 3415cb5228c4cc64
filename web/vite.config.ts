// Vite builds web/ into web/dist, which `eseal serve` serves from "/" (src/server/static_files.cpp).
// No plugins: esbuild compiles TSX (automatic JSX runtime); nothing is fetched at build time.
import { defineConfig } from 'vite';

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', assetsDir: 'assets', sourcemap: false, target: 'es2020', reportCompressedSize: false },
  server: {
    // `npm run dev` against a running `eseal serve` (make run).
    proxy: { '/api': 'http://127.0.0.1:8080', '/sandbox': 'http://127.0.0.1:8080' },
  },
});
