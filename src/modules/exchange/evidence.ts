// Evidence packages: one exchange, exported with everything needed to prove it offline:
// both sides' log records (with their place in the hash chain), the signed metadata and
// signatures, the signers' certificates up to the root, and the timestamp batch token with
// an inclusion proof for each record. `verifyEvidence` checks a package with no database and
// no network: it needs only the package (and, to pin trust, the instance's root certificate).
import crypto from 'node:crypto';
import { buildTree, checkCms, readCertificate, readToken, suiteForSignatureOid, suiteOfPublicKey, verifyInclusion, type InclusionProof, type Suite, type SuiteName } from '../trust/index.ts';
import { entryOf, rowHash, type LogEntry, type LogRow } from './message-log.ts';

type CertificateInfo = ReturnType<typeof readCertificate>;

export const EVIDENCE_FORMAT = 'egov-exchange-evidence/1';

/** One log row as JSON: every field its hash covers, signatures in base64. Archive files hold the same. */
export type RecordJson = Omit<LogEntry, 'requestSignature' | 'responseSignature'> & {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
  batchId: number;
  requestSignature: string | null;
  responseSignature: string | null;
};

export type EvidencePackage = {
  format: typeof EVIDENCE_FORMAT;
  xRoadId: string;
  exportedAt: string;
  records: RecordJson[];
  /** DER, base64, by serial: the members' certificates, the issuing CA and the root. */
  certificates: Record<string, string>;
  rootSerial: string;
  batches: { id: number; hash: 'sha256' | 'sm3'; root: string; token: string; proofs: Record<string, InclusionProof> }[];
  /** The exchanged bodies, when the node keeps them and they were asked for; each is checked against the signed body hash. */
  bodies?: { side: string; part: 'request' | 'response'; bytes: number; complete: boolean; dataBase64: string }[];
};

export type EvidenceSource = {
  rows: LogRow[];
  batch(id: number): Promise<{ id: number; hash: 'sha256' | 'sm3'; root: string; token: Buffer; hashes: Buffer[]; firstSeq: number }>;
  certificate(serial: string): Promise<Buffer>;
  chain: Buffer[]; // issuing CA, root
};

export function recordOf(row: LogRow): RecordJson {
  const entry = entryOf(row);
  return {
    ...entry,
    requestSignature: entry.requestSignature?.toString('base64') ?? null,
    responseSignature: entry.responseSignature?.toString('base64') ?? null,
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    prevHash: row.prev_hash,
    hash: row.hash,
    batchId: Number(row.batch_id),
  };
}

/** The hash a record's content gives, to compare with the hash it claims. */
export function recordHash(record: RecordJson): string {
  const entry: LogEntry = { ...record, requestSignature: record.requestSignature ? Buffer.from(record.requestSignature, 'base64') : null, responseSignature: record.responseSignature ? Buffer.from(record.responseSignature, 'base64') : null };
  return rowHash(record.seq, new Date(record.at), entry, record.prevHash);
}

export async function buildEvidence(xRoadId: string, source: EvidenceSource, now: Date): Promise<EvidencePackage> {
  const certificates: Record<string, string> = {};
  const addCertificate = (der: Buffer) => {
    certificates[readCertificate(der).serial] = der.toString('base64');
  };
  source.chain.forEach(addCertificate);
  const records: RecordJson[] = [];
  const batches = new Map<number, EvidencePackage['batches'][number]>();
  const trees = new Map<number, { proofs: InclusionProof[]; firstSeq: number }>();
  for (const row of source.rows) {
    const entry = entryOf(row);
    const batchId = Number(row.batch_id);
    for (const serial of [entry.requestSigner, entry.responseSigner]) if (serial && !certificates[serial]) addCertificate(await source.certificate(serial));
    if (!batches.has(batchId)) {
      const batch = await source.batch(batchId);
      batches.set(batchId, { id: batch.id, hash: batch.hash, root: batch.root, token: batch.token.toString('base64'), proofs: {} });
      trees.set(batchId, { proofs: buildTree(batch.hash, batch.hashes).proofs, firstSeq: batch.firstSeq });
    }
    const tree = trees.get(batchId)!;
    batches.get(batchId)!.proofs[String(row.seq)] = tree.proofs[Number(row.seq) - tree.firstSeq];
    records.push(recordOf(row));
  }
  return { format: EVIDENCE_FORMAT, xRoadId, exportedAt: now.toISOString(), records, certificates, rootSerial: readCertificate(source.chain.at(-1)!).serial, batches: [...batches.values()] };
}

/** What an offline check trusts: the certificates it carries, the root among them, and the suites. */
export type OfflineTrust = { certificates: CertificateInfo[]; rootSerial: string; suites: Record<SuiteName, Suite>; problems: string[] };

/** A certificate holds when each link up to the root is signed by the next and valid at `at`; else a problem is noted. */
export function certificateChainHolds(der: Buffer, at: Date, what: string, trust: OfflineTrust): boolean {
  const { problems } = trust;
  let current = readCertificate(der);
  for (let depth = 0; depth < 4; depth++) {
    if (at < current.notBefore || at > current.notAfter) {
      problems.push(`${what}: certificate ${current.serial} was not valid at ${at.toISOString()}`);
      return false;
    }
    const issuer = trust.certificates.find((c) => JSON.stringify(c.subject) === JSON.stringify(current.issuer));
    const suite = suiteForSignatureOid(current.signatureAlgorithmOid);
    if (!issuer || !suite || !trust.suites[suite].verify(current.tbs, current.signature, issuer.publicKeySpki)) {
      problems.push(`${what}: certificate ${current.serial} is not signed by a certificate in the package`);
      return false;
    }
    if (issuer.serial === trust.rootSerial) return true;
    current = issuer;
  }
  problems.push(`${what}: the certificate chain is too long`);
  return false;
}

/** A batch token holds when its signature verifies, it covers `root` and the TSA chains to the root; returns its time. */
export function batchTokenHolds(token: Buffer, root: Buffer, label: string, trust: OfflineTrust): Date | undefined {
  try {
    const read = readToken(token, (cms) => checkCms(cms, trust.suites).ok);
    if (!read.imprint.digest.equals(root)) trust.problems.push(`${label}: the timestamp covers another root`);
    return certificateChainHolds(read.tsaCertificate, read.genTime, `${label} timestamp`, trust) ? read.genTime : undefined;
  } catch (err) {
    trust.problems.push(`${label}: the timestamp token does not verify (${(err as Error).message})`);
    return undefined;
  }
}

export type EvidenceCheck = { ok: boolean; problems: string[]; facts: string[] };

/** Checks every claim in a package offline; `trustedRoot` pins the instance's root certificate. */
export function verifyEvidence(pkg: EvidencePackage, suites: Record<SuiteName, Suite>, trustedRoot?: Buffer): EvidenceCheck {
  const problems: string[] = [];
  const facts: string[] = [];
  if (pkg.format !== EVIDENCE_FORMAT) return { ok: false, problems: [`unknown package format ${String(pkg.format)}`], facts };
  const certs = new Map(Object.entries(pkg.certificates).map(([serial, b64]) => [serial, Buffer.from(b64, 'base64')]));
  const root = certs.get(pkg.rootSerial);
  if (!root) return { ok: false, problems: ['the package has no root certificate'], facts };
  if (trustedRoot && !trustedRoot.equals(root)) problems.push("the package's root certificate is not the trusted root given");
  facts.push(`root certificate ${pkg.rootSerial}, SHA-256 fingerprint ${crypto.createHash('sha256').update(root).digest('hex')}`);

  const ctx: OfflineTrust = { certificates: [...certs.values()].map((c) => readCertificate(c)), rootSerial: pkg.rootSerial, suites, problems };
  const chainHolds = (der: Buffer, at: Date, what: string) => certificateChainHolds(der, at, what, ctx);

  const verifySigned = (meta: string | null, signature: string | null, signer: string | null, at: Date, what: string) => {
    if (!meta || !signature || !signer) return problems.push(`${what} is not signed`);
    const der = certs.get(signer);
    if (!der) return problems.push(`${what}: the signer's certificate ${signer} is not in the package`);
    const info = readCertificate(der);
    const suite = suiteOfPublicKey(info.publicKeySpki);
    if (!suite || !suites[suite].verify(Buffer.from(meta, 'utf8'), Buffer.from(signature, 'base64'), info.publicKeySpki)) return problems.push(`${what}: the signature does not verify`);
    if (chainHolds(der, at, what)) facts.push(`${what} signed by ${info.subject.organization ?? info.subject.commonName} (${info.subject.serialNumber ?? ''}, certificate ${signer})`);
  };

  for (const record of pkg.records) {
    const label = `record ${record.seq} (${record.side})`;
    if (recordHash(record) !== record.hash) problems.push(`${label}: its content does not match its hash`);
    if (record.xRoadId !== pkg.xRoadId) problems.push(`${label}: it belongs to ${record.xRoadId}`);
    const at = new Date(record.at);
    if (record.requestMeta) {
      if (crypto.createHash('sha256').update(record.requestMeta).digest('hex') !== record.requestHash) problems.push(`${label}: the request hash does not match the signed request`);
      if (JSON.parse(record.requestMeta).xRoadId !== pkg.xRoadId) problems.push(`${label}: the signed request names another exchange`);
    }
    verifySigned(record.requestMeta, record.requestSignature, record.requestSigner, at, `${label} request`);
    verifySigned(record.responseMeta, record.responseSignature, record.responseSigner, at, `${label} response`);

    const batch = pkg.batches.find((b) => b.id === record.batchId);
    const proof = batch?.proofs[String(record.seq)];
    if (!batch || !proof) {
      problems.push(`${label}: no timestamp covers it`);
      continue;
    }
    const genTime = batchTokenHolds(Buffer.from(batch.token, 'base64'), Buffer.from(batch.root, 'hex'), label, ctx);
    if (!verifyInclusion(Buffer.from(record.hash, 'hex'), proof, Buffer.from(batch.root, 'hex'))) problems.push(`${label}: the inclusion proof does not lead to the timestamped root`);
    else if (genTime) facts.push(`${label} existed, as it is, at ${genTime.toISOString()} (timestamp, batch ${batch.id})`);
  }
  for (const body of pkg.bodies ?? []) {
    const label = `${body.part} body (${body.side})`;
    const data = Buffer.from(body.dataBase64, 'base64');
    const record = pkg.records.find((r) => r.side === body.side && (body.part === 'request' ? r.requestMeta : r.responseMeta)) ?? pkg.records.find((r) => (body.part === 'request' ? r.requestMeta : r.responseMeta));
    const meta = record && JSON.parse((body.part === 'request' ? record.requestMeta : record.responseMeta) as string);
    if (!meta) problems.push(`${label}: no signed ${body.part} to check it against`);
    else if (!body.complete) facts.push(`${label}: only the first ${data.length} of ${body.bytes} bytes were kept, so it cannot be checked against the signed hash`);
    else if (crypto.createHash('sha256').update(data).digest('hex') !== meta.bodyHash) problems.push(`${label}: it is not the body whose hash was signed`);
    else facts.push(`${label}: ${data.length} bytes, the body whose hash was signed`);
  }
  return { ok: problems.length === 0, problems, facts };
}
