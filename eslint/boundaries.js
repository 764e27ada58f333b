import path from 'node:path';

/**
 * `hscp/boundaries`: the layers of src/ and the entry points of each module of src/lib,
 * checked on every import — static, re-exported and dynamic (docs/architecture.md, Layers).
 *
 * - A module of src/lib (a feature, data, sync, supabase, ui, …) is imported through its
 *   index.ts, or through one of the entry points it declares; never past them.
 * - Each zone (src/routes, or a module of src/lib) imports only the modules its layer allows;
 *   type-only imports are allowed where `types` says so.
 *
 * Options: { modules: { name: { entryPoints: string[] } }, zones: { zone: { may: string[],
 * types?: string[], components?: { values: { module: string[] } }, message } } }
 */

const SRC = path.resolve('src');
const LIB = path.join(SRC, 'lib');

/**
 * The zone a file belongs to: 'routes', a module of src/lib, or null (outside src).
 * @param {string} file
 */
function zoneOf(file) {
	const rel = path.relative(SRC, path.resolve(file));
	if (rel.startsWith('..')) return null;
	const [top, second] = rel.split(path.sep);
	if (top === 'routes') return 'routes';
	if (top === 'lib' && second) return second.replace(/\.(svelte\.)?ts$/, '');
	return null;
}

/**
 * The module of src/lib an import names, and the path inside it ('' = its index).
 * @param {string} source
 * @param {string} file
 */
function targetOf(source, file) {
	let absolute;
	if (source === '$lib' || source.startsWith('$lib/')) absolute = path.join(LIB, source.slice(5));
	else if (source.startsWith('.'))
		absolute = path.resolve(path.dirname(path.resolve(file)), source);
	else return null;
	const rel = path.relative(LIB, absolute);
	if (rel.startsWith('..') || rel === '') return null;
	const [module = '', ...rest] = rel.split(path.sep);
	return { module: module.replace(/\.(svelte\.)?ts$/, ''), inner: rest.join('/') };
}

/** @param {any} node an import or export declaration (typescript-eslint's AST) */
const isTypeOnly = (node) =>
	node.importKind === 'type' ||
	node.exportKind === 'type' ||
	(node.specifiers?.length > 0 &&
		node.specifiers.every((/** @type {any} */ s) => s.importKind === 'type'));

/**
 * @typedef {{ entryPoints?: string[] }} ModuleRules
 * @typedef {{ may: string[], types?: string[], message: string,
 *   components?: { values: Record<string, string[]>, members?: string[], message: string } }} ZoneRules
 */

/** @type {import('eslint').Rule.RuleModule} */
export const boundaries = {
	meta: {
		type: 'problem',
		docs: { description: 'Imports follow the layers and enter a module only by its entry points' },
		schema: [{ type: 'object', additionalProperties: true }],
		messages: {
			pastEntry:
				'Import {{module}} through $lib/{{module}} (its index.ts){{entries}}, not $lib/{{module}}/{{inner}}',
			layer: '{{zone}} may not import $lib/{{module}}: {{why}}',
			value: '{{what}} may not import {{names}} from $lib/{{module}}: {{why}}',
			member: 'A component may not call {{name}}: {{why}}'
		}
	},
	create(context) {
		/** @type {{ modules?: Record<string, ModuleRules>, zones?: Record<string, ZoneRules> }} */
		const settings = context.options[0] ?? {};
		const { modules = {}, zones = {} } = settings;
		const file = context.filename;
		const zone = zoneOf(file);
		if (!zone) return {};
		const rules = zones[zone];
		const component = file.endsWith('.svelte');

		/**
		 * @param {any} node
		 * @param {unknown} source
		 */
		function check(node, source) {
			if (typeof source !== 'string') return;
			const target = targetOf(source, file);
			if (!target || target.module === zone) return;
			const { module, inner } = target;
			const entryPoints = modules[module]?.entryPoints ?? [];
			const entry = inner.replace(/\.(svelte\.)?ts$/, '').replace(/\.svelte$/, '');
			if (inner && !entryPoints.includes(entry) && !entryPoints.includes(inner)) {
				context.report({
					node,
					messageId: 'pastEntry',
					data: {
						module,
						inner,
						entries: entryPoints.length
							? ` or its entry points (${entryPoints.map((e) => `$lib/${module}/${e}`).join(', ')})`
							: ''
					}
				});
				return;
			}
			if (!rules) return;
			const typeOnly = isTypeOnly(node);
			if (!rules.may.includes(module) && !(typeOnly && rules.types?.includes(module))) {
				context.report({
					node,
					messageId: 'layer',
					data: {
						zone: zone === 'routes' ? 'src/routes' : `$lib/${zone}`,
						module,
						why: rules.message
					}
				});
				return;
			}
			const forbidden = component && rules.components?.values?.[module];
			if (forbidden && !typeOnly) {
				/** @type {any[]} */
				const specifiers = node.specifiers ?? [];
				const names = specifiers
					.filter((s) => s.importKind !== 'type')
					.map((s) => String(s.imported?.name ?? s.local?.name))
					.filter((name) => forbidden.includes(name));
				if (names.length)
					context.report({
						node,
						messageId: 'value',
						data: {
							what: 'A component',
							names: names.join(', '),
							module,
							why: rules.components?.message ?? ''
						}
					});
			}
		}

		const members = (component && rules?.components?.members) || [];
		return {
			MemberExpression: (node) => {
				if (!members.length || node.object.type !== 'Identifier') return;
				if (node.property.type !== 'Identifier') return;
				const name = `${node.object.name}.${node.property.name}`;
				if (members.includes(name))
					context.report({
						node,
						messageId: 'member',
						data: { name, why: rules?.components?.message ?? '' }
					});
			},
			ImportDeclaration: (node) => check(node, node.source.value),
			ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
			ExportAllDeclaration: (node) => check(node, node.source.value),
			ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value)
		};
	}
};

export default { rules: { boundaries } };
