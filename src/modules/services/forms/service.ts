// The e-forms' rules: a service has at most one form, written by the service's organization
// (or the platform admin) while the service is a draft, checked as a whole (model.ts), and
// frozen while the service is published, so applications match the form their applicants saw.
// Every write is one transaction with its audit row; a writer who read an older version gets
// 409. Published forms are read by the portal and GovStack Registration without a session.
import type { Operator } from '../../../platform/actor.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { assertMayEditService } from '../catalog/policy.ts';
import type { ServiceView } from '../catalog/schema.ts';
import type { ServiceCatalog } from '../catalog/service.ts';
import { formProblems, type FormDefinition, type FormField, type FormSection } from './model.ts';
import type { FormBody, FormView } from './schema.ts';
import * as store from './store.ts';

export type ServiceFormsDeps = { db: Db; audit: Audit; clock: Clock; catalog: ServiceCatalog };

/** A published service's form, as the portal and GovStack show it. */
export type PublishedForm = {
  /** The GovStack eFormId. */
  id: string;
  version: number;
  form: FormDefinition;
  service: ServiceView;
  updatedAt: string;
};

const stale = () => new ConflictError('version_conflict', "The service's e-form was changed by someone else since you read it. Reload it and apply your change again.", '该事项的申请表已被他人修改，请刷新后重新修改。');
const notDraft = () => new ConflictError('not_draft', "A published service's e-form is not changed: withdraw the service, change its form as a draft, and publish it again.", '已发布事项的申请表不能修改：请先撤回事项，作为草稿修改申请表后再发布。');
const noForm = (code: string) => new NotFoundError('published e-form of the service', code, '已发布事项的申请表：');

const trimmed = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : s.trim());

/** The definition as kept: labels trimmed, empty optional texts and empty lists dropped. */
export function normalizeForm(def: { sections: FormSection[]; fields: FormField[] }): FormDefinition {
  const strip = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return {
    sections: def.sections.map((s) => strip({ key: s.key, labelZh: s.labelZh.trim(), labelEn: s.labelEn.trim(), hintZh: trimmed(s.hintZh), hintEn: trimmed(s.hintEn) })),
    fields: def.fields.map((f) =>
      strip({
        ...f,
        labelZh: f.labelZh.trim(),
        labelEn: f.labelEn.trim(),
        hintZh: trimmed(f.hintZh),
        hintEn: trimmed(f.hintEn),
        section: trimmed(f.section),
        options: f.options && f.options.length > 0 ? f.options.map((o) => ({ value: o.value.trim(), labelZh: o.labelZh.trim(), labelEn: o.labelEn.trim() })) : undefined,
        pattern: f.pattern === '' ? undefined : f.pattern,
        locked: f.locked ? true : undefined,
      }),
    ),
  };
}

const definitionOf = (row: store.FormRow | undefined): FormDefinition => (row ? (row.definition as FormDefinition) : { sections: [], fields: [] });

export function createServiceForms(deps: ServiceFormsDeps) {
  const { db, audit, clock, catalog } = deps;

  const view = (service: ServiceView, row: store.FormRow | undefined): FormView => ({
    code: service.code,
    serviceStatus: service.status,
    version: row?.version ?? 0,
    ...definitionOf(row),
    updatedAt: row?.updated_at.toISOString() ?? null,
  });

  async function published(service: ServiceView | undefined): Promise<PublishedForm | undefined> {
    if (!service) return undefined;
    const row = await store.findByService(db, service.id);
    return row && { id: row.id, version: row.version, form: definitionOf(row), service, updatedAt: row.updated_at.toISOString() };
  }

  return {
    /** A service's form for staff; version 0 and no fields when it has none yet. */
    async get(code: string): Promise<FormView> {
      const service = await catalog.get(code, { publishedOnly: false });
      return view(service, await store.findByService(db, service.id));
    },

    /** Writes a draft service's whole form, `version` being the one read (0: none yet). */
    async save(op: Operator, code: string, body: FormBody): Promise<FormView> {
      const service = await catalog.get(code, { publishedOnly: false });
      // A local operator (the seed, the CLI) acts in process; people are checked by policy.
      if (op.actor) assertMayEditService(op.actor, service.orgId);
      if (service.status !== 'draft') throw notDraft();
      const form = normalizeForm(body);
      const problems = formProblems(form);
      if (problems.length) throw new ValidationError(problems);
      const now = clock.now();
      let row: store.FormRow | undefined;
      await db.transaction().execute(async (trx) => {
        if ((await store.lockServiceStatus(trx, service.id)) !== 'draft') throw notDraft();
        const current = await store.findByService(trx, service.id);
        if ((current?.version ?? 0) !== body.version) throw stale();
        if (current) {
          row = { ...current, version: current.version + 1, definition: form, updated_at: now };
          if (!(await store.updateForm(trx, service.id, body.version, { version: row.version, definition: form, updated_at: now }))) throw stale();
        } else {
          row = { id: newId(), service_id: service.id, version: 1, definition: form, created_at: now, updated_at: now };
          if (!(await store.insertForm(trx, row))) throw stale();
        }
        await audit.record(trx, {
          actor: op.auditAs,
          action: 'services.form.save',
          subjectType: 'service',
          subjectId: service.id,
          outcome: 'success',
          detail: { code: service.code, formId: row.id, version: row.version, fields: form.fields.length, prefilled: form.fields.filter((f) => f.prefill).map((f) => `${f.prefill!.source}.${f.prefill!.field}`) },
          ip: op.ip,
          requestId: op.requestId,
        });
      });
      return view(service, row);
    },

    /** The form of a published service, or undefined (no such service, not published, or no form). */
    async findPublished(code: string): Promise<PublishedForm | undefined> {
      return published(await catalog.findPublished(code));
    },

    /** As findPublished, but throws NotFoundError: for the portal and applications, which need one. */
    async getPublished(code: string): Promise<PublishedForm> {
      const found = await published(await catalog.findPublished(code));
      if (!found) throw noForm(code);
      return found;
    },

    /** By the published service's id (GovStack's serviceId). */
    async findPublishedByServiceId(serviceId: string): Promise<PublishedForm | undefined> {
      return published(await catalog.findById(serviceId));
    },

    /** By the form's own id (GovStack's eFormId), if its service is published. */
    async findPublishedById(formId: string): Promise<PublishedForm | undefined> {
      const row = await store.findById(db, formId);
      return row ? published(await catalog.findById(row.service_id)) : undefined;
    },
  };
}

export type ServiceForms = ReturnType<typeof createServiceForms>;

