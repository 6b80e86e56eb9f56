// The HTTPS port for client systems that prove who they are with a TLS client certificate
// (the second way for a client to authenticate to its node). It serves the same
// routes as the plain port; the certificate a client presents is left for the /r1 route to
// match against the subsystem's registered certificates, so TLS itself accepts any.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { App } from './server.ts';

export async function listenClientTls(app: App, identity: { keyPem: string; certPem: string }, port: number, host: string): Promise<https.Server & { port: number }> {
  const server = https.createServer({ key: identity.keyPem, cert: identity.certPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' }, (req, res) => app.routing(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
}
