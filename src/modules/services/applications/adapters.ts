// The applications' ports served by the module's own parts: the e-forms (forms/) and the
// e-licences (licences/). The ports that reach other modules are wired in src/app.ts.
import type { ServiceForms } from '../forms/service.ts';
import type { FormField } from '../forms/model.ts';
import { normalizeFormData, validateFormData } from '../forms/validate.ts';
import type { LicenceField } from '../licences/model.ts';
import type { Licences } from '../licences/service.ts';
import { DEMO_PROCESS_CODES, readDemoDefinition, type DemoProcessCode } from '../process/definitions.ts';
import { completeTask, startProcess, type ProcessSnapshot as RunnerSnapshot, type ProcessState, type TaskOutput } from '../process/runner.ts';
import type { FormsPort, LicencesPort, ProcessPort, ProcessSnapshot, WaitingStep } from './ports.ts';

export function formsPort(forms: ServiceForms): FormsPort {
  return {
    async published(serviceCode) {
      const found = await forms.findPublished(serviceCode);
      if (!found) return undefined;
      const { form } = found;
      return {
        id: found.id,
        version: found.version,
        prefill: form.fields.flatMap((f) => (f.prefill ? [{ key: f.key, source: f.prefill.source, field: f.prefill.field, locked: f.locked === true }] : [])),
        validate: (data) => validateFormData(form, data),
        normalize: (data) => normalizeFormData(form, data),
        particulars: (data) => particulars(form.fields, data),
      };
    },
  };
}

/** Form fields that are the licence's particulars: not the holder's identity (the licence names them), not contact details or declarations. */
const PARTICULAR_TYPES: ReadonlySet<FormField['type']> = new Set(['text', 'textarea', 'number', 'date', 'select', 'radio', 'address', 'credit-code']);

function particulars(fields: FormField[], data: Record<string, unknown>): LicenceField[] {
  const out: LicenceField[] = [];
  for (const f of fields) {
    const value = data[f.key];
    if (!PARTICULAR_TYPES.has(f.type) || value === undefined || value === null || value === '' || f.prefill?.field === 'name') continue;
    const option = f.options?.find((o) => o.value === value);
    out.push({ key: f.key, labelZh: f.labelZh, labelEn: f.labelEn, value: option ? `${option.labelZh} / ${option.labelEn}` : String(value) });
  }
  return out.slice(0, 40);
}

export function licencesPort(licences: Licences): LicencesPort {
  return {
    async issue(trx, input) {
      const issued = await licences.issue(trx, {
        serviceCode: input.serviceCode,
        applicationId: input.applicationId,
        issuerOrgId: input.orgId,
        holder: input.holder,
        licenceType: { nameZh: input.typeZh, nameEn: input.typeEn },
        fields: input.fields,
        validFrom: input.validFrom,
        validUntil: input.validUntil,
      });
      return { id: issued.id, identifier: issued.identifier };
    },
  };
}

/** The review processes: the BPMN definitions shipped for the catalog's item codes (process/definitions/). */
export function processPort(): ProcessPort {
  const known = new Set<string>(DEMO_PROCESS_CODES);
  const steps = (snapshot: RunnerSnapshot): ProcessSnapshot => ({
    state: snapshot.state,
    ended: snapshot.ended,
    waiting: snapshot.waiting.map((t) => ({ ref: t.ref, name: t.name, duty: t.role, org: t.org as WaitingStep['org'], kind: t.kind })),
    ...(snapshot.outcome ? { outcome: { decision: snapshot.outcome.decision, reasons: snapshot.outcome.reasons.map((r) => `${r.name.zh} / ${r.name.en}: ${r.comment}`) } } : {}),
  });
  return {
    keyFor: (serviceCode) => (known.has(serviceCode) ? serviceCode : undefined),
    start: async (key, variables) => steps(await startProcess(await readDemoDefinition(key as DemoProcessCode), variables as Record<string, string>)),
    complete: async (_key, state, ref, output) => steps(await completeTask(state as ProcessState, ref, output as TaskOutput)),
  };
}
