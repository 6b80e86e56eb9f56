// Documents an applicant uploads before submitting, as GovStack Registration has it (POST
// /documents, then documentUrls in the submission; decision 0027). Each is checked exactly as a
// material is (attachments.ts), names the material it is for, and stays the citizen's own for
// DOCUMENT_DAYS; a submission that names it gets its own copy among the application's materials,
// so the application does not depend on the document once submitted.
import type { AuditActor } from '../../../platform/audit.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { checkAttachment, isFieldError, MAX_ATTACHMENTS_PER_APPLICATION } from './attachments.ts';
import * as store from './document-store.ts';
import type { Applicant } from './model.ts';
import type { ApplicationsDeps } from './ports.ts';
import type { AttachmentUpload } from './submission.ts';

export const DOCUMENT_DAYS = 7;
/** Live documents one citizen may hold at once: a whole application's worth, and some. */
export const MAX_LIVE_DOCUMENTS = 2 * MAX_ATTACHMENTS_PER_APPLICATION;
const MATERIAL_KEY = /^[a-z][a-zA-Z0-9]{0,39}$/;

export type UploadedDocument = Omit<store.DocumentRow, 'content' | 'citizen_id'>;

const citizen = (a: Applicant): AuditActor => ({ id: a.citizenId, name: `citizen:${a.citizenId}`, orgId: null });

export function createDocuments(deps: Pick<ApplicationsDeps, 'db' | 'audit' | 'clock'>) {
  const { db, audit, clock } = deps;

  return {
    /** Checks and keeps one file for the applicant; `field` names the upload in errors. */
    async upload(applicant: Applicant, input: { materialKey: string; fileName: string; content: Buffer }, fields = { materialKey: 'materialKey', file: 'file' }): Promise<UploadedDocument> {
      const errors: FieldError[] = [];
      if (!MATERIAL_KEY.test(input.materialKey)) {
        errors.push({ field: fields.materialKey, code: 'material_key_required', message: "name the service material the file is for (a key of the service's materials, e.g. floorPlan)", messageZh: '请注明文件对应的申请材料（事项材料的键名，如 floorPlan）' });
      }
      const checked = checkAttachment(fields.file, { materialKey: input.materialKey, fileName: input.fileName, content: input.content });
      if (isFieldError(checked)) errors.push(checked);
      if (errors.length || isFieldError(checked)) throw new ValidationError(errors);
      const now = clock.now();
      const row: store.DocumentRow = {
        id: newId(),
        citizen_id: applicant.citizenId,
        material_key: checked.materialKey,
        file_name: checked.fileName,
        media_type: checked.mediaType,
        size: checked.size,
        sha256: checked.sha256,
        content: checked.content,
        uploaded_at: now,
        expires_at: new Date(now.getTime() + DOCUMENT_DAYS * 86_400_000),
      };
      await db.transaction().execute(async (trx) => {
        await store.deleteExpired(trx, applicant.citizenId, now);
        if ((await store.countLive(trx, applicant.citizenId, now)) >= MAX_LIVE_DOCUMENTS) {
          throw new ConflictError(
            'too_many_documents',
            `You hold ${MAX_LIVE_DOCUMENTS} uploaded documents not yet past their ${DOCUMENT_DAYS} days: submit an application with them, or wait until they expire.`,
            `您已上传 ${MAX_LIVE_DOCUMENTS} 份未过期（${DOCUMENT_DAYS} 天）的文件，请先用它们提交申请，或待其过期后再上传。`,
          );
        }
        await store.insertDocument(trx, row);
        await audit.record(trx, { actor: citizen(applicant), action: 'services.document.upload', subjectType: 'document', subjectId: row.id, outcome: 'success', detail: { materialKey: row.material_key, mediaType: row.media_type, size: row.size, sha256: row.sha256 }, ip: applicant.ip, requestId: applicant.requestId });
      });
      const { content: _c, citizen_id: _id, ...uploaded } = row;
      return uploaded;
    },

    /**
     * The applicant's live documents `ids` as materials to submit, in the order given; a
     * document that is not theirs, or has expired, is named at `field/{i}`.
     */
    async asMaterials(applicant: Applicant, ids: string[], field: string): Promise<AttachmentUpload[]> {
      const found = new Map((await store.findLive(db, applicant.citizenId, [...new Set(ids)], clock.now())).map((d) => [d.id, d]));
      const errors: FieldError[] = [];
      const out: AttachmentUpload[] = [];
      ids.forEach((id, i) => {
        const doc = found.get(id);
        if (!doc) errors.push({ field: `${field}/${i}`, code: 'document_not_found', message: `names no document you uploaded in the last ${DOCUMENT_DAYS} days: upload the file again (POST /documents)`, messageZh: `不是您在 ${DOCUMENT_DAYS} 天内上传的文件，请重新上传（POST /documents）` });
        else out.push({ materialKey: doc.material_key, fileName: doc.file_name, content: Buffer.from(doc.content).toString('base64') });
      });
      if (errors.length) throw new ValidationError(errors);
      return out;
    },

    /** One of the applicant's live documents, with its content. */
    async get(applicant: Applicant, id: string): Promise<store.DocumentRow> {
      const [doc] = await store.findLive(db, applicant.citizenId, [id], clock.now());
      if (!doc) throw new NotFoundError('document', id, '文件');
      // The embedded driver answers bytea as a Uint8Array.
      return { ...doc, content: Buffer.from(doc.content) };
    },
  };
}

export type Documents = ReturnType<typeof createDocuments>;
