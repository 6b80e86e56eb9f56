// Node-to-node HTTP over mutual TLS. Each node presents its authentication certificate, and
// each side accepts the other only when the certificate it presented is exactly the one the
// global configuration lists for that node (pinning: the configuration is signed by the
// central node, so it decides who is a node). The client side checks the server before a
// single byte of the request is written; the server side names its peer to the handler.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { NodeIdentity, TlsIdentity } from '../node-identity.ts';
import { fingerprintOf, type NodeEntry } from '../routing.ts';

export class NodeConnectionError extends Error {}

/** An agent whose connections are handed out only after the server proved it is `node`. */
class PinnedAgent extends https.Agent {
  private readonly node: NodeEntry;
  constructor(node: NodeEntry, identity: TlsIdentity) {
    super({ keepAlive: true, maxFreeSockets: 256, key: identity.keyPem, cert: identity.certPem, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
    this.node = node;
  }
  // @ts-expect-error: Node's Agent accepts a connection handed over later through the callback.
  override createConnection(options: tls.ConnectionOptions, oncreate: (err: Error | null, socket?: tls.TLSSocket) => void): undefined {
    const socket = tls.connect({ ...options, servername: undefined, checkServerIdentity: () => undefined });
    // Small writes (a trailer after the body) must not wait for Nagle's algorithm.
    socket.setNoDelay(true);
    const fail = (err: Error) => {
      socket.destroy();
      oncreate(err);
    };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      socket.off('error', fail);
      const presented = socket.getPeerCertificate(true)?.raw;
      if (!presented || fingerprintOf(presented) !== this.node.fingerprint) {
        return fail(new NodeConnectionError(`The server at ${this.node.url} did not present node ${this.node.name}'s authentication certificate.`));
      }
      oncreate(null, socket);
    });
    return undefined;
  }
}

export type NodeRequest = { method: string; path: string; headers: Record<string, string>; timeoutMs: number };

export function createNodeTransport(deps: { identity: NodeIdentity }) {
  const agents = new Map<string, PinnedAgent>();

  async function agentFor(node: NodeEntry): Promise<PinnedAgent> {
    const identity = await deps.identity.tlsIdentity();
    if (!identity) throw new NodeConnectionError('This node has no authentication certificate yet: its registration has not been approved.');
    // A new certificate on either side is a new agent; the old one's idle sockets close.
    const key = `${node.name} ${node.fingerprint} ${identity.serial}`;
    let agent = agents.get(key);
    if (!agent) {
      for (const [k, old] of agents) if (k.startsWith(`${node.name} `)) (old.destroy(), agents.delete(k));
      agent = new PinnedAgent(node, identity);
      agents.set(key, agent);
    }
    return agent;
  }

  return {
    /** A request to another node; the caller writes the body and listens for the response. */
    async request(node: NodeEntry, request: NodeRequest): Promise<http.ClientRequest> {
      const url = new URL(request.path, node.url);
      const outbound = https.request(url, { method: request.method, headers: request.headers, agent: (await agentFor(node)) as unknown as https.Agent });
      outbound.setTimeout(request.timeoutMs);
      return outbound;
    },

    /** A GET whose whole (small) answer is wanted, e.g. the global configuration. */
    async get(node: NodeEntry, path: string, timeoutMs = 10_000): Promise<{ status: number; body: Buffer }> {
      const outbound = await this.request(node, { method: 'GET', path, headers: {}, timeoutMs });
      return new Promise((resolve, reject) => {
        outbound.on('timeout', () => outbound.destroy(new NodeConnectionError(`${node.name} did not answer within ${timeoutMs} ms.`)));
        outbound.on('error', reject);
        outbound.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        });
        outbound.end();
      });
    },

    /**
     * The node port: mutual TLS with this node's certificate; `handler` gets each request with
     * the DER of the certificate the peer presented (the handler decides who that is).
     */
    async listen(port: number, host: string, handler: (req: http.IncomingMessage, res: http.ServerResponse, peerCertificate: Buffer | undefined) => void): Promise<https.Server & { port: number }> {
      const identity = await deps.identity.tlsIdentity();
      if (!identity) throw new NodeConnectionError('This node has no authentication certificate yet: its registration has not been approved.');
      // The peer's certificate is read once per connection: getPeerCertificate builds objects.
      const peers = new WeakMap<tls.TLSSocket, Buffer | undefined>();
      const server = https.createServer({ key: identity.keyPem, cert: identity.certPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.3', keepAliveTimeout: 60_000, noDelay: true }, (req, res) => {
        const socket = req.socket as tls.TLSSocket;
        if (!peers.has(socket)) {
          const raw = socket.getPeerCertificate(true)?.raw;
          peers.set(socket, raw ? Buffer.from(raw) : undefined);
        }
        handler(req, res, peers.get(socket));
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      return Object.assign(server, { port: (server.address() as AddressInfo).port });
    },

    close(): void {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  };
}

export type NodeTransport = ReturnType<typeof createNodeTransport>;
