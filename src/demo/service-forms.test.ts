// The demo services' e-forms: each passes the forms' own checks, prefills only fields the
// registries have, and a demo person's or enterprise's registry values, with the rest filled in
// as an applicant would, are accepted as submitted data.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPopulation } from '../modules/registries/generate/generate.ts';
import { compileFormSchema, formProblems, validateFormData, type FormField } from '../modules/services/index.ts';
import { DEMO_DIVISIONS } from './dataset.ts';
import { DEMO_SERVICES } from './services.ts';
import { DEMO_SERVICE_FORMS } from './service-forms.ts';

const population = createPopulation({ persons: 20, entities: 4, divisions: ['990121'], localDivisions: DEMO_DIVISIONS.map((d) => ({ ...d, parent: d.parent ?? undefined, source: 'demo' })) });
const person = [...population.persons()][3] as unknown as Record<string, unknown>;
const entity = [...population.entities()][1] as unknown as Record<string, unknown>;

/** What an applicant types for a field the registries do not fill. */
function typed(f: FormField): unknown {
  switch (f.type) {
    case 'number':
      return Math.max(f.min ?? 0, 1);
    case 'date':
      return f.minDate === 'today' ? '2099-01-01' : '2025-01-15';
    case 'select':
    case 'radio':
      return f.options![0]!.value;
    case 'checkbox':
      return f.options?.length ? [f.options[0]!.value] : true;
    case 'id-number':
      return '11010519491231002X';
    case 'credit-code':
      return entity.creditCode;
    case 'phone':
      return '13800138000';
    case 'email':
      return 'applicant@example.cn';
    default:
      return '青云省示范市示范县人民路 1 号';
  }
}

describe('the demo e-forms', () => {
  it('are one for each demo service, and pass the forms’ checks', () => {
    assert.deepEqual(Object.keys(DEMO_SERVICE_FORMS).sort(), DEMO_SERVICES.map((s) => s.code).sort());
    for (const [code, form] of Object.entries(DEMO_SERVICE_FORMS)) {
      assert.deepEqual(formProblems(form), [], code);
      assert.ok(form.fields.some((f) => f.prefill), `${code} prefills from a registry`);
      assert.ok(compileFormSchema(form, { lang: 'en' }).properties);
    }
  });

  it('accept a demo person’s and enterprise’s registry values with the rest filled in', () => {
    for (const [code, form] of Object.entries(DEMO_SERVICE_FORMS)) {
      const data: Record<string, unknown> = {};
      for (const f of form.fields) {
        const fromRegistry = f.prefill ? (f.prefill.source === 'person' ? person : entity)[f.prefill.field] : undefined;
        data[f.key] = fromRegistry ?? typed(f);
      }
      assert.deepEqual(validateFormData(form, data, { today: '2026-06-15', prefilled: data }), [], code);
    }
  });

  it('ask for the residence permit as the brief says: identity prefilled and locked, residence typed', () => {
    const form = DEMO_SERVICE_FORMS['psb.residence-permit']!;
    const byKey = new Map(form.fields.map((f) => [f.key, f]));
    for (const key of ['name', 'idNumber', 'birthDate', 'hukouAddress']) assert.equal(byKey.get(key)?.locked, true, key);
    assert.deepEqual(byKey.get('reason')?.options?.map((o) => o.value), ['work', 'study', 'family']);
    assert.equal(byKey.get('moveInDate')?.maxDate, 'today');
  });
});
