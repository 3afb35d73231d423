import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // A static SPA served by the Kenes server, which falls back to index.html for every route.
    // Precompressed (gzip, brotli) so the server sends small files without compressing on each request.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', precompress: true }),
  },
};

export default config;
