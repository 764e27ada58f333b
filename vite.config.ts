import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';
import { manifest } from './src/web-app-manifest';

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
				test: {
					name: 'db',
					include: ['tests/db/**/*.spec.ts', 'tests/api/**/*.spec.ts'],
					environment: 'node',
					globalSetup: ['tests/db/global-setup.ts'],
					fileParallelism: false,
					testTimeout: 20_000,
					hookTimeout: 60_000
				}
			}
		]
	}
});
