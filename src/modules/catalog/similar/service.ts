// The rules of the check against duplicate construction. While a department drafts an entry,
// the editor asks for the catalog's entries most like it (preview); when the entry is created
// the server looks again at that moment, inside the creating transaction, and records what it
// found, which of those the editor had shown, whether the drafter confirmed the draft is not a
// duplicate, and their note. Highly similar entries of other departments must be confirmed,
// or nothing is written. Entries of the drafter's own department are shown and recorded but
// never block: revising its own entries instead is the department's own editorial choice.
import crypto from 'node:crypto';
import type { Actor, Operator } from '../../../platform/actor.ts';
import type { Executor } from '../../../platform/db.ts';
import { ConflictError, ForbiddenError } from '../../../platform/errors.ts';
import type { CatalogPartDeps } from '../parts.ts';
import * as policy from '../policy.ts';
import type { CreateRequest } from '../service.ts';
import type { EntryRow } from '../store.ts';
import { createFinder } from './find.ts';
import { HIGH_SIMILARITY, type NamedInput } from './score.ts';
import * as store from './store.ts';

export const DEFAULT_LIMIT = 5;
export const MAX_LIMIT = 20;

type Provider = { id: string; nameZh: string; nameEn: string };

export function createSimilarService(deps: CatalogPartDeps) {
  // The published entries in this process's memory, caught up before each lookup (find.ts).
  const finder = createFinder(deps.db);
  const find = finder.find;

  async function providers(ids: Iterable<string>): Promise<Map<string, Provider>> {
    const found = await Promise.all([...new Set(ids)].map((id) => deps.findOrganization(id)));
    return new Map(found.filter((o) => o !== undefined).map((o) => [o.id, { id: o.id, nameZh: o.nameZh, nameEn: o.nameEn }]));
  }

  const present = (shown: store.ShownEntry[], names: Map<string, Provider>) =>
    shown.map(({ providerOrgId, ...s }) => ({ ...s, provider: names.get(providerOrgId) ?? { id: providerOrgId, nameZh: providerOrgId, nameEn: providerOrgId } }));

  /** The request's own words about the check, as the route validated their types. */
  function requestFields(request: CreateRequest) {
    const seen = Array.isArray(request.similarSeen) ? request.similarSeen.filter((s): s is string => typeof s === 'string') : [];
    const note = typeof request.similarNote === 'string' ? request.similarNote.trim() : '';
    return { seen: [...new Set(seen)], acknowledged: request.similarAcknowledged === true, note };
  }

  /** `unseen`: the drafter confirmed, but not these (found after the editor last looked). */
  function unacknowledged(entries: store.ShownEntry[], unseen: boolean): ConflictError {
    const list = (zh: boolean) => entries.map((e) => `${e.code} ${zh ? e.nameZh : e.nameEn || e.nameZh} (${Math.round(e.score * 100)}%)`).join(zh ? '；' : '; ');
    const message = unseen
      ? `Other departments' entries very like this one were not among those you were shown (they may be new): ${list(false)}. Check them, and if your resource is not the same, confirm it again with them listed in similarSeen (the editor shows them now).`
      : `Other departments already catalogue entries very like this one: ${list(false)}. Open them and check that your resource is not the same. If it is not, confirm it (similarAcknowledged, with their ids in similarSeen; the editor's checkbox does this), and say why in similarNote if you like; if it is, ask for that resource instead of cataloguing it again.`;
    const messageZh = unseen
      ? `其他部门的高度相似目录未在您查看的列表中（可能是新发布的）：${list(true)}。请核对；如确认并非同一资源，请将其列入 similarSeen 后再次确认（编辑页现已列出）。`
      : `其他部门已编目与此高度相似的资源：${list(true)}。请打开核对是否为同一资源。如不是，请确认（similarAcknowledged，并在 similarSeen 中列出其标识；编辑页的复选框即为此），可在 similarNote 中说明理由；如是，请申请共享该资源，不要重复编目。`;
    return new ConflictError('similar_entries_unacknowledged', message, messageZh, [
      { field: 'similarAcknowledged', code: 'required', message: `must confirm that ${entries.map((e) => e.code).join(', ')} ${entries.length === 1 ? 'is' : 'are'} not the same resource`, messageZh: `请确认 ${entries.map((e) => e.code).join('、')} 与本资源并非同一资源` },
    ]);
  }

  return {
    /** While drafting: the entries most like the draft's names and items, with their providers. */
    async preview(actor: Actor, draft: NamedInput & { limit?: number }) {
      policy.assertMayDraft(actor, actor.orgId);
      const limit = Math.min(Math.max(draft.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
      const shown = await find(deps.db, actor.orgId, draft, limit, null);
      return { threshold: HIGH_SIMILARITY, items: present(shown, await providers(shown.map((s) => s.providerOrgId))) };
    },

    /**
     * Run in the creating transaction (so only `trx` is used): finds the similar entries now,
     * refuses unconfirmed highly similar ones of other departments, and records the check.
     */
    async checkCreated(trx: Executor, op: Operator, entry: EntryRow, request: CreateRequest): Promise<void> {
      const { seen, acknowledged, note } = requestFields(request);
      const shown = await find(trx, entry.provider_org_id, entry.metadata, DEFAULT_LIMIT, entry.id);
      const pending = shown.filter((s) => s.high && !(acknowledged && seen.includes(s.id)));
      if (pending.length > 0) throw unacknowledged(pending, acknowledged);
      const check: store.CheckRow = {
        id: crypto.randomUUID(),
        entry_id: entry.id,
        checked_at: deps.clock.now(),
        actor_id: op.auditAs.id,
        actor_name: op.auditAs.name,
        actor_org_id: op.auditAs.orgId,
        shown,
        seen,
        acknowledged,
        note,
        threshold: HIGH_SIMILARITY,
      };
      await store.insertCheck(trx, check);
      await deps.audit.record(trx, {
        actor: op.auditAs,
        action: 'catalog.entry.similar_seen',
        subjectType: 'catalog_entry',
        subjectId: entry.code,
        outcome: 'success',
        detail: { id: entry.id, check: check.id, shown: shown.map((s) => ({ code: s.code, score: s.score, high: s.high })), seen: seen.length, acknowledged, note },
        ip: op.ip,
        requestId: op.requestId,
      });
    },

    /** The checks of an entry, newest first: for its department and the data bureau. */
    async checks(actor: Actor, entryId: string) {
      const entry = await deps.entries.get(actor, entryId);
      const { reviewerOrgId } = await deps.entries.settings();
      if (!policy.mayReadUnpublished(actor, entry.provider.id, reviewerOrgId))
        throw new ForbiddenError('Only the providing department and the data bureau see what its drafter was shown of similar entries.', '仅资源提供部门和数据主管部门可查看编目时的相似资源核查记录。');
      const rows = await store.listChecks(deps.db, entry.id);
      const names = await providers(rows.flatMap((r) => r.shown.map((s) => s.providerOrgId)));
      return {
        entryId: entry.id,
        code: entry.code,
        checks: rows.map((r) => ({
          id: r.id,
          checkedAt: r.checked_at.toISOString(),
          actorName: r.actor_name,
          acknowledged: r.acknowledged,
          note: r.note,
          threshold: r.threshold,
          seen: r.seen,
          shown: present(r.shown, names).map((s) => ({ ...s, seen: r.seen.includes(s.id) })),
        })),
      };
    },
  };
}

export type SimilarService = ReturnType<typeof createSimilarService>;
