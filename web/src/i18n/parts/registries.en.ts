import type { registriesZhCN } from './registries.zh-CN.ts';

export const registriesEn: Record<keyof typeof registriesZhCN, string> = {
  'audit.action.registries.registry.install': 'Install a registry',
  'audit.action.registries.registry.owner': "Assign a registry's owner",
  'audit.actionModule.registries': 'All base registry actions',
  'registries.title': 'Base registries',
};
