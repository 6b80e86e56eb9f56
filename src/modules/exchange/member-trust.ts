// What a member node takes from the instance's trust services, which live on the central
// node: the CA and TSA certificates and the members' certificates come with the global
// configuration; message-log batches are timestamped by the central TSA over the node port
// (one call per batch: the Merkle root leaves this node, the rows do not).
import { buildTree, checkCms, readToken, type Suite, type SuiteName } from '../trust/index.ts';
import type { BatchChecker, BatchTimestamper } from './message-log.ts';
import type { NodeIdentity } from './node-identity.ts';
import type { ConfIndex } from './routing.ts';
import type { NodeTransport } from './message/transport.ts';

export function createMemberTrust(deps: { routing: () => Promise<ConfIndex>; transport: NodeTransport; identity: NodeIdentity; suites: Record<SuiteName, Suite> }) {
  const centralNode = async () => {
    const routing = await deps.routing();
    const central = routing.conf.nodes.find((n) => n.central);
    if (!central) throw new Error('The global configuration names no central node.');
    return { routing, central: routing.findNode(central.name)! };
  };

  const timestamper: BatchTimestamper = async (hashes) => {
    const { central } = await centralNode();
    const { root } = buildTree('sha256', hashes);
    const body = Buffer.from(JSON.stringify({ hash: 'sha256', rootHex: root.toString('hex') }));
    const outbound = await deps.transport.request(central, { method: 'POST', path: '/exchange/v1/timestamps', headers: { 'content-type': 'application/json', 'content-length': String(body.length) }, timeoutMs: 10_000 });
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      outbound.on('timeout', () => outbound.destroy(new Error('the central TSA did not answer within 10 s')));
      outbound.on('error', reject);
      outbound.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      outbound.end(body);
    });
    if (answer.status !== 200) throw new Error(`The central TSA refused the batch (${answer.status}): ${answer.text.slice(0, 200)}`);
    return { hash: 'sha256', root, token: Buffer.from(JSON.parse(answer.text).tokenBase64, 'base64') };
  };

  const batchChecker: BatchChecker = async (batch, hashes) => {
    if (!buildTree(batch.hash, hashes).root.equals(batch.root)) return 'the rows no longer give the timestamped root';
    const routing = await deps.routing();
    try {
      const token = readToken(batch.token, (cms) => checkCms(cms, deps.suites).ok);
      if (!token.tsaCertificate.equals(Buffer.from(routing.conf.certificates.tsa, 'base64'))) return "the timestamp is not from the instance's TSA";
      if (!token.imprint.digest.equals(batch.root)) return 'the timestamp covers another root';
    } catch (err) {
      return `the timestamp token does not verify (${(err as Error).message})`;
    }
    return undefined;
  };

  return {
    timestamper,
    batchChecker,
    async caChainDer(): Promise<Buffer[]> {
      return (await deps.routing()).chain;
    },
    async tsaCertificateDer(): Promise<Buffer> {
      return Buffer.from((await deps.routing()).conf.certificates.tsa, 'base64');
    },
    /** A certificate in evidence: a member's from the configuration, or one of this node's own. */
    async certificateDer(serial: string): Promise<Buffer> {
      const fromConf = (await deps.routing()).certificateDer(serial);
      if (fromConf) return fromConf;
      throw new Error(`Certificate ${serial} is neither in the global configuration nor this node's.`);
    },
  };
}
