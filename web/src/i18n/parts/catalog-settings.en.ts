// English messages of the catalog settings page (features/catalog/settings-page.tsx).
import type { catalogSettingsZhCN } from './catalog-settings.zh-CN.ts';

export const catalogSettingsEn: Record<keyof typeof catalogSettingsZhCN, string> = {
  'catalog.tab.settings': 'Catalog settings',
  'catalog.settings.title': 'Catalog settings',
  'catalog.settings.formTitle': 'Reviewer and answer period',
  'catalog.settings.reviewer': 'Reviewing organization',
  'catalog.settings.reviewerHint': "The data bureau: it reviews the entries departments submit and receives overdue share requests.",
  'catalog.settings.noReviewer': '(none)',
  'catalog.settings.days': 'Answer period of conditional share requests (working days)',
  'catalog.settings.daysHint': 'From 1 to 60 working days, counted with the holiday calendar; requests already made keep their deadline.',
  'catalog.settings.calendar': 'See or change the holiday calendar',
  'catalog.settings.saved': 'Catalog settings saved: the answer period is {days} working days.',
  'catalog.sync.title': "Synchronise the base registries' entries",
  'catalog.sync.intro': "The base resources' entries are derived from the four base registries, their data items following the registries' fields. After a registry's fields or owner change, synchronise them here; an entry that has not changed gets no new version.",
  'catalog.sync.run': 'Synchronise now',
  'catalog.sync.running': 'Synchronising…',
  'catalog.sync.done': "{total} base registries' entries synchronised; {changed} changed and were published as a new version.",
  'catalog.sync.none': 'No base registry is installed.',
  'catalog.sync.registry': 'Registry',
  'catalog.sync.changed': 'Result',
  'catalog.sync.changedYes': 'Updated',
  'catalog.sync.changedNo': 'Unchanged',
};
