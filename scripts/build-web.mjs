// Builds the browser apps under web/ into web/dist (served by src/web): the widget's chat UI (ES
// modules with hashed names, loaded lazily), its launcher /widget.js (one classic script that
// knows the chat UI's hashed entry), the agent console and the demo host page.
import { cp, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const web = join(dirname(fileURLToPath(import.meta.url)), '..', 'web');
const dist = join(web, 'dist');
const common = {
  configFile: false,
  logLevel: 'warn',
  root: web,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
};

await rm(dist, { recursive: true, force: true });

await build({
  ...common,
  base: '/widget/',
  build: {
    outDir: join(dist, 'widget'),
    manifest: true,
    target: 'es2020',
    rolldownOptions: {
      input: { chat: join(web, 'widget/chat/main.tsx') },
      preserveEntrySignatures: 'exports-only',
      output: { entryFileNames: '[name]-[hash].js', chunkFileNames: '[name]-[hash].js', assetFileNames: '[name]-[hash][extname]' },
    },
  },
});
const manifest = JSON.parse(await readFile(join(dist, 'widget/.vite/manifest.json'), 'utf8'));
const chatEntry = manifest['widget/chat/main.tsx'].file;
await rm(join(dist, 'widget/.vite'), { recursive: true });

await build({
  ...common,
  define: { __CHAT_ENTRY__: JSON.stringify(chatEntry) },
  build: {
    outDir: dist,
    emptyOutDir: false,
    target: 'es2020',
    lib: { entry: join(web, 'widget/launcher.ts'), formats: ['iife'], name: 'LiveChatLauncher', fileName: () => 'widget.js' },
  },
});

await build({
  ...common,
  root: join(web, 'console'),
  base: '/console/',
  build: { outDir: join(dist, 'console'), emptyOutDir: false, target: 'es2020' },
});

await cp(join(web, 'demo'), join(dist, 'demo'), { recursive: true });
console.log(`web: built into ${dist} (chat UI entry widget/${chatEntry})`);
