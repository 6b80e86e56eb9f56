// The zone ferry: this node's channel to a node it has no network path to, through two
// one-way transfer devices that carry files (a directory each way). Outbound messages are
// written as signed, encrypted bundles (bundle.ts); inbound bundles are checked (addressed to
// us, from our peer, fresh, signed by the peer's authentication key, intact), recorded by id
// before anything is done with them, and then handled by kind. A bundle already recorded is
// a replay and is refused; one recorded but not finished (the node stopped) is resumed.
// Both sides audit every crossing: each export, import and refusal is an audit row.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { SYSTEM_ACTOR, type Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import type { FerrySettings } from '../../../config.ts';
import { readCertificate } from '../../trust/index.ts';
import type { NodeIdentity } from '../node-identity.ts';
import type { ConfIndex, NodeEntry } from '../routing.ts';
import { BUNDLE_SUFFIX, BundleError, openBundle, readFooter, verifyBundle, writeBundle, type BundleKind, type Footer } from './bundle.ts';

/** A bundle older than this is refused even if its id is unknown (the inbox forgets eventually). */
const MAX_AGE_MS = 7 * 86_400_000;
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Bundles a node may receive before it can check signatures: their contents carry their own proof. */
const UNSIGNED_KINDS: BundleKind[] = ['registration', 'registration-status', 'conf'];

export type InboxRow = { id: string; peer: string; seq: number; kind: BundleKind; x_road_id: string | null; file: string; state: 'received' | 'delivering' | 'done' | 'rejected'; detail: string | null; received_at: Date; done_at: Date | null };

/** An answer that came back across: its metadata, and its body (read once) with the body's SHA-256 and size. */
export type FerryAnswer = { meta: Record<string, unknown>; body: Readable; hash: string; bytes: number };

/** Handles one imported bundle; `resumed` when the node stopped while handling it before. */
export type BundleHandler = (bundle: { row: InboxRow; footer: Footer; meta: Record<string, unknown>; body: Readable; resumed: boolean }) => Promise<void>;

export type FerryDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  self: string;
  settings: FerrySettings;
  identity: NodeIdentity;
  /** The configuration, when this node has one (a member node may not, before it joins). */
  routing: () => Promise<ConfIndex | undefined>;
  onError: (err: unknown, file: string) => void;
};

export function createFerry(deps: FerryDeps) {
  const { db, settings } = deps;
  const handlers = new Map<BundleKind, BundleHandler>();
  const waiters = new Map<string, { resolve: (value: FerryAnswer) => void; reject: (err: Error) => void }>();
  const rejectedDir = path.join(settings.inDir, 'rejected');
  let importing: Promise<number> | undefined;

  const audit = (action: string, subjectId: string, outcome: 'success' | 'failure', detail: Record<string, unknown>) =>
    db.transaction().execute((trx) => deps.audit.record(trx, { actor: SYSTEM_ACTOR, action, subjectType: 'ferry_bundle', subjectId, outcome, detail: { peer: settings.peer, ...detail } }));

  async function peerNode(): Promise<NodeEntry | undefined> {
    return (await deps.routing())?.findNode(settings.peer);
  }

  /** This node's authentication key: it opens what was encrypted for us (even before our certificate came, in the same bundle). */
  async function decryptionKey(): Promise<crypto.KeyObject | undefined> {
    const key = await deps.identity.keyPair('auth').catch(() => undefined);
    return key?.secret.kind === 'node' ? key.secret.key : undefined;
  }

  /** …and signs what we send, once certified (before that, no one could check the signature). */
  async function signingKey(): Promise<crypto.KeyObject | undefined> {
    return (await deps.identity.certificate('auth')) ? decryptionKey() : undefined;
  }

  async function nextSeq(): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('exchange.ferry_outbox').select('next_seq').where('peer', '=', settings.peer).forUpdate().executeTakeFirst();
      const seq = row ? Number(row.next_seq) : 1;
      if (row) await trx.updateTable('exchange.ferry_outbox').set({ next_seq: seq + 1 }).where('peer', '=', settings.peer).execute();
      else await trx.insertInto('exchange.ferry_outbox').values({ peer: settings.peer, next_seq: seq + 1 }).execute();
      return seq;
    });
  }

  /** Moves a refused bundle aside for the operator, with the reason beside it, and audits it. */
  async function refuse(name: string, footer: Footer | undefined, reason: string): Promise<void> {
    fs.mkdirSync(rejectedDir, { recursive: true });
    fs.renameSync(path.join(settings.inDir, name), path.join(rejectedDir, name));
    fs.writeFileSync(path.join(rejectedDir, `${name}.reason.txt`), `${reason}\n`);
    await audit('exchange.ferry.reject', footer?.id ?? name, 'failure', { file: name, kind: footer?.kind ?? null, reason });
  }

  async function finish(row: InboxRow, state: 'done' | 'rejected', detail: string | null): Promise<void> {
    await db.updateTable('exchange.ferry_inbox').set({ state, detail, done_at: deps.clock.now() }).where('id', '=', row.id).execute();
    fs.rmSync(path.join(settings.inDir, row.file), { force: true });
  }

  async function handle(row: InboxRow, footer: Footer, resumed: boolean): Promise<void> {
    const handler = handlers.get(footer.kind);
    if (!handler) return finish(row, 'rejected', `this node does not take ${footer.kind} bundles`);
    const { meta, body } = await openBundle(path.join(settings.inDir, row.file), footer, await decryptionKey());
    await handler({ row, footer, meta, body, resumed });
    await finish(row, 'done', null);
  }

  async function importOne(name: string): Promise<void> {
    const file = path.join(settings.inDir, name);
    let footer: Footer;
    try {
      footer = readFooter(file);
    } catch (err) {
      if (err instanceof BundleError) return refuse(name, undefined, `unreadable bundle: ${err.message}`);
      throw err;
    }
    const existing = (await db.selectFrom('exchange.ferry_inbox').selectAll().where('id', '=', footer.id).executeTakeFirst()) as InboxRow | undefined;
    if (existing) {
      if (existing.state === 'received' || existing.state === 'delivering') return handle(existing, footer, true);
      return refuse(name, footer, `replayed: bundle ${footer.id} was already imported at ${existing.received_at.toISOString()}`);
    }
    const now = deps.clock.now().getTime();
    const created = Date.parse(footer.createdAt);
    let problem: string | undefined;
    if (footer.to !== deps.self) problem = `addressed to ${footer.to}, not to this node (${deps.self})`;
    else if (footer.from !== settings.peer) problem = `from ${footer.from}, not from this node's ferry peer ${settings.peer}`;
    else if (!(created > now - MAX_AGE_MS)) problem = `made at ${footer.createdAt}, more than 7 days ago: a replay?`;
    else if (created > now + MAX_CLOCK_SKEW_MS) problem = `made at ${footer.createdAt}, in the future`;
    if (problem) return refuse(name, footer, problem);
    const peer = await peerNode();
    const mustSign = !UNSIGNED_KINDS.includes(footer.kind);
    if (mustSign && (!peer || !footer.signed || !footer.encryption)) return refuse(name, footer, `a ${footer.kind} bundle must come signed and encrypted from a node of the configuration`);
    try {
      const peerKey = peer && footer.signed ? crypto.createPublicKey({ key: readCertificate(peer.certificateDer).publicKeySpki, format: 'der', type: 'spki' }) : undefined;
      await verifyBundle(file, peerKey);
    } catch (err) {
      if (err instanceof BundleError) return refuse(name, footer, err.message);
      throw err;
    }
    const row: InboxRow = { id: footer.id, peer: footer.from, seq: footer.seq, kind: footer.kind, x_road_id: null, file: name, state: 'received', detail: null, received_at: deps.clock.now(), done_at: null };
    // Recorded, with its audit row, before anything is done: a crash from here on resumes.
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('exchange.ferry_inbox').values(row).execute();
      await deps.audit.record(trx, { actor: SYSTEM_ACTOR, action: 'exchange.ferry.import', subjectType: 'ferry_bundle', subjectId: footer.id, outcome: 'success', detail: { peer: footer.from, kind: footer.kind, seq: footer.seq, bytes: footer.payloadBytes } });
    });
    return handle(row, footer, false);
  }

  return {
    settings,
    on(kind: BundleKind, handler: BundleHandler) {
      handlers.set(kind, handler);
    },

    /** Sends one bundle across; encrypted and signed once both sides are certified nodes. Returns its id. */
    async send(kind: BundleKind, meta: Record<string, unknown>, body?: Readable, options: { id?: string } = {}): Promise<string> {
      const peer = await peerNode();
      const signerKey = await signingKey();
      const mustSign = !UNSIGNED_KINDS.includes(kind);
      if (mustSign && (!peer || !signerKey)) throw new Error(`A ${kind} bundle needs both nodes certified and in the configuration; ${!signerKey ? 'this node has no certificate yet' : `${settings.peer} is not in the configuration`}.`);
      const id = options.id ?? crypto.randomUUID();
      fs.mkdirSync(settings.outDir, { recursive: true });
      const name = await writeBundle({
        dir: settings.outDir,
        id,
        seq: await nextSeq(),
        from: deps.self,
        to: settings.peer,
        kind,
        createdAt: deps.clock.now(),
        meta,
        body,
        recipientKey: peer && signerKey ? readCertificate(peer.certificateDer).publicKeySpki : undefined,
        signerKey,
      });
      await audit('exchange.ferry.export', id, 'success', { kind, file: name, xRoadId: (meta.xRoadId as string | undefined) ?? null });
      return id;
    },

    /** Waits for the answer that names `key` (an X-Road-Id, a request id). */
    awaitAnswer(key: string, timeoutMs: number): Promise<FerryAnswer> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(key);
          reject(new Error(`No answer came back across the ferry within ${Math.round(timeoutMs / 1000)} s.`));
        }, timeoutMs);
        timer.unref();
        waiters.set(key, {
          resolve: (value) => {
            clearTimeout(timer);
            waiters.delete(key);
            resolve(value);
          },
          reject,
        });
      });
    },

    /** Hands an imported answer to whoever waits for it; false when no one does any more. */
    answer(key: string, value: FerryAnswer): boolean {
      const waiter = waiters.get(key);
      if (!waiter) return false;
      waiter.resolve(value);
      return true;
    },

    /** Takes in every bundle waiting in the inbound directory, oldest first; returns how many. */
    importNow(): Promise<number> {
      // One import at a time; a call while one runs shares it.
      importing ??= (async () => {
        let count = 0;
        const names = fs.existsSync(settings.inDir) ? fs.readdirSync(settings.inDir).filter((n) => n.endsWith(BUNDLE_SUFFIX)).sort() : [];
        for (const name of names) {
          try {
            await importOne(name);
            count += 1;
          } catch (err) {
            deps.onError(err, name);
          }
        }
        return count;
      })().finally(() => {
        importing = undefined;
      });
      return importing;
    },

    /** For node status: bundles written and not yet carried across, and imports not finished. */
    async backlog(): Promise<{ outbound: number; inbound: number; unfinished: number; rejected: number }> {
      const count = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith(BUNDLE_SUFFIX)).length : 0);
      const open = await db.selectFrom('exchange.ferry_inbox').select((eb) => eb.fn.countAll<string>().as('n')).where('state', 'in', ['received', 'delivering']).executeTakeFirstOrThrow();
      return { outbound: count(settings.outDir), inbound: count(settings.inDir), unfinished: Number(open.n), rejected: count(rejectedDir) };
    },

    /** Marks an inbox row as being delivered (a call handed to its backend), durably, before it is. */
    async markDelivering(row: InboxRow, xRoadId: string): Promise<void> {
      await db.updateTable('exchange.ferry_inbox').set({ state: 'delivering', x_road_id: xRoadId }).where('id', '=', row.id).execute();
    },
  };
}

export type Ferry = ReturnType<typeof createFerry>;
