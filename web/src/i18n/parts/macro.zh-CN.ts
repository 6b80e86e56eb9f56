// Messages of one feature, kept in a file of their own so features grow without editing
// each other's lines; zh-CN.ts spreads them into the source catalog.
export const macroZhCN = {
  'macro.title': '宏观经济',
};
