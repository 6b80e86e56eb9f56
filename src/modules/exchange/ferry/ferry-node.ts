// A node's side of its ferry, by role. An isolated member node (one with a ferry and an
// anchor) reaches the instance only across it: its registration goes across and its answer
// comes back; its global configuration and its message-log timestamps come across too. The
// central node, on the other side, answers those, and sends its peer a fresh configuration
// whenever it changes (and at least every half validity, so the copy never expires while the
// devices run). Service calls cross in both directions (ferry-calls.ts).
import crypto from 'node:crypto';
import { DEFAULT_CONF_VALIDITY_MS, type GlobalConfClient, type SignedConf } from '../global-conf.ts';
import type { BatchTimestamper } from '../message-log.ts';
import type { Enrolment, EnrolmentChannel } from '../node-join.ts';
import type { RegistrationStatus, RegistrationSubmit } from '../node-schema.ts';
import type { Nodes } from '../nodes.ts';
import { buildTree } from '../../trust/index.ts';
import { receiveAnswer, serveFromFerry, type FerryCallDeps } from './ferry-calls.ts';
import type { Ferry } from './ferry.ts';

const TIMESTAMP_WAIT_MS = 120_000;

/** Wires the handlers every ferry node has: calls in both directions. */
export function handleCalls(ferry: Ferry, deps: FerryCallDeps): void {
  ferry.on('request', serveFromFerry(deps));
  ferry.on('response', receiveAnswer(deps));
}

/** The central node's side: registrations, configuration and timestamps for its peer. */
export function serveIsolatedPeer(ferry: Ferry, deps: { nodes: Nodes; signedConfFor: (node: string | undefined) => Promise<SignedConf>; peerIsCertified: () => Promise<boolean>; timestampRoot: (rootHex: string) => Promise<Buffer> }) {
  ferry.on('registration', async ({ meta }) => {
    const status = await deps.nodes.submit(meta.registration as RegistrationSubmit, `ferry:${ferry.settings.peer}`);
    await ferry.send('registration-status', { status });
  });
  deps.nodes.onDecision((status) => {
    if (status.name === ferry.settings.peer) void ferry.send('registration-status', { status });
  });
  ferry.on('timestamp-request', async ({ meta }) => {
    const token = await deps.timestampRoot(String(meta.rootHex));
    await ferry.send('timestamp-response', { requestId: meta.requestId, tokenBase64: token.toString('base64') });
  });

  let last: { content: string; at: number } | undefined;
  return {
    /** Sends the peer its configuration when it changed, or when the last one is half-way to expiry. */
    async exportConf(now: number): Promise<boolean> {
      const certified = await deps.peerIsCertified();
      const signed = await deps.signedConfFor(certified ? ferry.settings.peer : undefined);
      const conf = JSON.parse(Buffer.from(signed.contentBase64, 'base64').toString('utf8'));
      const content = JSON.stringify({ ...conf, generatedAt: undefined, expiresAt: undefined });
      if (last && last.content === content && now - last.at < DEFAULT_CONF_VALIDITY_MS / 2) return false;
      await ferry.send('conf', { signedConf: signed });
      last = { content, at: now };
      return true;
    },
  };
}

/** An isolated member node's side: what it would otherwise fetch from the central node. */
export function joinAcross(ferry: Ferry, deps: { globalConf: GlobalConfClient; enrolment: () => Enrolment | undefined; onCertified: () => void }) {
  ferry.on('conf', async ({ meta }) => {
    await deps.globalConf.accept(meta.signedConf as SignedConf);
  });
  ferry.on('registration-status', async ({ meta }) => {
    const state = await deps.enrolment()?.accept(meta.status as RegistrationStatus);
    if (state?.state === 'certified') deps.onCertified();
  });
  ferry.on('timestamp-response', async ({ meta, body }) => {
    body.resume();
    ferry.answer(String(meta.requestId), { meta, body, hash: '', bytes: 0 });
  });

  const channel: EnrolmentChannel = {
    async submit(registration) {
      await ferry.send('registration', { registration });
      return undefined;
    },
    poll: async () => undefined,
  };

  /** Log batches timestamped by the central TSA: the root goes across, the token comes back. */
  const timestamper: BatchTimestamper = async (hashes) => {
    const { root } = buildTree('sha256', hashes);
    const requestId = crypto.randomUUID();
    const answer = ferry.awaitAnswer(requestId, TIMESTAMP_WAIT_MS);
    await ferry.send('timestamp-request', { requestId, hash: 'sha256', rootHex: root.toString('hex') });
    const { meta } = await answer;
    return { hash: 'sha256', root, token: Buffer.from(String(meta.tokenBase64), 'base64') };
  };
  return { channel, timestamper };
}
