// Reading GovStack Registration's inputs that are not plain JSON: the multipart upload of POST
// /documents, and the Camunda-style sortBy/sortOrder of the listings (decision 0027).
import { ValidationError, type FieldError } from '../../../platform/errors.ts';
import type { Lang } from '../../../platform/language.ts';
import { MAX_ATTACHMENT_BYTES } from '../applications/attachments.ts';
import type { ApplicationSort, SortOrder, TaskSort } from '../applications/listing-store.ts';

/** One file of at most 10 MB, base64 when sent as text, and the multipart framing. */
export const UPLOAD_BODY_LIMIT = Math.ceil((MAX_ATTACHMENT_BYTES * 4) / 3) + 1024 * 1024;

const invalid = (field: string, code: string, en: string, zh: string) => new ValidationError([{ field, code, message: en, messageZh: zh }]);

/** The material key `additionalMetadata` names: `floorPlan` or `materialKey=floorPlan`. */
function materialKeyOf(additionalMetadata: string | undefined): string | undefined {
  if (additionalMetadata === undefined) return undefined;
  const value = additionalMetadata.trim();
  return value.startsWith('materialKey=') ? value.slice('materialKey='.length) : value;
}

/** The one file of a multipart/form-data upload (`file`), the material it is for and its name. */
export async function readUpload(contentType: string | undefined, body: unknown, additionalMetadata: string | undefined): Promise<{ materialKey: string; fileName: string; content: Buffer }> {
  if (!Buffer.isBuffer(body) || !contentType?.toLowerCase().startsWith('multipart/form-data')) {
    throw invalid('body', 'multipart_required', 'send the document as multipart/form-data with one part named file', '请以 multipart/form-data 格式上传，其中包含一个名为 file 的文件');
  }
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw invalid('body', 'multipart_invalid', 'is not well-formed multipart/form-data: check the boundary and the parts', '不是格式正确的 multipart/form-data，请检查分隔符和各部分');
  }
  const errors: FieldError[] = [];
  for (const name of new Set(form.keys())) {
    if (!['file', 'materialKey', 'fileName'].includes(name)) errors.push({ field: name, code: 'unknown_part', message: 'is not a part this upload takes (file, materialKey, fileName)', messageZh: '不是本上传接受的部分（file、materialKey、fileName）' });
  }
  const files = form.getAll('file');
  if (files.length !== 1) errors.push({ field: 'file', code: files.length ? 'one_file' : 'required', message: 'upload exactly one file per request: each document gets its own URL', messageZh: '每次只能上传一个文件：每个文件各有其地址' });
  const fromForm = form.getAll('materialKey');
  const fromQuery = materialKeyOf(additionalMetadata);
  if (fromForm.length > 1 || fromForm.some((v) => typeof v !== 'string')) errors.push({ field: 'materialKey', code: 'type', message: 'give it once, as text', messageZh: '只能填写一次，且须为文本' });
  const formKey = typeof fromForm[0] === 'string' ? fromForm[0].trim() : undefined;
  if (formKey !== undefined && fromQuery !== undefined && formKey !== fromQuery) errors.push({ field: 'additionalMetadata', code: 'conflicting', message: `names the material ${fromQuery} but the materialKey part says ${formKey}: give one`, messageZh: `指明的材料为 ${fromQuery}，而 materialKey 为 ${formKey}，两者矛盾，请只填其一` });
  const names = form.getAll('fileName');
  if (names.length > 1 || names.some((v) => typeof v !== 'string')) errors.push({ field: 'fileName', code: 'type', message: 'give it once, as text', messageZh: '只能填写一次，且须为文本' });
  if (errors.length) throw new ValidationError(errors);
  const file = files[0]!;
  const materialKey = formKey ?? fromQuery ?? '';
  if (typeof file !== 'string') return { materialKey, fileName: typeof names[0] === 'string' ? names[0] : file.name, content: Buffer.from(await file.arrayBuffer()) };
  // The specification's own example sends the file as base64 text; its name then comes in fileName.
  const text = file.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) throw invalid('file', 'base64', 'sent as text, the file must be base64', '以文本形式上传时，文件须为 base64 编码');
  if (typeof names[0] !== 'string') throw invalid('fileName', 'required', 'is required when the file is sent as base64 text (its name says its format, e.g. plan.pdf)', '以 base64 文本上传文件时须填写文件名（如 plan.pdf）');
  return { materialKey, fileName: names[0], content: Buffer.from(text, 'base64') };
}

const SORT_ORDERS = ['asc', 'desc'] as const;
const INSTANCE = ['instanceId', 'caseInstanceId', 'executionId', 'caseExecutionId'];

function order(sortBy: string | undefined, sortOrder: string | undefined): SortOrder | undefined {
  if ((sortBy === undefined) !== (sortOrder === undefined)) {
    throw invalid(sortBy === undefined ? 'sortBy' : 'sortOrder', 'sort_pair', 'sortBy and sortOrder go together: give both or neither', 'sortBy 与 sortOrder 须同时给出或同时省略');
  }
  if (sortOrder === undefined) return undefined;
  if (!(SORT_ORDERS as readonly string[]).includes(sortOrder)) throw invalid('sortOrder', 'enum', 'must be asc or desc', '须为 asc 或 desc');
  return sortOrder as SortOrder;
}

// Priority here is the statutory deadline: the most urgent (highest priority) is due soonest.
const invert = (o: SortOrder): SortOrder => (o === 'asc' ? 'desc' : 'asc');

/** GET /applications: newest first unless sortBy says otherwise. */
export function applicationSortOf(sortBy: string | undefined, sortOrder: string | undefined): { sort: ApplicationSort; order: SortOrder } {
  const o = order(sortBy, sortOrder);
  if (!sortBy || !o) return { sort: 'created', order: 'desc' };
  if (sortBy === 'priority') return { sort: 'due', order: invert(o) };
  const sorts: Record<string, ApplicationSort> = { created: 'created', dueDate: 'due', id: 'id', description: 'number', name: 'name', nameCaseInsensitive: 'nameCaseInsensitive', ...Object.fromEntries(INSTANCE.map((k) => [k, 'id' as const])) };
  const sort = sorts[sortBy];
  if (!sort) throw invalid('sortBy', 'enum', `applications sort by ${[...Object.keys(sorts), 'priority'].join(', ')} (assignee applies to GET /tasks)`, `申请可按 ${[...Object.keys(sorts), 'priority'].join('、')} 排序（assignee 仅适用于 GET /tasks）`);
  return { sort, order: o };
}

/** GET /tasks: soonest due first unless sortBy says otherwise; names in the reader's language. */
export function taskSortOf(sortBy: string | undefined, sortOrder: string | undefined, lang: Lang): { sort: TaskSort; order: SortOrder } {
  const o = order(sortBy, sortOrder);
  if (!sortBy || !o) return { sort: 'due', order: 'asc' };
  if (sortBy === 'priority') return { sort: 'due', order: invert(o) };
  const en = lang === 'en';
  const sorts: Record<string, TaskSort> = {
    created: 'created',
    dueDate: 'due',
    id: 'id',
    description: 'number',
    assignee: 'assignee',
    name: en ? 'nameEn' : 'nameZh',
    nameCaseInsensitive: en ? 'nameEnCaseInsensitive' : 'nameZhCaseInsensitive',
    ...Object.fromEntries(INSTANCE.map((k) => [k, 'application' as const])),
  };
  const sort = sorts[sortBy];
  if (!sort) throw invalid('sortBy', 'enum', `tasks sort by ${[...Object.keys(sorts), 'priority'].join(', ')}`, `任务可按 ${[...Object.keys(sorts), 'priority'].join('、')} 排序`);
  return { sort, order: o };
}
