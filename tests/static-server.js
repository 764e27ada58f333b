// @ts-check
// Serves a built app folder the way a static host does: files as they are, prerendered
// pages by their clean URLs (/courses/x → courses/x.html, / → index.html), and spa.html for
// any other path (the SPA fallback), text gzip-compressed. Used by the e2e suite and
// benchmarks.
//   node tests/static-server.js <folder> <port>
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = /** @type {Record<string, string>} */ ({
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json',
	'.webmanifest': 'application/manifest+json',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.txt': 'text/plain; charset=utf-8'
});

const root = resolve(process.argv[2] ?? 'build');
const port = Number(process.argv[3] ?? 4173);

createServer(async (req, res) => {
	const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
	const isFile = (/** @type {string} */ f) =>
		f.startsWith(root) &&
		stat(f).then(
			(s) => s.isFile(),
			() => false
		);
	const candidates = [join(root, path), join(root, path, 'index.html'), join(root, `${path}.html`)];
	let file = join(root, 'spa.html');
	for (const candidate of candidates) {
		if (await isFile(candidate)) {
			file = candidate;
			break;
		}
	}
	const body = await readFile(file);
	const immutable = file.includes('/_app/immutable/');
	const type = TYPES[extname(file)] ?? 'application/octet-stream';
	// text is sent gzip-compressed when the browser accepts it, as static hosts do
	const zip =
		/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) &&
		/^(text\/|application\/(json|manifest)|image\/svg)/.test(type);
	res.writeHead(200, {
		'content-type': type,
		'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
		...(zip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {})
	});
	res.end(zip ? gzipSync(body) : body);
}).listen(port, '127.0.0.1', () => console.log(`serving ${root} on http://127.0.0.1:${port}`));
