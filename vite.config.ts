import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';

/** The web app manifest: what makes HSCP Training installable on a phone. */
const manifest = {
	name: 'HSCP Training',
	short_name: 'HSCP Training',
	description:
		'Book, attend and evaluate multi-agency safeguarding children training from the Hampshire Safeguarding Children Partnership.',
	lang: 'en-GB',
	start_url: '/',
	scope: '/',
	display: 'standalone' as const,
	background_color: '#ffffff',
	theme_color: '#4c2c92',
	icons: [
		{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
		{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
		{
			src: '/icons/icon-maskable-512.png',
			sizes: '512x512',
			type: 'image/png',
			purpose: 'maskable'
		}
	]
};

export default defineConfig({
	plugins: [
		sveltekit(),
		SvelteKitPWA({
			strategies: 'generateSW',
			registerType: 'prompt',
			injectRegister: false,
			manifest,
			includeAssets: ['favicon.svg', 'icons/*.png'],
			// Once installed, the service worker answers every navigation with the app shell
			// (spa.html) and the pages render from the device's copy, online or not. The
			// prerendered pages serve first visits and link previews, and are not precached.
			kit: { adapterFallback: 'spa.html', spa: { fallbackMapping: '/spa.html' } },
			workbox: {
				navigateFallback: '/spa.html',
				clientsClaim: true,
				cleanupOutdatedCaches: true,
				globPatterns: ['client/**/*.{js,css,svg,png,webmanifest,woff2}'],
				// an explicit (empty) prefix map stops @vite-pwa/sveltekit adding the prerendered
				// pages back to the patterns
				modifyURLPrefix: {}
			},
			devOptions: { enabled: false }
		})
	],
	css: {
		preprocessorOptions: {
			scss: {
				loadPaths: ['node_modules'],
				// govuk-frontend 5 still uses @import and global functions
				quietDeps: true,
				silenceDeprecations: ['import', 'global-builtin', 'if-function']
			}
		}
	},
	// No <link rel=modulepreload> inserted for each module a page's chunks import: on a return
	// visit they come from the service worker's cache in milliseconds, and inserting ~30 links
	// while the page starts cost My training 60-75 ms of a long task at 4x CPU (Lighthouse TBT,
	// BENCHMARKS.md). The browser fetches each import as it finds it.
	build: { modulePreload: false },
	server: { port: 5173, strictPort: true },
	preview: { port: 4173, strictPort: true },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.spec.ts', 'tests/lint/**/*.spec.ts'],
					environment: 'node',
					setupFiles: ['src/test-setup.ts']
				}
			},
			{
				extends: true,
				test: {
					name: 'db',
					include: ['tests/db/**/*.spec.ts', 'tests/api/**/*.spec.ts'],
					environment: 'node',
					globalSetup: ['tests/db/global-setup.ts'],
					setupFiles: ['src/test-setup.ts'],
					fileParallelism: false,
					testTimeout: 20_000,
					hookTimeout: 60_000
				}
			}
		]
	}
});
