// Messages of one feature, kept in a file of their own so features grow without editing
// each other's lines; zh-CN.ts spreads them into the source catalog.
export const registriesZhCN = {
  'audit.action.registries.registry.install': '安装登记库',
  'audit.action.registries.registry.owner': '指定登记库所属单位',
  'audit.actionModule.registries': '基础信息库类全部操作',
  'registries.title': '基础信息库',
};
