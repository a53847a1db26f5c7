/**
 * The web interface's build: a single-page app served by the API under /app (apps/api/src/web).
 * `npm run web:build` writes dist/web and prints the gzipped size of the JavaScript a first visit loads.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/app/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      // Libraries' "use client" directives mean nothing without server components.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    // `npm run web:dev` next to `npm start`: the API on :3000 answers the app's calls.
    proxy: Object.fromEntries(
      [
        ...['/auth', '/me', '/memoranda', '/organisations', '/users', '/webhooks', '/health'],
        // Follow-up and supervision.
        ...['/commitments', '/reports', '/files', '/dashboard', '/supervision-scopes'],
      ].map((p) => [p, 'http://localhost:3000']),
    ),
  },
});
