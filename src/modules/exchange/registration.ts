// A node's registration request: what a new node sends the central node to join the
// instance. It names the node (name, address, zone), the members it will host, and the public
// keys it made: its TLS authentication key and one signing key per member. Each key signs the
// request, which proves the node holds it. The check code, a digest of the request, is shown
// on both sides so the central operator can confirm, out of band, that the request they
// approve is the one the node's operator sent.
import crypto from 'node:crypto';
import { canonicalJson } from '../../platform/canonical-json.ts';
import { suiteOfPublicKey, type KeyPair, type Suite, type SuiteName } from '../trust/index.ts';

export const REGISTRATION_FORMAT = 'egov-node-registration/1';

export type RegistrationBody = {
  format: typeof REGISTRATION_FORMAT;
  instance: string;
  name: string;
  url: string;
  zone: 'internal' | 'external' | 'public';
  members: string[];
  /** SubjectPublicKeyInfo, base64. */
  authKey: string;
  memberKeys: { member: string; publicKey: string }[];
  submittedAt: string;
};

export type SignedRegistration = RegistrationBody & { signatures: { auth: string; members: { member: string; signature: string }[] } };

export class RegistrationError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

const bodyBytes = (body: RegistrationBody) => Buffer.from(canonicalJson(body), 'utf8');

/** Eight hex digits in two groups, easy to read aloud over the phone. */
export function checkCode(body: RegistrationBody): string {
  const hex = crypto.createHash('sha256').update(bodyBytes(body)).digest('hex').slice(0, 8).toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4)}`;
}

export function signRegistration(body: RegistrationBody, keys: { auth: KeyPair; members: Map<string, KeyPair> }, suites: Record<SuiteName, Suite>): SignedRegistration {
  const bytes = bodyBytes(body);
  const sign = (key: KeyPair) => suites[key.suite].sign(bytes, key).toString('base64');
  return {
    ...body,
    signatures: { auth: sign(keys.auth), members: body.members.map((member) => ({ member, signature: sign(keys.members.get(member)!) })) },
  };
}

/** The unsigned body of a request, with every field checked; throws RegistrationError naming the field. */
export function verifyRegistration(input: SignedRegistration, suites: Record<SuiteName, Suite>, expected: { instance: string; suite: SuiteName }): RegistrationBody {
  const { signatures, ...body } = input;
  if (body.format !== REGISTRATION_FORMAT) throw new RegistrationError('format', `must be ${REGISTRATION_FORMAT}`);
  if (body.instance !== expected.instance) throw new RegistrationError('instance', `is ${body.instance}, but this is instance ${expected.instance}`);
  // The schema checks only the scheme; approval certifies the URL's host, so it must parse.
  const url = URL.parse(body.url);
  if (!url || url.protocol !== 'https:' || !url.hostname) throw new RegistrationError('url', 'must be an https URL with a host name or address, e.g. https://node.example.gov.cn:5500');
  const bytes = bodyBytes(body as RegistrationBody);
  const check = (field: string, spkiBase64: string, signature: string | undefined, suite: SuiteName) => {
    const spki = Buffer.from(spkiBase64, 'base64');
    if (suiteOfPublicKey(spki) !== suite) throw new RegistrationError(field, `must be a ${suite} public key`);
    let ok = false;
    try {
      ok = signature !== undefined && suites[suite].verify(bytes, Buffer.from(signature, 'base64'), spki);
    } catch {
      ok = false;
    }
    if (!ok) throw new RegistrationError(field, 'is not proven: the signature made with it does not verify');
  };
  check('authKey', body.authKey, signatures?.auth, 'ecdsa-p256-sha256');
  const keyed = new Set(body.memberKeys.map((k) => k.member));
  for (const member of body.members) if (!keyed.has(member)) throw new RegistrationError('memberKeys', `has no key for member ${member}`);
  if (keyed.size !== body.memberKeys.length || keyed.size !== body.members.length) throw new RegistrationError('memberKeys', 'must hold exactly one key per member');
  for (const { member, publicKey } of body.memberKeys) {
    check(`memberKeys.${member}`, publicKey, signatures?.members?.find((s) => s.member === member)?.signature, expected.suite);
  }
  return body as RegistrationBody;
}
