/**
 * The explorer UI build: Preact through @preact/preset-vite, output to dist/ui (index.html plus
 * content-hashed assets/) which the node serves on its RPC port. No CDN: everything is bundled.
 * src/preload-start.ts is inlined into index.html's <head> as a classic script (types stripped),
 * so the page's API requests start while the HTML is parsed, before the bundle arrives.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin, transformWithOxc } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const MARKER = '<!-- tally:preload -->';
const preloadSource = fileURLToPath(new URL('./src/preload-start.ts', import.meta.url));

function inlinePreload(): Plugin {
  return {
    name: 'tally-inline-preload',
    async transformIndexHtml(html) {
      const { code } = await transformWithOxc(readFileSync(preloadSource, 'utf8'), preloadSource, {
        lang: 'ts',
      });
      // At the marker, after <meta charset> and before the stylesheet (a classic script after a
      // stylesheet waits for it); an IIFE keeps its names out of the page's global scope.
      if (!html.includes(MARKER)) throw new Error(`ui/index.html lacks the ${MARKER} marker`);
      // A replacer function: the code holds `$` sequences that a replacement string would expand.
      return html.replace(MARKER, () => `<script>(() => {\n${code}})();</script>`);
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [preact(), inlinePreload()],
  build: {
    outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
