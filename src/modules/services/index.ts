// Online public services and administrative approval (issue 8). So far: the service catalog
// (catalog/: each service's guide, written by its organization, published on the portal) and
// the electronic licence identifier of GB/T 36904 (licences/identifier.ts), and the GovStack
// Registration API under /govstack/registration/ (govstack/: services, eForms, documents, applications and tasks), and
// each service's e-form (forms/: the fields applicants fill in, prefilled from the base registries,
// checked and published as JSON Schema). Applications, the approval workflow, deadlines and
// licences build on these.
import path from 'node:path';
import type { App } from '../../http/server.ts';
import type { MigrationSource } from '../../platform/migrate.ts';
import { registerServiceCatalogRoutes } from './catalog/routes.ts';
import { createServiceCatalog, type ServiceCatalogDeps } from './catalog/service.ts';
import { registerRegistrationRoutes } from './govstack/registration.ts';
import { registerRegistrationApplicationRoutes } from './govstack/registration-applications.ts';
import { createLicenceExchangeBackend, type LicenceBackendDeps } from './licences/exchange-backend.ts';
import { registerLicenceRoutes } from './licences/routes.ts';
import { createLicences, type LicenceDeps } from './licences/service.ts';
import { formsPort, licencesPort, processPort } from './applications/adapters.ts';
import type { ApplicationsDeps } from './applications/ports.ts';
import { createJoint, type JointDeps } from './applications/joint.ts';
import { registerApplicationRoutes, type ApplicationRouteDeps } from './applications/routes.ts';
import { createApplications } from './applications/service.ts';
import { registerServiceFormRoutes } from './forms/routes.ts';
import { createServiceForms } from './forms/service.ts';

export type { ServiceView } from './catalog/schema.ts';
export type { Applications } from './applications/service.ts';
export type { Applicant } from './applications/model.ts';
export type { ApplicationView, DossierView, HistoryLine, MaterialFile } from './applications/present.ts';
export type { TaskView } from './applications/tasks.ts';
export type { ProcessPort, ProcessSnapshot, RegistriesPort, TimersPort, WaitingStep } from './applications/ports.ts';
export { jobTimers, startApplicationTimers, sweepOverdueAcceptances } from './applications/timers.ts';
export { JOINT_BACKEND } from './applications/joint.ts';
export type { ServiceCatalog } from './catalog/service.ts';
export { SERVICE_KINDS, STATUTORY_LIMIT, type ServiceInput } from './catalog/model.ts';
export type { ServiceForms, PublishedForm } from './forms/service.ts';
export type { FormView } from './forms/schema.ts';
export { FORM_FIELD_TYPES, formProblems, type FormDefinition, type FormField, type FormSection, type FormFieldType } from './forms/model.ts';
export { validateFormData, normalizeFormData, coerceFormInput, type FormDataProblem } from './forms/validate.ts';
export { compileFormSchema } from './forms/json-schema.ts';
export { PREFILL_FIELDS, type PrefillField } from './forms/prefill.ts';
export { buildLicenceId, parseLicenceId, mod3736 } from './licences/identifier.ts';
export type { Licences, LicenceDeps } from './licences/service.ts';
export type { LicenceInput, LicenceField, LicenceStatus } from './licences/model.ts';
export type { HolderLicence, HolderLicenceSummary, LicenceHolder, LicenceView, PublicLicence, SealCheck } from './licences/views.ts';
export { qrSvg } from './licences/qr.ts';
export { LICENCES_BACKEND } from './licences/exchange-backend.ts';

export const servicesMigrations: MigrationSource = { module: 'services', dir: path.join(import.meta.dirname, 'migrations') };

/** What applications need from other modules (src/app.ts wires them). */
export type ApplicationWiring = Omit<ApplicationsDeps, 'db' | 'audit' | 'clock' | 'catalog' | 'forms' | 'licences' | 'process'> & Omit<ApplicationRouteDeps, 'applications'>;

export function createServices(deps: ServiceCatalogDeps & { licences: Omit<LicenceDeps, 'db' | 'audit' | 'clock'>; applications: ApplicationWiring; joint: Omit<JointDeps, 'db' | 'catalog' | 'decisions' | 'now'> }) {
  const catalog = createServiceCatalog(deps);
  const licences = createLicences({ ...deps.licences, db: deps.db, audit: deps.audit, clock: deps.clock });
  const forms = createServiceForms({ db: deps.db, audit: deps.audit, clock: deps.clock, catalog });
  const { applicant, staff, ...applicationPorts } = deps.applications;
  const applications = createApplications({ ...applicationPorts, db: deps.db, audit: deps.audit, clock: deps.clock, catalog, forms: formsPort(forms), licences: licencesPort(licences), process: processPort() });
  // Joint handling: steps and outcomes between departments through the exchange (egov:joint-review).
  const joint = createJoint({ ...deps.joint, db: deps.db, catalog, decisions: applications.decisions, now: () => deps.clock.now() });
  return {
    catalog,
    licences,
    /** The exchange's built-in backend egov:licences (registered in src/app.ts). */
    licenceBackend: (organizationOfMember: LicenceBackendDeps['organizationOfMember']) => createLicenceExchangeBackend({ db: deps.db, audit: deps.audit, licences, organizationOfMember }),
    forms,
    applications,
    joint,
    registerRoutes(app: App): void {
      registerServiceCatalogRoutes(app, catalog);
      registerLicenceRoutes(app, licences);
      registerServiceFormRoutes(app, forms);
      registerApplicationRoutes(app, { applications, applicant, staff });
      registerRegistrationRoutes(app, catalog, forms);
      registerRegistrationApplicationRoutes(app, { catalog, forms, applications, applicant, publicUrl: deps.licences.publicUrl });
    },
  };
}

export type Services = ReturnType<typeof createServices>;
