// What the portal needs of online applications (services/applications), as one narrow port
// that src/app.ts wires: the portal passes who is asking (the citizen session and the
// enterprise they chose to act for at sign-in) and never builds the application service's
// own objects. Also the translation of the service's problems to the inputs of a page.
import type { FastifyRequest } from 'fastify';
import type { CitizenContext } from '../identity/index.ts';
import type { FormDefinition, ServiceView } from '../services/index.ts';
import type { FieldError } from '../../platform/errors.ts';
import type { PrefillValue, RawValues } from './pages/apply-form.ts';
import { fieldId, fieldName, fileName, materialId } from './pages/apply-form.ts';
import type { PortalApplication } from './pages/application.ts';
import type { PostedFile } from './multipart.ts';
import { t, type Lang } from './text.ts';

/** The person asking: their session, and the enterprise they act for (chosen at sign-in), if any. */
export type Who = { ctx: CitizenContext; acting?: { creditCode: string; name: string } };
export type Upload = { materialKey: string; fileName: string; content: string };
export type PortalApplicationView = PortalApplication & { prefilled: Record<string, PrefillValue> };

export type PortalApplications = {
  /** A published service that takes online applications (it has a published e-form), or undefined. */
  online: (code: string) => Promise<{ service: ServiceView; form: FormDefinition } | undefined>;
  /** What the platform fills in from the registries (read through the exchange; may throw when one is unavailable). */
  preview: (who: Who, serviceCode: string) => Promise<Record<string, PrefillValue>>;
  start: (who: Who, input: { serviceCode: string; onBehalfOf?: string; formData: Record<string, unknown>; attachments: Upload[]; submit: boolean }, idempotencyKey?: string) => Promise<{ application: PortalApplicationView; created: boolean }>;
  change: (who: Who, id: string, input: { version: number; formData: Record<string, unknown>; attachments: Upload[]; submit: boolean }) => Promise<PortalApplicationView>;
  answerSupplement: (who: Who, id: string, input: { version: number; formData?: Record<string, unknown>; attachments: Upload[] }) => Promise<PortalApplicationView>;
  withdraw: (who: Who, id: string, version: number) => Promise<PortalApplicationView>;
  rate: (who: Who, id: string, input: { rating: 'good' | 'poor'; reason?: string }) => Promise<PortalApplicationView>;
  /** Theirs and their enterprises', newest first. */
  mine: (who: Who) => Promise<PortalApplicationView[]>;
  /** One of theirs; NotFoundError for anyone else's. */
  get: (who: Who, id: string) => Promise<PortalApplicationView>;
};

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** An idempotency key the page generated: a UUID. */
export const KEY = UUID;

export function whoOf(request: FastifyRequest, ctx: CitizenContext, acting: (request: FastifyRequest, ctx: CitizenContext) => { creditCode: string; name: string } | undefined): Who {
  const found = acting(request, ctx);
  return { ctx, ...(found ? { acting: { creditCode: found.creditCode, name: found.name } } : {}) };
}

/** The form's answers as posted (names without their prefix), for coerceFormInput and for showing again. */
export function postedValues(fields: Record<string, string | string[]>, form: FormDefinition): RawValues {
  const out: RawValues = {};
  for (const f of form.fields) {
    const v = fields[fieldName(f.key)];
    if (v !== undefined) out[f.key] = v;
  }
  return out;
}

/** The files posted for the materials, base64 for the service; files over the limit named as problems. */
export function uploadsOf(files: PostedFile[], lang: Lang): { uploads: Upload[]; problems: Map<string, string> } {
  const uploads: Upload[] = [];
  const problems = new Map<string, string>();
  for (const f of files) {
    const materialKey = f.field.startsWith('file.') ? f.field.slice('file.'.length) : f.field;
    if (f.tooLarge) {
      problems.set(materialId(materialKey), t(lang, { zh: `“${f.fileName}”超过 10 MB 的上限，请降低扫描分辨率或拆分后上传`, en: `"${f.fileName}" is larger than 10 MB: scan it at a lower resolution or split it` }));
      continue;
    }
    uploads.push({ materialKey, fileName: f.fileName, content: f.content.toString('base64') });
  }
  return { uploads, problems };
}

/**
 * The service's problems by the page's input ids: `formData/phone` → the phone field,
 * `attachments/0` → the material of the first file sent, `attachments/floorPlan` → that
 * material; anything else is about the whole form.
 */
export function problemsOf(lang: Lang, errors: FieldError[], form: FormDefinition, uploads: Upload[], extra: Map<string, string> = new Map()): Map<string, string> {
  const out = new Map(extra);
  const keys = new Set(form.fields.map((f) => f.key));
  for (const e of errors) {
    const text = lang === 'en' ? e.message : (e.messageZh ?? e.message);
    const [head, second] = e.field.split('/');
    let id = 'form';
    if (head === 'formData' && second && keys.has(second)) id = fieldId(second);
    else if (head === 'attachments' && second !== undefined) id = /^\d+$/.test(second) ? (uploads[Number(second)] ? materialId(uploads[Number(second)].materialKey) : 'form') : materialId(second);
    else if (keys.has(e.field)) id = fieldId(e.field);
    out.set(id, out.has(id) ? `${out.get(id)} ${text}` : text);
  }
  return out;
}

export { fileName };
