// The provider's pages speak the platform's two languages (src/platform/language.ts).
export { pickLang, t, type Lang } from '../../../platform/language.ts';
