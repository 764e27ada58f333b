// Client-rendered SPA behind the static fallback, so every page opens offline from the
// service worker (docs/architecture.md, Layers).
export const ssr = false;
export const prerender = false;
