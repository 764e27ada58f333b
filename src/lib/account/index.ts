export { default as SignInForm } from './SignInForm.svelte';
export { default as ProfileForm } from './ProfileForm.svelte';
export { validateProfile, profileIsComplete, saveProfile, type ProfileInput } from './profile';
