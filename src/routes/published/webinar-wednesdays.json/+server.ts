import { json } from '@sveltejs/kit';
import { WEBINAR_WEDNESDAYS } from '$lib/brochure/webinar-wednesdays';
import { publishedSeries, readPublished } from '$lib/server/published';
import type { RequestHandler } from './$types';

// Written into the static build: the Webinar Wednesdays page's part of the published brochure.
export const prerender = true;

export const GET: RequestHandler = async () =>
	json(publishedSeries(await readPublished(), WEBINAR_WEDNESDAYS));
