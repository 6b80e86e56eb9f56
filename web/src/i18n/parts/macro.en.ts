import type { macroZhCN } from './macro.zh-CN.ts';

export const macroEn: Record<keyof typeof macroZhCN, string> = {
  'macro.title': 'Macroeconomic',
};
