// The crossing policy between network zones: which calls may cross the ferry between the
// internal (office) network and the external (business) network, by service and data
// classification, and in which direction. The central operator keeps the rules; the global
// configuration carries them, so both sides of a ferry check the same policy (the exporting
// node before it writes, the importing node before it delivers). No rule, no crossing.
import type { Audit } from '../../platform/audit.ts';
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { Operator } from '../../platform/actor.ts';
import { ConflictError, invalidField, NotFoundError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { CrossingRule } from './global-conf.ts';
import * as policy from './policy.ts';
import { EXCHANGE_TOPIC } from './registry.ts';
import type { Classification } from './schema.ts';

type Zone = 'internal' | 'external' | 'public';
export type CrossingRuleView = { id: string; fromZone: Zone; toZone: Zone; servicePattern: string; classifications: Classification[]; createdByName: string; createdAt: string };

type Row = { id: string; from_zone: Zone; to_zone: Zone; service_pattern: string; classifications: Classification[]; created_by_name: string; created_at: Date; revoked_by_name: string | null; revoked_at: Date | null };

const present = (r: Row): CrossingRuleView => ({ id: r.id, fromZone: r.from_zone, toZone: r.to_zone, servicePattern: r.service_pattern, classifications: r.classifications, createdByName: r.created_by_name, createdAt: r.created_at.toISOString() });

/** An identifier, a prefix ending in `*`, or `*` for every service. */
export const servicePatternMatches = (pattern: string, service: string) => (pattern.endsWith('*') ? service.startsWith(pattern.slice(0, -1)) : pattern === service);

/** Whether a call to `service` (of `classification`) may cross from `fromZone` to `toZone`. */
export function mayCross(rules: CrossingRule[], fromZone: string, toZone: string, service: string, classification: string): boolean {
  if (fromZone === toZone) return true;
  return rules.some((r) => r.fromZone === fromZone && r.toZone === toZone && servicePatternMatches(r.service, service) && r.classifications.includes(classification));
}

export function createCrossingRules(deps: { db: Db; audit: Audit; clock: Clock; changes: ChangeFeed }) {
  const { db } = deps;
  // The role is checked before anything else, so a wrong role learns nothing about the rules.
  const assertMayKeepRules = (op: Operator) => {
    if (op.actor) policy.assertMayDecideNodes(op.actor);
  };
  async function write(op: Operator, action: string, id: string, detail: Record<string, unknown>, work: (trx: Db) => Promise<void>) {
    await db.transaction().execute(async (trx) => {
      await work(trx as unknown as Db);
      await deps.audit.record(trx, { actor: op.auditAs, action, subjectType: 'crossing_rule', subjectId: id, outcome: 'success', detail, ip: op.ip, requestId: op.requestId });
      await deps.changes.notify(trx, EXCHANGE_TOPIC);
    });
    deps.changes.local(EXCHANGE_TOPIC);
  }

  return {
    async list(): Promise<CrossingRuleView[]> {
      return ((await db.selectFrom('exchange.crossing_rules').selectAll().where('revoked_at', 'is', null).orderBy('created_at').execute()) as Row[]).map(present);
    },

    /** What the global configuration publishes. */
    async snapshot(): Promise<CrossingRule[]> {
      return (await this.list()).map((r) => ({ fromZone: r.fromZone, toZone: r.toZone, service: r.servicePattern, classifications: r.classifications }));
    },

    async add(op: Operator, input: { fromZone: Zone; toZone: Zone; servicePattern: string; classifications: Classification[] }): Promise<CrossingRuleView> {
      assertMayKeepRules(op);
      if (input.fromZone === input.toZone) throw invalidField('toZone', 'same_zone', 'must differ from fromZone: within a zone nothing crosses', '须与来源区域不同：同一区域内无须摆渡');
      if (input.classifications.length === 0) throw invalidField('classifications', 'required', 'must name at least one classification', '至少须列出一种数据分级');
      const row: Row = { id: newId(), from_zone: input.fromZone, to_zone: input.toZone, service_pattern: input.servicePattern, classifications: [...new Set(input.classifications)], created_by_name: op.actor?.displayName ?? op.auditAs.name, created_at: deps.clock.now(), revoked_by_name: null, revoked_at: null };
      await write(op, 'exchange.crossing.add', row.id, { fromZone: row.from_zone, toZone: row.to_zone, servicePattern: row.service_pattern, classifications: row.classifications }, async (trx) => {
        const same = await trx.selectFrom('exchange.crossing_rules').select('id').where('revoked_at', 'is', null).where('from_zone', '=', row.from_zone).where('to_zone', '=', row.to_zone).where('service_pattern', '=', row.service_pattern).executeTakeFirst();
        if (same) throw new ConflictError('rule_exists', 'A rule for these zones and services exists; revoke it first to change it.', '已有相同区域与服务的规则，请先撤销再修改。');
        await trx.insertInto('exchange.crossing_rules').values({ ...row, classifications: JSON.stringify(row.classifications) }).execute();
      });
      return present(row);
    },

    async revoke(op: Operator, id: string): Promise<void> {
      assertMayKeepRules(op);
      const row = await db.selectFrom('exchange.crossing_rules').select('id').where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      if (!row) throw new NotFoundError('crossing rule', id, '摆渡规则');
      await write(op, 'exchange.crossing.revoke', id, {}, async (trx) => {
        await trx.updateTable('exchange.crossing_rules').set({ revoked_at: deps.clock.now(), revoked_by_name: op.actor?.displayName ?? op.auditAs.name }).where('id', '=', id).execute();
      });
    },
  };
}

export type CrossingRules = ReturnType<typeof createCrossingRules>;
