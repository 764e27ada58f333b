import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const features = ['account', 'brochure', 'booking', 'attendance', 'evaluation', 'impact', 'admin'];
const featureImports = features.map((f) => `$lib/${f}`).flatMap((f) => [f, `${f}/*`]);

/** Imports flow one way: routes → features → data/sync → supabase (docs/architecture.md, Layers). */
const layer = (files, group, message, components = false) => ({
	files,
	rules: {
		'no-restricted-imports': [
			'error',
			{
				patterns: [
					{ group, message },
					// components are PascalCase.svelte; rune modules (x.svelte.ts) are allowed
					...(components
						? [{ regex: '(^|/)[A-Z][A-Za-z0-9]*\\.svelte$', caseSensitive: true, message }]
						: [])
				]
			}
		]
	}
});

export default ts.config(
	{
		ignores: [
			'build/',
			'build-e2e/',
			'build-bench/',
			'.svelte-kit/',
			'dev-dist/',
			'supabase/.local/',
			'test-results/',
			'playwright-report/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: { 'no-undef': 'off' }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.ts'],
		ignores: ['eslint.config.js', 'svelte.config.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: { '@typescript-eslint/no-floating-promises': 'error' }
	},
	layer(['src/lib/**'], ['**/routes/**', '$routes/**'], 'src/lib never imports from src/routes'),
	layer(
		['src/**'],
		['@supabase/supabase-js'],
		'Only src/lib/sync and src/lib/supabase talk to Supabase'
	),
	{
		files: ['src/lib/sync/**', 'src/lib/supabase/**'],
		rules: { 'no-restricted-imports': 'off' }
	},
	layer(
		['src/lib/sync/**'],
		[...featureImports, '$lib/ui', '$lib/ui/*'],
		'The sync engine sits below the features and never imports a component',
		true
	),
	layer(
		['src/lib/data/**'],
		[
			...featureImports,
			'$lib/sync',
			'$lib/sync/*',
			'$lib/supabase',
			'$lib/supabase/*',
			'$lib/ui',
			'$lib/ui/*'
		],
		'The data layer imports nothing above it and no component',
		true
	),
	layer(
		['src/lib/supabase/**'],
		[
			...featureImports,
			'$lib/sync',
			'$lib/sync/*',
			'$lib/data',
			'$lib/data/*',
			'$lib/ui',
			'$lib/ui/*'
		],
		'The Supabase client is the bottom layer'
	),
	layer(
		['src/lib/ui/**'],
		[
			...featureImports,
			'$lib/sync',
			'$lib/sync/*',
			'$lib/data',
			'$lib/data/*',
			'$lib/supabase',
			'$lib/supabase/*'
		],
		'Shared UI components are presentational: data arrives as props'
	)
);
