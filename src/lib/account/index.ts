export { default as SignInForm } from './SignInForm.svelte';
export { default as ProfileForm } from './ProfileForm.svelte';
export { default as UnsyncedChanges } from './UnsyncedChanges.svelte';
export { default as SignOut } from './SignOut.svelte';
export { validateProfile, profileIsComplete, saveProfile, type ProfileInput } from './profile';
export { default as YourData } from './YourData.svelte';
export { downloadMyData, myDataFileName } from './my-data';
export { deleteMyAccount } from './delete-account';
