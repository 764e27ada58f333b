// Client-rendered SPA behind the static fallback, so every page opens offline from the
// service worker (DESIGN.md §2).
export const ssr = false;
export const prerender = false;
