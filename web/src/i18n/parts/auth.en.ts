import type { authZhCN } from './auth.zh-CN.ts';

export const authEn: Record<keyof typeof authZhCN, string> = {
  'signIn.platform.intro': 'The workbench uses the platform’s unified sign-in. Select the button below, enter your work account and password on the unified sign-in page, and you will come back to the workbench.',
  'signIn.platform.button': 'Sign in with unified sign-in',
  'signIn.platform.failed': 'Sign-in was not completed: the sign-in page may have been open too long, or sign-in was started again in another window. Select sign in once more; if it still fails, contact your administrator.',
  'signIn.platform.cancelled': 'You cancelled sign-in on the unified sign-in page. You can sign in again whenever you need to.',
  'signIn.platform.notStaff': 'The workbench is for staff only, and you signed in with a citizen or enterprise account. Sign out of unified sign-in, then sign in with your staff account.',
};
