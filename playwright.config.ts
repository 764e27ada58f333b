import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/chromium.js';

// The suite runs against the built app and its own local Supabase on separate ports, so it
// never touches the data of a running `npm run dev`.
export const API_PORT = 55321;
export const DB_PORT = 55322;
const APP_PORT = 4173;

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 30_000,
	reporter: process.env.CI ? 'list' : [['list']],
	use: {
		baseURL: `http://127.0.0.1:${APP_PORT}`,
		serviceWorkers: 'allow',
		trace: 'retain-on-failure',
		launchOptions: chromiumLaunchOptions
	},
	projects: [{ name: 'phone', use: { ...devices['Pixel 7'], browserName: 'chromium' } }],
	webServer: [
		{
			command: 'node supabase/local/start.js --fresh',
			url: `http://127.0.0.1:${API_PORT}/auth/v1/health`,
			env: {
				LOCAL_API_PORT: String(API_PORT),
				LOCAL_DB_PORT: String(DB_PORT),
				LOCAL_DB_DIR: 'supabase/.local/pgdata-e2e'
			},
			reuseExistingServer: false,
			timeout: 60_000
		},
		{
			command: `npx vite build && node tests/static-server.js build-e2e ${APP_PORT}`,
			url: `http://127.0.0.1:${APP_PORT}/`,
			env: { BUILD_DIR: 'build-e2e', PUBLIC_SUPABASE_URL: `http://127.0.0.1:${API_PORT}` },
			reuseExistingServer: false,
			timeout: 180_000
		}
	]
});
