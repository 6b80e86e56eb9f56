// Audit anchoring: every few minutes the audit chain's head hash is timestamped by the TSA.
// The chain proves each row links to the one before it; the anchor proves the head at row N
// existed at time T. Together they prove that no row up to N changed since T: rewriting one
// would change every later hash, including the anchored one.
import type { Db } from '../../platform/db.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Authority } from './authority.ts';
import { checkCms } from './cms.ts';
import * as store from './store.ts';
import type { Suite, SuiteName } from './suites.ts';
import { issueToken, readToken } from './tsa.ts';

export type AnchorCheck =
  | { status: 'none' }
  | { status: 'ok'; seq: number; anchoredAt: Date }
  | { status: 'broken'; seq: number; reason: string };

export function createAnchors(deps: { db: Db; clock: Clock; authority: Authority; suites: Record<SuiteName, Suite>; auditHash: 'sha256' | 'sm3' }) {
  const { db, authority } = deps;

  return {
    /** Timestamps the current chain head unless it is already anchored; returns the anchored row. */
    async anchorNow(): Promise<number | undefined> {
      const head = await db.selectFrom('audit.chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
      const seq = Number(head.seq);
      if (seq === 0) return undefined;
      const latest = await store.latestAnchor(db);
      if (latest && latest.seq >= seq) return undefined;
      const signer = await authority.tsaSigner();
      const anchoredAt = deps.clock.now();
      const token = issueToken({ imprint: { hash: deps.auditHash, digest: Buffer.from(head.hash, 'hex') }, signer, genTime: anchoredAt });
      await store.insertAnchor(db, { seq, head_hash: head.hash, token, anchored_at: anchoredAt });
      return seq;
    },

    /** Checks the latest anchor: a valid token from our TSA over the hash the row at its seq still has. */
    async verifyLatest(): Promise<AnchorCheck> {
      const anchor = await store.latestAnchor(db);
      if (!anchor) return { status: 'none' };
      let genTime: Date;
      try {
        const token = readToken(anchor.token, (cms) => checkCms(cms, deps.suites).ok);
        const tsa = await authority.recognise(token.tsaCertificate);
        if (!tsa || tsa.profile !== 'tsa') return { status: 'broken', seq: anchor.seq, reason: "the anchor's timestamp was not issued by this platform's TSA" };
        if (!token.imprint.digest.equals(Buffer.from(anchor.head_hash, 'hex'))) return { status: 'broken', seq: anchor.seq, reason: 'the anchor record was changed: its timestamp covers another hash' };
        genTime = token.genTime;
      } catch (err) {
        return { status: 'broken', seq: anchor.seq, reason: `the anchor's timestamp does not verify (${(err as Error).message})` };
      }
      const row = await db.selectFrom('audit.events').select('hash').where('seq', '=', anchor.seq).executeTakeFirst();
      if (!row) return { status: 'broken', seq: anchor.seq, reason: `row ${anchor.seq}, which the anchor covers, is missing` };
      if (row.hash !== anchor.head_hash) return { status: 'broken', seq: anchor.seq, reason: `rows up to ${anchor.seq} were rewritten after ${genTime.toISOString()}: the hash at row ${anchor.seq} is not the one timestamped` };
      return { status: 'ok', seq: anchor.seq, anchoredAt: genTime };
    },
  };
}

export type Anchors = ReturnType<typeof createAnchors>;
