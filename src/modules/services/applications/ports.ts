// What applications need from the rest of the platform, as small ports the app wires
// (src/app.ts): the e-forms, the registries through the exchange, the review process engine,
// licences, messages to applicants, timers and the working-day calendar. Tests wire the real
// ones through the test app.
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db, Executor } from '../../../platform/db.ts';
import type { WorkCalendar } from '../../../platform/workdays.ts';
import type { ServiceCatalog } from '../catalog/service.ts';
import type { Applicant } from './model.ts';

/** One field of a service's e-form that the platform fills from a registry. */
export type PrefillField = { key: string; source: 'person' | 'enterprise'; field: string; locked: boolean };
export type FormProblem = { field: string; zh: string; en: string };

export type PublishedFormPort = {
  id: string;
  version: number;
  prefill: PrefillField[];
  /** The data's problems against the form's schema; empty when it may be submitted. */
  validate(data: Record<string, unknown>): FormProblem[];
  /** The data as kept (trimmed, codes upper-cased); only for data without problems. */
  normalize(data: Record<string, unknown>): Record<string, unknown>;
  /** The approved data as a licence's particulars, labelled in both languages. */
  particulars(data: Record<string, unknown>): LicenceParticular[];
};

export type LicenceParticular = { key: string; labelZh: string; labelEn: string; value: string };

export type FormsPort = {
  /** The published e-form of a service, as the applicant fills it; undefined when it has none. */
  published(serviceCode: string): Promise<PublishedFormPort | undefined>;
};

/** A record read for the applicant from a base registry through the exchange. */
export type RegistryRead = { registry: string; content: Record<string, unknown>; exchangeId: string | null; readAt: string };

export type RegistriesPort = {
  /** The applicant's own population record, or their enterprise's legal-entity record; read as the portal, for the purpose given. */
  read(applicant: Applicant, source: 'person' | 'enterprise', purpose: string): Promise<RegistryRead | undefined>;
};

export type WaitingStep = { ref: string; name: { zh: string; en: string }; duty: string; org: 'lead' | `joint:${string}`; kind: string };
export type ProcessSnapshot = { state: unknown; waiting: WaitingStep[]; ended: boolean; outcome?: { decision: 'approve' | 'deny'; reasons: string[] } };

export type ProcessPort = {
  /** The review process a service runs, by key; undefined when it has none (acceptance then decides it alone). */
  keyFor(serviceCode: string): string | undefined;
  start(key: string, variables: Record<string, unknown>): Promise<ProcessSnapshot>;
  complete(key: string, state: unknown, ref: string, output: Record<string, unknown>): Promise<ProcessSnapshot>;
};

export type LicenceInput = {
  serviceCode: string;
  applicationId: string;
  orgId: string;
  holder: { kind: 'person' | 'enterprise'; idNumber: string; name: string; citizenId: string | null };
  typeZh: string;
  typeEn: string;
  fields: LicenceParticular[];
  validFrom: string;
  validUntil: string | null;
};

export type LicencesPort = {
  /** Issues and seals a licence inside the caller's transaction; its id. */
  issue(trx: Executor, input: LicenceInput): Promise<{ id: string; identifier: string }>;
};

export type ApplicantMessage =
  | { citizenId: string; template: 'application_update'; vars: { number: string; service: string; whatZh: string; whatEn: string } }
  | { citizenId: string; template: 'application_message'; vars: { number: string; service: string; text: string } };

export type TimersPort = {
  /** Fires `queue` with `payload` at `runAt`, once per key, committed with the transaction. */
  schedule(trx: Executor, queue: string, payload: Record<string, string>, options: { runAt: Date; key: string }): Promise<void>;
};

export type ApplicationsDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  catalog: ServiceCatalog;
  calendar: () => Promise<WorkCalendar>;
  forms: FormsPort;
  registries: RegistriesPort;
  process: ProcessPort;
  licences: LicencesPort;
  timers: TimersPort;
  /** Tells the applicant (their inbox and chosen channels); failures are logged, never fatal. */
  notify: (message: ApplicantMessage) => Promise<void>;
  /** Enterprises the citizen may act for, for a service (identity's enterprise agents). */
  actingFor: (citizenId: string, creditCode: string, serviceCode: string) => Promise<{ id: string; creditCode: string; name: string } | undefined>;
  /** Enterprises the citizen represents or is an agent of (any service): their applications are theirs to see. */
  enterprisesOf: (citizenId: string) => Promise<string[]>;
};
