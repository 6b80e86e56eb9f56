// X-Road identifiers as the REST message protocol (v1) writes them: a client is
// INSTANCE/CLASS/MEMBER[/SUBSYSTEM], a service INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE. In a
// URL or a header each part is percent-encoded on its own, so a '/' inside a code is %2F and
// never a separator. X-Road forbids ':', ';', '/', '\', '%' and control characters inside a
// part once decoded; so do we, and we say which part is wrong.

export type ClientId = { instance: string; memberClass: string; memberCode: string; subsystem?: string };
export type ServiceId = { instance: string; memberClass: string; memberCode: string; subsystem: string; service: string };

export class IdentifierError extends Error {
  readonly part: string;
  constructor(part: string, message: string) {
    super(message);
    this.part = part;
  }
}

const MAX_PART_LENGTH = 255;
// Forbidden once decoded (X-Road's identifier rules), plus any control character or space.
const FORBIDDEN = /[:;/\\%\u0000-\u0020\u007f]/;

function decodePart(raw: string, part: string): string {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    throw new IdentifierError(part, `The ${part} "${raw}" has a malformed percent-encoding.`);
  }
  if (value.length === 0) throw new IdentifierError(part, `The ${part} is empty.`);
  if (value.length > MAX_PART_LENGTH) throw new IdentifierError(part, `The ${part} is longer than ${MAX_PART_LENGTH} characters.`);
  if (FORBIDDEN.test(value) || value === '.' || value === '..') {
    throw new IdentifierError(part, `The ${part} "${value}" contains a character identifiers may not hold (: ; / \\ % space or a control character), or is "." or "..".`);
  }
  return value;
}

const encodePart = (value: string) => encodeURIComponent(value);

const CLIENT_PARTS = ['instance', 'member class', 'member code', 'subsystem code'] as const;
const SERVICE_PARTS = ['instance', 'member class', 'member code', 'subsystem code', 'service code'] as const;

/** Parses X-Road-Client (or Information-Mediator-Client): 3 parts for a member, 4 for a subsystem. */
export function parseClientId(header: string): ClientId {
  const raw = header.trim().split('/');
  if (raw.length !== 3 && raw.length !== 4) {
    throw new IdentifierError('client', `The client identifier must be INSTANCE/CLASS/MEMBER or INSTANCE/CLASS/MEMBER/SUBSYSTEM; "${header}" has ${raw.length} parts.`);
  }
  const [instance, memberClass, memberCode, subsystem] = raw.map((p, i) => decodePart(p, CLIENT_PARTS[i]));
  return subsystem === undefined ? { instance, memberClass, memberCode } : { instance, memberClass, memberCode, subsystem };
}

/**
 * Splits the path after /r1/ into the service identifier and the service path. `rest` is the
 * raw (still encoded) path: INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/path…].
 */
export function parseServicePath(rest: string): { service: ServiceId; path: string } {
  const raw = rest.split('/');
  if (raw.length < 5) throw new IdentifierError('service', `The service must be /r1/INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/path]; "/r1/${rest}" has ${raw.length} parts.`);
  const [instance, memberClass, memberCode, subsystem, service] = raw.slice(0, 5).map((p, i) => decodePart(p, SERVICE_PARTS[i]));
  const pathParts = raw.slice(5);
  for (const segment of pathParts) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new IdentifierError('path', `The service path segment "${segment}" has a malformed percent-encoding.`);
    }
    // The backend URL is the service's; a path must never climb out of it.
    if (decoded === '..' || decoded === '.' || decoded.includes('/') || decoded.includes('\\') || decoded.includes('\u0000')) {
      throw new IdentifierError('path', `The service path may not contain "..", "." or encoded slashes; "${segment}" does.`);
    }
  }
  return { service: { instance, memberClass, memberCode, subsystem, service }, path: pathParts.length > 0 ? `/${pathParts.join('/')}` : '' };
}

export function formatClientId(id: ClientId): string {
  return [id.instance, id.memberClass, id.memberCode, ...(id.subsystem !== undefined ? [id.subsystem] : [])].map(encodePart).join('/');
}

export function formatServiceId(id: ServiceId): string {
  return [id.instance, id.memberClass, id.memberCode, id.subsystem, id.service].map(encodePart).join('/');
}

/** The subsystem a service belongs to, as a client identifier. */
export function providerOf(service: ServiceId): ClientId {
  return { instance: service.instance, memberClass: service.memberClass, memberCode: service.memberCode, subsystem: service.subsystem };
}

export function sameClient(a: ClientId, b: ClientId): boolean {
  return a.instance === b.instance && a.memberClass === b.memberClass && a.memberCode === b.memberCode && a.subsystem === b.subsystem;
}
