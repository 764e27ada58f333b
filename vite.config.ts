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
			kit: { adapterFallback: 'index.html', spa: { fallbackMapping: '/' } },
			workbox: {
				navigateFallback: '/',
				clientsClaim: true,
				cleanupOutdatedCaches: true,
				globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,woff2}']
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
	server: { port: 5173, strictPort: true },
	preview: { port: 4173, strictPort: true },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.spec.ts'],
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
