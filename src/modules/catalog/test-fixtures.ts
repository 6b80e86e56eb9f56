// The catalog tests' entry factory: a department resource (class 3) with the national core
// metadata filled in as a department would, conditional and not open; tests override what
// they are about. Not a test file itself.

/** A valid draft's metadata: 低保对象名册, three data items with their API fields. */
export function buildEntryMetadata(overrides: Record<string, unknown> = {}) {
  return {
    classification: { class: '3', item: '07', subItem: '000', detail: '' },
    nameZh: '低保对象名册',
    nameEn: 'Register of minimum-living-allowance recipients',
    abstractZh: '全省城乡低保对象的基本信息与保障金额。',
    abstractEn: 'Recipients of the minimum living allowance and the amounts paid.',
    format: { class: 'database', type: 'PostgreSQL' },
    dataItems: [
      { name: '姓名', nameEn: 'Name', field: 'name', type: 'string' },
      { name: '身份证号', nameEn: 'ID number', field: 'idNumber', type: 'string' },
      { name: '保障金额', nameEn: 'Allowance', field: 'amount', type: 'decimal' },
    ],
    sharing: { type: 'conditional', condition: '用于社会救助审核', methods: ['api'] },
    open: { open: false },
    updateCycle: 'monthly',
    themes: ['03'],
    ...overrides,
  };
}
