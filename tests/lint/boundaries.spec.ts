import path from 'node:path';
import { RuleTester } from 'eslint';
import svelteParser from 'svelte-eslint-parser';
import ts from 'typescript-eslint';
import { describe, it } from 'vitest';
import { boundaries } from '../../eslint/boundaries.js';

RuleTester.describe = describe;
RuleTester.it = it;

const options = [
	{
		modules: { brochure: { entryPoints: ['published'] }, data: { entryPoints: ['deferred'] } },
		zones: {
			routes: { may: ['brochure', 'booking', 'ui'], types: ['data'], message: 'pages render' },
			booking: {
				may: ['brochure', 'data', 'sync'],
				components: {
					values: { data: ['db'] },
					members: ['syncEngine.call'],
					message: 'queries live in queries.ts'
				},
				message: 'features sit above data'
			},
			data: { may: [], message: 'the bottom' }
		}
	}
];
const at = (file: string) => path.resolve('src', file);
const tester = new RuleTester({
	languageOptions: { parser: ts.parser, ecmaVersion: 2022, sourceType: 'module' }
});

tester.run('hscp/boundaries', boundaries, {
	valid: [
		{ filename: at('routes/+page.ts'), code: "import { x } from '$lib/brochure';", options },
		{
			filename: at('routes/+page.ts'),
			code: "import { x } from '$lib/brochure/published';",
			options
		},
		{ filename: at('routes/+page.ts'), code: "import type { Course } from '$lib/data';", options },
		{ filename: at('routes/+page.ts'), code: "import { type Course } from '$lib/data';", options },
		// inside a module, anything of its own
		{ filename: at('lib/booking/rules.ts'), code: "import { y } from './queries';", options },
		{ filename: at('lib/booking/queries.ts'), code: "import { db } from '$lib/data';", options },
		{
			filename: at('lib/booking/queries.ts'),
			code: "import { x } from '$lib/data/deferred.svelte';",
			options
		},
		// packages and SvelteKit's own modules are not this rule's business
		{ filename: at('lib/data/db.ts'), code: "import Dexie from 'dexie';", options },
		{ filename: at('routes/+page.ts'), code: "import { page } from '$app/state';", options }
	],
	invalid: [
		{
			filename: at('routes/+page.ts'),
			code: "import { db } from '$lib/data';",
			options,
			errors: [{ messageId: 'layer' }]
		},
		{
			filename: at('routes/+page.ts'),
			code: "import { syncEngine } from '$lib/sync';",
			options,
			errors: [{ messageId: 'layer' }]
		},
		{
			filename: at('routes/x/+page.ts'),
			code: "import { isLive } from '$lib/booking/rules';",
			options,
			errors: [{ messageId: 'pastEntry' }]
		},
		{
			filename: at('routes/x/+page.ts'),
			code: "const m = import('$lib/booking/rules');",
			options,
			errors: [{ messageId: 'pastEntry' }]
		},
		{
			filename: at('routes/x/+page.ts'),
			code: "export { isLive } from '$lib/booking/rules';",
			options,
			errors: [{ messageId: 'pastEntry' }]
		},
		{
			// a relative path past another module's index is the same import
			filename: at('lib/booking/rules.ts'),
			code: "import { ukDate } from '../brochure/format';",
			options,
			errors: [{ messageId: 'pastEntry' }]
		},
		{
			filename: at('lib/data/db.ts'),
			code: "import { isLive } from '$lib/booking';",
			options,
			errors: [{ messageId: 'layer' }]
		}
	]
});

new RuleTester({
	languageOptions: { parser: svelteParser, parserOptions: { parser: ts.parser } }
}).run('hscp/boundaries in components', boundaries, {
	valid: [
		{
			filename: at('lib/booking/Card.svelte'),
			code: '<script lang="ts">import { type Booking } from \'$lib/data\';</script>',
			options
		},
		{
			// the engine's other members are the component's to use: a change is queued, not called
			filename: at('lib/booking/Card.svelte'),
			code: `<script lang="ts">import { syncEngine } from '$lib/sync'; syncEngine.requestSync();</script>`,
			options
		}
	],
	invalid: [
		{
			filename: at('lib/booking/Card.svelte'),
			code: '<script lang="ts">import { db } from \'$lib/data\';</script>',
			options,
			errors: [{ messageId: 'value' }]
		},
		{
			filename: at('lib/booking/Card.svelte'),
			code: `<script lang="ts">import { syncEngine } from '$lib/sync'; syncEngine.call('f', {});</script>`,
			options,
			errors: [{ messageId: 'member' }]
		}
	]
});
