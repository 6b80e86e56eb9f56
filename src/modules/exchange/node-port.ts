// What the node port answers, to other nodes only: calls to services hosted here (/r1/…),
// and on the central node the global configuration, tailored to the asking node (it carries
// the backend addresses of the services that node hosts). A peer that does not present the
// authentication certificate of a node in the global configuration gets nothing else.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GlobalConfError, type SignedConf } from './global-conf.ts';
import { writeError } from './message/errors.ts';
import { serveForNode, type ProviderDeps } from './message/provider.ts';
import type { ConfIndex, NodeEntry } from './routing.ts';

export type NodePortDeps = ProviderDeps & {
  routing: () => Promise<ConfIndex>;
  /** The central node: the configuration signed for one node, and the TSA for member nodes' log batches. */
  signedConfFor?: (node: string) => Promise<SignedConf>;
  timestampRoot?: (rootHex: string) => Promise<Buffer>;
  onError: (err: unknown) => void;
};

export function nodePortHandler(deps: NodePortDeps) {
  return (req: IncomingMessage, res: ServerResponse, peerCertificate: Buffer | undefined) => {
    handle(req, res, peerCertificate, deps).catch((err: unknown) => {
      deps.onError(err);
      if (!res.headersSent) writeError(res, String(req.headers['x-road-id'] ?? ''), 'Server.ServerProxy.ServiceFailed', 'The node failed to handle the call; see its log.');
      else res.destroy();
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, peerCertificate: Buffer | undefined, deps: NodePortDeps): Promise<void> {
  let routing: ConfIndex;
  try {
    routing = await deps.routing();
  } catch (err) {
    if (err instanceof GlobalConfError) return writeError(res, '', 'Server.ClientProxy.OutdatedGlobalConf', err.message);
    throw err;
  }
  const peer: NodeEntry | undefined = peerCertificate && routing.nodeByCertificate(peerCertificate);
  if (!peer) {
    req.resume();
    return writeError(res, '', 'Server.ServerProxy.SslAuthenticationFailed', 'Present the authentication certificate of a node of this instance.');
  }
  if (req.url?.startsWith('/r1/')) return serveForNode(req, res, peer, routing, deps);
  if (req.method === 'GET' && req.url === '/exchange/v1/global-conf' && deps.signedConfFor) {
    return json(res, 200, await deps.signedConfFor(peer.name));
  }
  if (req.method === 'POST' && req.url === '/exchange/v1/timestamps' && deps.timestampRoot) {
    const body = await readSmallJson(req);
    const rootHex = typeof body?.rootHex === 'string' && /^[0-9a-f]{64}$/.test(body.rootHex) ? body.rootHex : undefined;
    if (!rootHex || body?.hash !== 'sha256') return json(res, 400, { message: 'Send {"hash":"sha256","rootHex":"<64 hex digits>"}.' });
    return json(res, 200, { tokenBase64: (await deps.timestampRoot(rootHex)).toString('base64') });
  }
  req.resume();
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message: `Nothing at ${req.method} ${req.url} on the node port.` }));
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A JSON body of at most 4 KiB, or undefined. */
async function readSmallJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 4096) return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
