import { liveView } from '$lib/data';
import { brochure, coursePage, webinarWednesdays } from './queries';

/**
 * The brochure's live views over the device's database, for the course and Webinar
 * Wednesdays pages. They load Dexie, so they are an entry point of their own: the index
 * stays light for the first view, which loads the device's copy after hydrating.
 */
export const coursePageView = liveView(coursePage);
export const webinarWednesdaysView = liveView(webinarWednesdays);
export const brochureView = liveView((database) => brochure(database));
