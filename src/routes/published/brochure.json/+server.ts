import { json } from '@sveltejs/kit';
import { publishedBrochure, readPublished } from '$lib/server/published';
import type { RequestHandler } from './$types';

// Written into the static build: the brochure the prerendered pages were made from.
export const prerender = true;

export const GET: RequestHandler = async () => json(publishedBrochure(await readPublished()));
