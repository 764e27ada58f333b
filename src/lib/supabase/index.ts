export { getSupabase } from './client';
