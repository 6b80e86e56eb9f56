// The e-form model without HTTP: a definition is checked as a whole (keys, options, both
// languages, limits, registry fields); submitted data is checked field by field, every type,
// with the ID number's and credit code's check characters; and the compiled JSON Schema
// (draft 2020-12) accepts and refuses what validateFormData does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { compileFormSchema } from './json-schema.ts';
import { formProblems, type FormDefinition } from './model.ts';
import { PREFILL_FIELDS } from './prefill.ts';
import { normalizeForm } from './service.ts';
import { buildForm, buildFormData, field, VALID_CREDIT_CODE, VALID_ID_NUMBER } from './test-fixtures.ts';
import { coerceFormInput, normalizeFormData, validateFormData } from './validate.ts';

const TODAY = '2026-06-15';
const fieldsOf = (form: FormDefinition) => formProblems(form).map((p) => p.field);
const withField = (f: FormDefinition['fields'][number]) => ({ sections: [], fields: [f] });

describe('an e-form definition', () => {
  it('accepts the fixture with one field of every type', () => {
    assert.deepEqual(formProblems(buildForm()), []);
    const types = new Set(buildForm().fields.map((f) => f.type));
    assert.equal(types.size, 12, 'every field type is in the fixture');
  });

  it('refuses duplicate and malformed keys, naming the field', () => {
    const form = buildForm();
    form.fields.push({ ...form.fields[1]!, locked: false });
    form.fields.push(field('Bad-Key', 'text'));
    const problems = formProblems(form);
    const dup = problems.find((p) => p.field === 'fields/15/key');
    assert.equal(dup?.code, 'duplicate');
    assert.match(dup!.message, /"name" is already a field/);
    assert.match(dup!.messageZh!, /已是本表的字段/);
    assert.equal(problems.find((p) => p.field === 'fields/16/key')?.code, 'pattern');
  });

  it('needs both languages for labels, hints, options and sections', () => {
    assert.deepEqual(fieldsOf(withField(field('a', 'text', { labelEn: ' ' }))), ['fields/0/labelEn']);
    assert.deepEqual(fieldsOf(withField(field('a', 'text', { labelZh: '' }))), ['fields/0/labelZh']);
    assert.deepEqual(fieldsOf(withField(field('a', 'text', { hintZh: '只有中文' }))), ['fields/0/hintZh']);
    const radio = field('r', 'radio', { options: [{ value: 'a', labelZh: '甲', labelEn: '' }, { value: 'b', labelZh: '乙', labelEn: 'B' }] });
    assert.deepEqual(fieldsOf(withField(radio)), ['fields/0/options/0']);
    const form = buildForm();
    form.sections[0] = { ...form.sections[0]!, labelEn: '' };
    assert.deepEqual(fieldsOf(form), ['sections/0']);
  });

  it('needs options for select and radio, unique values, and none on other types', () => {
    assert.deepEqual(fieldsOf(withField(field('s', 'select'))), ['fields/0/options']);
    assert.deepEqual(fieldsOf(withField(field('s', 'radio', { options: [{ value: 'a', labelZh: '甲', labelEn: 'A' }] }))), ['fields/0/options']);
    const same = [{ value: 'a', labelZh: '甲', labelEn: 'A' }, { value: 'a', labelZh: '乙', labelEn: 'B' }];
    assert.deepEqual(fieldsOf(withField(field('s', 'select', { options: same }))), ['fields/0/options/1/value']);
    assert.deepEqual(fieldsOf(withField(field('t', 'text', { options: same.slice(0, 1) }))), ['fields/0/options']);
  });

  it('refuses limits that do not fit the type or each other', () => {
    const cases: [FormDefinition['fields'][number], string][] = [
      [field('a', 'text', { minLength: 10, maxLength: 5 }), 'fields/0/maxLength'],
      [field('a', 'text', { maxLength: 0 }), 'fields/0/maxLength'],
      [field('a', 'number', { min: 10, max: 1 }), 'fields/0/max'],
      [field('a', 'number', { minLength: 1 }), 'fields/0/minLength'],
      [field('a', 'text', { min: 1 }), 'fields/0/min'],
      [field('a', 'date', { minDate: '2026-02-30' }), 'fields/0/minDate'],
      [field('a', 'date', { minDate: '2026-05-01', maxDate: '2026-01-01' }), 'fields/0/maxDate'],
      [field('a', 'text', { minDate: 'today' }), 'fields/0/minDate'],
      [field('a', 'text', { pattern: '([a-z' , hintZh: '小写', hintEn: 'lower case' }), 'fields/0/pattern'],
      [field('a', 'text', { pattern: '[a-z]+' }), 'fields/0/hintZh'],
      [field('a', 'id-number', { pattern: '.*' }), 'fields/0/pattern'],
      [field('a', 'checkbox', { options: [{ value: 'x', labelZh: '甲', labelEn: 'X' }], max: 2 }), 'fields/0/max'],
      [field('a', 'text', { locked: true }), 'fields/0/locked'],
      [field('a', 'text', { section: 'nowhere' }), 'fields/0/section'],
    ];
    for (const [f, expected] of cases) assert.deepEqual(fieldsOf(withField(f)), [expected], `${JSON.stringify(f)}`);
  });

  it('prefills only real registry fields that fit the type', () => {
    assert.deepEqual(fieldsOf(withField(field('a', 'text', { prefill: { source: 'person', field: 'shoeSize' } }))), ['fields/0/prefill/field']);
    const mismatch = formProblems(withField(field('a', 'number', { prefill: { source: 'person', field: 'birthDate' } })));
    assert.equal(mismatch[0]?.code, 'type_mismatch');
    assert.match(mismatch[0]!.message, /Date of birth/);
    assert.deepEqual(fieldsOf(withField(field('a', 'credit-code', { prefill: { source: 'enterprise', field: 'creditCode' }, locked: true }))), []);
    assert.ok(PREFILL_FIELDS.some((p) => p.source === 'person' && p.field === 'hukouAddress'));
    assert.ok(!PREFILL_FIELDS.some((p) => p.source === 'person' && (p.field === 'ethnicity' || p.field === 'status')), 'sensitive and internal fields are not offered');
  });

  it('refuses an empty section and too many fields', () => {
    assert.deepEqual(fieldsOf({ sections: [{ key: 's', labelZh: '组', labelEn: 'Group' }], fields: [] }), ['sections/0']);
    assert.ok(fieldsOf({ sections: [], fields: Array.from({ length: 101 }, (_, i) => field(`f${i}`, 'text')) }).includes('fields'));
  });

  it('keeps a definition tidy: trims labels, drops empty hints and lists', () => {
    const tidy = normalizeForm({ sections: [], fields: [{ ...field('a', 'text'), labelZh: ' 姓名 ', hintZh: ' ', hintEn: '', options: [], locked: false }] });
    assert.deepEqual(tidy.fields[0], { key: 'a', type: 'text', labelZh: '姓名', labelEn: 'Field a', required: true });
  });
});

describe('form data', () => {
  const form = buildForm();
  const problemsOf = (data: Record<string, unknown>) => validateFormData(form, data, { today: TODAY });
  const fields = (data: Record<string, unknown>) => problemsOf(data).map((p) => p.field);

  it('accepts complete, correct data', () => {
    assert.deepEqual(problemsOf(buildFormData()), []);
    const { notes: _n, kind: _k, services: _s, employerCode: _e, email: _m, postcode: _p, ...required } = buildFormData();
    assert.deepEqual(problemsOf(required), [], 'optional fields may be left out');
    assert.deepEqual(problemsOf(buildFormData({ idNumber: VALID_ID_NUMBER.toLowerCase(), employerCode: VALID_CREDIT_CODE.toLowerCase() })), [], 'a lower-case x and letters are read as capitals');
  });

  it('names every missing required field, in both languages', () => {
    const problems = validateFormData(form, {}, { today: TODAY });
    assert.deepEqual(problems.map((p) => p.field), ['idNumber', 'name', 'birthDate', 'address', 'months', 'moveIn', 'reason', 'phone', 'declare']);
    assert.deepEqual(problems[1], { field: 'name', zh: '请填写“字段name”', en: 'Fill in Field name' });
    assert.equal(problems.find((p) => p.field === 'reason')?.en, 'Choose Field reason');
    assert.deepEqual(fields(buildFormData({ declare: false })), ['declare']);
    assert.deepEqual(fields(buildFormData({ address: '   ' })), ['address']);
  });

  it('checks the ID number: format, birth date and the GB 11643 check character', () => {
    for (const [value, why] of [
      ['11010519491231002', /17 digits and a check character/],
      ['110105194902300021', /birth date in it does not exist/],
      ['110105194912310021', /check character does not match/],
    ] as const) {
      const [p] = problemsOf(buildFormData({ idNumber: value }));
      assert.equal(p?.field, 'idNumber');
      assert.match(p!.en, why);
      assert.match(p!.zh, /不是有效的公民身份号码/);
    }
  });

  it('checks the credit code: format and the GB 32100 check character', () => {
    const wrongCheck = VALID_CREDIT_CODE.slice(0, 17) + (VALID_CREDIT_CODE[17] === '0' ? '1' : '0');
    assert.match(problemsOf(buildFormData({ employerCode: wrongCheck }))[0]!.en, /wrong check character/);
    assert.match(problemsOf(buildFormData({ employerCode: 'ABC' }))[0]!.zh, /不是统一社会信用代码/);
    assert.match(problemsOf(buildFormData({ employerCode: VALID_CREDIT_CODE.replace(/^../, 'IO') }))[0]!.en, /no I, O, S, V or Z/);
  });

  it('checks every other type', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ name: 42 }, 'name', /must be text/],
      [{ name: '很'.repeat(51) }, 'name', /at most 50 characters; it has 51/],
      [{ months: '12' }, 'months', /must be a number/],
      [{ months: 3 }, 'months', /6 or more/],
      [{ months: 601 }, 'months', /600 or less/],
      [{ birthDate: '1990-02-30' }, 'birthDate', /YYYY-MM-DD/],
      [{ birthDate: '2026-06-16' }, 'birthDate', /later than today/],
      [{ moveIn: '1999-12-31' }, 'moveIn', /before 2000-01-01/],
      [{ reason: 'holiday' }, 'reason', /choose one of the options/],
      [{ kind: ['work'] }, 'kind', /choose one of the options/],
      [{ services: ['work', 'study', 'family'] }, 'services', /at most 2/],
      [{ services: ['work', 'work'] }, 'services', /each once/],
      [{ services: 'work' }, 'services', /options given/],
      [{ phone: '12345' }, 'phone', /not a phone number/],
      [{ email: 'zhang@' }, 'email', /not an email address/],
      [{ postcode: '31000' }, 'postcode', /a six-digit postcode/],
      [{ declare: 'yes' }, 'declare', /true or false/],
      [{ extra: 1 }, 'extra', /not a field of this form/],
    ];
    for (const [override, key, why] of cases) {
      const problems = problemsOf(buildFormData(override));
      assert.equal(problems.length, 1, `${JSON.stringify(override)}: ${JSON.stringify(problems)}`);
      assert.equal(problems[0]!.field, key);
      assert.match(problems[0]!.en, why, JSON.stringify(override));
      assert.ok(problems[0]!.zh.length > 0);
    }
    assert.deepEqual(fields(buildFormData({ phone: '0571-87654321' })), [], 'a landline with its area code');
    assert.equal(validateFormData(form, [], { today: TODAY })[0]!.field, '');
  });

  it('refuses a changed locked value, and accepts an unlocked prefilled one changed', () => {
    const prefilled = { idNumber: VALID_ID_NUMBER, name: '张三', birthDate: '1949-12-31' };
    assert.deepEqual(validateFormData(form, buildFormData(), { today: TODAY, prefilled }), []);
    const changed = validateFormData(form, buildFormData({ name: '李四', birthDate: '1950-01-01' }), { today: TODAY, prefilled });
    assert.deepEqual(changed.map((p) => p.field), ['name']);
    assert.match(changed[0]!.en, /cannot be changed/);
  });

  it('reads a posted HTML form and tidies accepted data', () => {
    const posted = { name: ' 张三 ', months: '12', declare: 'on', services: 'work', notes: '', idNumber: VALID_ID_NUMBER.toLowerCase() };
    const data = coerceFormInput(form, posted);
    assert.deepEqual(data, { idNumber: VALID_ID_NUMBER.toLowerCase(), name: ' 张三 ', months: 12, services: ['work'], declare: true });
    assert.deepEqual(normalizeFormData(form, data), { idNumber: VALID_ID_NUMBER, name: '张三', months: 12, services: ['work'], declare: true });
  });
});

describe('the compiled JSON Schema', () => {
  const form = buildForm();
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });

  it('is draft 2020-12 with titles, both languages and egov keywords', () => {
    const schema = compileFormSchema(form, { lang: 'en', title: { zh: '居住证申请表', en: 'Residence permit form' } });
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(schema.title, 'Residence permit form');
    assert.ok(ajv.validateSchema(schema), ajv.errorsText());
    const props = schema.properties as Record<string, Record<string, unknown>>;
    assert.equal(props.name!.title, 'Field name');
    assert.equal(props.name!['x-egov-label-zh'], '字段name');
    assert.deepEqual(props.idNumber!['x-egov-prefill'], { source: 'person', field: 'idNumber' });
    assert.equal(props.idNumber!['x-egov-locked'], true);
    assert.equal(props.idNumber!['x-egov-format'], 'gb11643-id-number');
    assert.equal(props.moveIn!['x-egov-max-date'], 'today');
    assert.deepEqual((props.reason!.oneOf as { const: string }[]).map((o) => o.const), ['work', 'study', 'family']);
    assert.deepEqual(schema['x-egov-order'], form.fields.map((f) => f.key), 'every fixture field is in a section, in list order');
    const loose = { ...form, fields: [field('first', 'text'), ...form.fields] };
    assert.deepEqual(compileFormSchema(loose, { lang: 'en' })['x-egov-order'], [...form.fields.map((f) => f.key), 'first'], 'fields in no section come after the sections');
    assert.equal(compileFormSchema(form, { lang: 'zh-CN' }).properties && (compileFormSchema(form, { lang: 'zh-CN' }).properties as Record<string, { title: string }>).name!.title, '字段name');
  });

  it('agrees with validateFormData on what it can express', () => {
    const validate = ajv.compile(compileFormSchema(form, { lang: 'zh-CN' }));
    const samples: Record<string, unknown>[] = [
      buildFormData(),
      buildFormData({ name: 42 }),
      buildFormData({ months: 3 }),
      buildFormData({ months: '12' }),
      buildFormData({ reason: 'holiday' }),
      buildFormData({ services: ['work', 'work'] }),
      buildFormData({ services: ['work', 'study', 'family'] }),
      buildFormData({ phone: '12345' }),
      buildFormData({ email: 'zhang@' }),
      buildFormData({ postcode: '31000' }),
      buildFormData({ declare: false }),
      buildFormData({ address: '   ' }),
      buildFormData({ extra: 1 }),
      buildFormData({ idNumber: '1101051949123100' }),
      buildFormData({ employerCode: 'ABC' }),
      buildFormData({ name: '很'.repeat(51) }),
      (({ phone: _p, ...rest }) => rest)(buildFormData()),
    ];
    for (const sample of samples) {
      assert.equal(validate(sample), validateFormData(form, sample, { today: TODAY }).length === 0, `${JSON.stringify(sample).slice(0, 200)}: ${ajv.errorsText(validate.errors)}`);
    }
    // The check characters are beyond JSON Schema: x-egov-format names them, validateFormData applies them.
    assert.equal(validate(buildFormData({ idNumber: '110105194912310021' })), true);
    assert.equal(validateFormData(form, buildFormData({ idNumber: '110105194912310021' }), { today: TODAY }).length, 1);
  });
});
