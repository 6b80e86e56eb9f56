// The materials an applicant uploads: only document and image formats an officer can open
// safely, recognised by their content (the first bytes), never by the name or the declared type
// alone, and no larger than the limit. A file whose content and name disagree is refused, so a
// program renamed to .pdf does not reach an officer's desk.
import { createHash } from 'node:crypto';
import type { FieldError } from '../../../platform/errors.ts';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_APPLICATION = 30;

type Format = { mediaType: string; extensions: string[]; nameZh: string; nameEn: string; magic: (b: Buffer) => boolean };

const startsWith = (b: Buffer, bytes: number[], at = 0) => b.length >= at + bytes.length && bytes.every((x, i) => b[at + i] === x);

/** What applicants may upload. OFD (GB/T 33190) is a zip container; its name must say .ofd. */
const ALLOWED: Format[] = [
  { mediaType: 'application/pdf', extensions: ['pdf'], nameZh: 'PDF 文档', nameEn: 'PDF document', magic: (b) => startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d]) },
  { mediaType: 'image/png', extensions: ['png'], nameZh: 'PNG 图片', nameEn: 'PNG image', magic: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'], nameZh: 'JPEG 图片', nameEn: 'JPEG image', magic: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { mediaType: 'application/ofd', extensions: ['ofd'], nameZh: 'OFD 版式文档', nameEn: 'OFD document', magic: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]) },
];

/** Content we recognise in order to name it when refusing it. */
const KNOWN_REFUSED: { nameZh: string; nameEn: string; magic: (b: Buffer) => boolean }[] = [
  { nameZh: 'Windows 可执行程序', nameEn: 'a Windows program', magic: (b) => startsWith(b, [0x4d, 0x5a]) },
  { nameZh: 'Linux 可执行程序', nameEn: 'a Linux program', magic: (b) => startsWith(b, [0x7f, 0x45, 0x4c, 0x46]) },
  { nameZh: '脚本', nameEn: 'a script', magic: (b) => startsWith(b, [0x23, 0x21]) },
  { nameZh: '网页（HTML）', nameEn: 'a web page (HTML)', magic: (b) => /^\s*<(!doctype html|html|script|svg)/i.test(b.subarray(0, 64).toString('latin1')) },
  { nameZh: '压缩包', nameEn: 'an archive', magic: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x52, 0x61, 0x72, 0x21]) || startsWith(b, [0x1f, 0x8b]) },
];

export const ALLOWED_TYPES_TEXT = { zh: 'PDF、OFD、PNG 或 JPEG', en: 'PDF, OFD, PNG or JPEG' };

export type CheckedAttachment = { materialKey: string; fileName: string; mediaType: string; size: number; sha256: string; content: Buffer };

const extensionOf = (name: string) => (name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '');

/** The file's real format by its first bytes, when it is one applicants may upload. */
export function sniff(content: Buffer, fileName: string): Format | undefined {
  const ext = extensionOf(fileName);
  // A zip is only taken as OFD when it says so; any other zip is an archive.
  return ALLOWED.find((f) => f.magic(content) && (f.mediaType !== 'application/ofd' || ext === 'ofd'));
}

/**
 * Checks one upload for `field` (the form path to name in the error): a safe name, not empty,
 * within the size limit, a format allowed by its content, and a name that agrees with it.
 */
export function checkAttachment(field: string, input: { materialKey: string; fileName: string; content: Buffer }, maxBytes = MAX_ATTACHMENT_BYTES): CheckedAttachment | FieldError {
  const fileName = input.fileName.normalize('NFC').trim();
  const problem = (code: string, en: string, zh: string): FieldError => ({ field, code, message: en, messageZh: zh });
  if (!fileName || fileName.length > 200 || /[\\/\u0000-\u001f]/.test(fileName)) {
    return problem('bad_file_name', 'needs a file name of at most 200 characters without slashes or control characters', '文件名须在 200 个字符以内，且不含斜杠或控制字符');
  }
  if (input.content.length === 0) return problem('empty_file', `"${fileName}" is empty: choose the file again`, `“${fileName}”是空文件，请重新选择文件`);
  if (input.content.length > maxBytes) {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    return problem('file_too_large', `"${fileName}" is ${mb(input.content.length)} MB; the limit is ${mb(maxBytes)} MB. Scan at a lower resolution or split it.`, `“${fileName}”大小为 ${mb(input.content.length)} MB，超过 ${mb(maxBytes)} MB 的上限，请降低扫描分辨率或拆分后上传`);
  }
  const format = sniff(input.content, fileName);
  if (!format) {
    const known = KNOWN_REFUSED.find((k) => k.magic(input.content));
    return problem(
      'file_type_not_allowed',
      `"${fileName}" is ${known ? known.nameEn : 'not a format we accept'}; upload ${ALLOWED_TYPES_TEXT.en}`,
      `“${fileName}”${known ? `是${known.nameZh}` : '的格式不受支持'}，请上传 ${ALLOWED_TYPES_TEXT.zh} 文件`,
    );
  }
  if (!format.extensions.includes(extensionOf(fileName))) {
    return problem('file_name_mismatch', `"${fileName}" contains a ${format.nameEn} but its name does not end in .${format.extensions[0]}: rename it and upload it again`, `“${fileName}”的内容是${format.nameZh}，但文件扩展名不是 .${format.extensions[0]}，请更正文件名后重新上传`);
  }
  return { materialKey: input.materialKey, fileName, mediaType: format.mediaType, size: input.content.length, sha256: createHash('sha256').update(input.content).digest('hex'), content: input.content };
}

export const isFieldError = (value: CheckedAttachment | FieldError): value is FieldError => 'code' in value && 'field' in value;
