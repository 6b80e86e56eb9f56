// The rules of open data. Only an entry whose published version is open to the public has
// open data, and only its provider publishes releases of it. A release is checked whole
// before anything is written (release-file.ts) and written in one transaction with its
// audit record. The public reads the published metadata, the licence, the update history
// (data releases and metadata versions), the rows through a paged API, and the whole table
// as CSV or JSON, of the newest release or any earlier one.
import crypto from 'node:crypto';
import type { Operator } from '../../../platform/actor.ts';
import { csvField, spreadsheetSafe } from '../../../platform/csv.ts';
import { ConflictError, NotFoundError, invalidField } from '../../../platform/errors.ts';
import { THEME_ITEMS, themeItemsOf } from '../classification.ts';
import { findOpenEntry, type OpenEntry } from '../interop/open-entries.ts';
import { licenceOf } from '../interop/vocabularies.ts';
import type { CatalogPartDeps } from '../parts.ts';
import * as policy from '../policy.ts';
import { parseSearchParams, type SearchService } from '../search/index.ts';
import { findEntry, listVersions } from '../store.ts';
import { cellText, type Cell } from './cells.ts';
import { columnsOf, readReleaseFile, type ReleaseColumn } from './release-file.ts';
import * as store from './store.ts';

export const MAX_NOTE_CHARS = 500;
export const DEFAULT_ROWS_LIMIT = 100;
export const MAX_ROWS_LIMIT = 1000;

export type ReleaseView = { release: number; entryVersion: number; columns: ReleaseColumn[]; rowCount: number; byteSize: number; sha256: string; note: string; publishedAt: string; publishedBy: string };
export type HistoryItem = { kind: 'data'; release: number; at: string; rowCount: number; note: string } | { kind: 'metadata'; version: number; at: string; note: string };

const releaseView = (r: store.ReleaseRow): ReleaseView => ({
  release: r.release,
  entryVersion: r.entry_version,
  columns: r.columns,
  rowCount: r.row_count,
  byteSize: r.byte_size,
  sha256: r.sha256,
  note: r.note,
  publishedAt: r.published_at.toISOString(),
  publishedBy: r.published_by,
});

const summaryOf = (r: store.ReleaseRow) => ({ release: r.release, rowCount: r.row_count, publishedAt: r.published_at.toISOString() });

const notOpen = (id: string) => new NotFoundError('open dataset', id, '开放数据集');

export type OpenDataDeps = CatalogPartDeps & { search: Pick<SearchService, 'search'> };

export function createOpenDataService(deps: OpenDataDeps) {
  const { db } = deps;
  const baseUrl = deps.publicBaseUrl.replace(/\/+$/, '');

  async function openEntry(idOrName: string): Promise<OpenEntry> {
    const entry = await findOpenEntry(db, idOrName);
    if (!entry) throw notOpen(idOrName);
    return entry;
  }

  async function providerOf(orgId: string) {
    const org = await deps.findOrganization(orgId);
    return { id: orgId, nameZh: org?.nameZh ?? orgId, nameEn: org?.nameEn ?? orgId };
  }

  /** The release asked for (a number from the query, or the newest); undefined when none is published yet. */
  async function releaseOf(entry: OpenEntry, release: number | undefined): Promise<store.ReleaseRow | undefined> {
    const row = await store.findRelease(db, entry.id, release);
    if (release !== undefined && !row) throw new NotFoundError('release', `${entry.code} #${release}`, '数据发布版本');
    return row;
  }

  function links(entry: OpenEntry) {
    const page = `${baseUrl}/open/datasets/${entry.id}`;
    return {
      page,
      csv: `${page}/download.csv`,
      json: `${page}/download.json`,
      api: `${baseUrl}/open/api/datasets/${entry.id}/rows`,
      dcatTurtle: `${baseUrl}/dataset/${entry.id}.ttl`,
      dcatJsonLd: `${baseUrl}/dataset/${entry.id}.jsonld`,
      ckan: `${baseUrl}/api/3/action/package_show?id=${entry.name}`,
    };
  }

  return {
    /**
     * Publishes a CSV file as the entry's next release. Refused, with nothing written, when the
     * entry is not published and open, the writer is not its provider, or a cell is wrong.
     */
    async publish(op: Operator, entryId: string, file: Uint8Array, noteInput: string | undefined): Promise<ReleaseView> {
      const note = (noteInput ?? '').trim();
      if (note === '') throw invalidField('note', 'required', 'is required: say what this release holds or changes (e.g. "figures for 2026")', '必填：请说明本次发布的内容或变化（如“2026 年数据”）');
      if ([...note].length > MAX_NOTE_CHARS) throw invalidField('note', 'length', `must be at most ${MAX_NOTE_CHARS} characters`, `不超过 ${MAX_NOTE_CHARS} 个字符`);
      const row = await findEntry(db, { id: entryId });
      if (!row) throw new NotFoundError('catalog entry', entryId, '目录');
      if (op.actor) policy.assertMayDraft(op.actor, row.provider_org_id);
      if (row.published_version === 0 || !row.published_metadata?.open.open)
        throw new ConflictError('not_open', `Entry ${row.code} has no published version open to the public; data is published for open entries only (mark it open, with a licence, and have it approved first).`, `目录 ${row.code} 没有向社会开放的已发布版本；仅开放目录可发布数据（请先标记为开放、注明许可协议并通过审核）。`);
      const items = row.published_metadata.dataItems;
      const read = readReleaseFile(file, items);
      const sha256 = crypto.createHash('sha256').update(file).digest('hex');
      return db.transaction().execute(async (trx) => {
        const locked = await findEntry(trx, { id: entryId }, true);
        // An approval between the check and the lock may have changed the items the file was read against.
        if (!locked || locked.published_version !== row.published_version) throw new ConflictError('stale_version', `Entry ${row.code} was published again while the file was being read; send the file again.`, `读取文件期间目录 ${row.code} 已重新发布，请重新提交文件。`);
        const release: store.ReleaseRow = {
          entry_id: entryId,
          release: (await store.lastReleaseNumber(trx, entryId)) + 1,
          entry_version: row.published_version,
          columns: read.columns,
          row_count: read.rows.length,
          byte_size: file.byteLength,
          sha256,
          note,
          published_at: deps.clock.now(),
          published_by: op.auditAs.name,
        };
        await store.insertRelease(trx, release, read.rows);
        await deps.audit.record(trx, {
          actor: op.auditAs,
          action: 'catalog.open_data.release',
          subjectType: 'catalog_entry',
          subjectId: row.code,
          outcome: 'success',
          detail: { id: entryId, release: release.release, rows: release.row_count, sha256 },
          ip: op.ip,
          requestId: op.requestId,
        });
        return releaseView(release);
      });
    },

    /** An entry's releases, newest first, for its provider's workbench (any staff may read: open data is public). */
    async releases(entryId: string): Promise<ReleaseView[]> {
      const row = await findEntry(db, { id: entryId });
      if (!row) throw new NotFoundError('catalog entry', entryId, '目录');
      return (await store.listReleases(db, entryId)).map(releaseView);
    },

    /** The public page's data: the published metadata, licence, links and update history. */
    async dataset(idOrName: string) {
      const entry = await openEntry(idOrName);
      const m = entry.metadata;
      const [provider, releases, versions] = await Promise.all([providerOf(entry.providerOrgId), store.listReleases(db, entry.id), listVersions(db, entry.id)]);
      const licence = licenceOf(m.licence);
      const themes = themeItemsOf(m.classification, m.themes).map((t) => ({ code: t, nameZh: THEME_ITEMS[t]!.zh, nameEn: THEME_ITEMS[t]!.en }));
      const history: HistoryItem[] = [
        ...releases.map((r): HistoryItem => ({ kind: 'data', release: r.release, at: r.published_at.toISOString(), rowCount: r.row_count, note: r.note })),
        ...versions.map((v): HistoryItem => ({ kind: 'metadata', version: v.version, at: new Date(v.published_at).toISOString(), note: v.note })),
      ].sort((a, b) => b.at.localeCompare(a.at));
      return {
        id: entry.id,
        code: entry.code,
        name: entry.name,
        nameZh: m.nameZh,
        nameEn: m.nameEn,
        abstractZh: m.abstractZh,
        abstractEn: m.abstractEn,
        provider,
        licence: { id: licence.id, title: licence.title, url: licence.url },
        openCondition: m.open.condition,
        updateCycle: m.updateCycle,
        keywords: m.keywords,
        themes,
        format: m.format,
        columns: releases[0]?.columns ?? columnsOf(m.dataItems),
        dataItems: m.dataItems.map((item) => ({ key: item.field || item.name, name: item.name, nameEn: item.nameEn, type: item.type, description: item.description })),
        issued: entry.issued.toISOString(),
        modified: entry.modified.toISOString(),
        publishedVersion: entry.publishedVersion,
        latestRelease: releases[0] ? releaseView(releases[0]) : null,
        history,
        links: links(entry),
      };
    },

    /** A page of a release's rows as objects by column key, filtered by equality on columns. */
    async rows(idOrName: string, query: Record<string, unknown>) {
      const entry = await openEntry(idOrName);
      const { release: releaseNumber, offset, limit, filters: asked } = rowsQuery(query);
      const release = await releaseOf(entry, releaseNumber);
      const columns = release?.columns ?? columnsOf(entry.metadata.dataItems);
      const filters = asked.map(({ key, value }) => {
        const position = columns.findIndex((c) => c.key === key);
        if (position === -1) throw invalidField(key.slice(0, 64), 'unknown_parameter', `is neither a column of this dataset (${columns.map((c) => c.key).join(', ')}) nor release, offset or limit`, `既不是本数据集的列（${columns.map((c) => c.key).join('、')}），也不是 release、offset 或 limit`);
        return { position, text: value };
      });
      if (!release) return { dataset: entry.id, release: null, columns, total: 0, offset, limit, rows: [] };
      const [total, rows] = await Promise.all([store.countRows(db, entry.id, release.release, filters), store.pageRows(db, entry.id, release.release, filters, { offset, limit })]);
      return { dataset: entry.id, release: release.release, columns, total, offset, limit, rows: rows.map((cells) => objectOf(columns, cells)) };
    },

    /** The whole table of a release as CSV or JSON, streamed a batch at a time. */
    async download(idOrName: string, format: 'csv' | 'json', releaseNumber: number | undefined) {
      const entry = await openEntry(idOrName);
      const release = await releaseOf(entry, releaseNumber);
      const columns = release?.columns ?? columnsOf(entry.metadata.dataItems);
      const batches = release ? store.streamRows(db, entry.id, release.release) : (async function* () {})();
      return {
        release: release?.release ?? null,
        filename: `${entry.name}${release ? `-r${release.release}` : ''}.${format}`,
        body: format === 'csv' ? csvLines(columns, batches) : jsonText(columns, batches),
      };
    },

    /** The open datasets found by words and facets (the catalog search, open entries only). */
    async list(query: Record<string, unknown>, zh: boolean) {
      const { open: _open, ...rest } = query;
      const found = await deps.search.search(parseSearchParams({ ...rest, open: 'true' }), zh);
      const latest = await store.latestReleases(db, found.items.map((i) => i.id));
      return { ...found, items: found.items.map((item) => ({ ...item, latestRelease: latest.has(item.id) ? summaryOf(latest.get(item.id)!) : null })) };
    },
  };
}

export type OpenDataService = ReturnType<typeof createOpenDataService>;

const objectOf = (columns: ReleaseColumn[], cells: Cell[]) => Object.fromEntries(columns.map((c, i) => [c.key, cells[i] ?? null]));

/** The rows query: release, offset, limit, and any other parameter an equality filter on a column. */
function rowsQuery(query: Record<string, unknown>) {
  const whole = (field: string, raw: unknown, fallback: number, min: number, max: number): number => {
    if (raw === undefined || raw === '') return fallback;
    const n = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw invalidField(field, 'range', `must be a whole number from ${min} to ${max}`, `应为 ${min} 至 ${max} 的整数`);
    return n;
  };
  const filters: { key: string; value: string }[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key === 'release' || key === 'offset' || key === 'limit') continue;
    if (typeof value !== 'string') throw invalidField(key.slice(0, 64), 'type', 'must be given once, as text', '只能给出一次，且应为文本');
    filters.push({ key, value });
  }
  return {
    release: query.release === undefined || query.release === '' ? undefined : whole('release', query.release, 1, 1, 1_000_000),
    offset: whole('offset', query.offset, 0, 0, 10_000_000),
    limit: whole('limit', query.limit, DEFAULT_ROWS_LIMIT, 1, MAX_ROWS_LIMIT),
    filters,
  };
}

/** CSV (UTF-8 with a byte-order mark, so Excel and WPS open Chinese text right), header = column keys. */
async function* csvLines(columns: ReleaseColumn[], batches: AsyncGenerator<Cell[][]>): AsyncGenerator<string> {
  yield `\uFEFF${columns.map((c) => csvField(c.key)).join(',')}\r\n`;
  for await (const rows of batches) {
    let chunk = '';
    for (const cells of rows) chunk += cells.map((v, i) => csvField(typeof v === 'string' && isText(columns[i]!) ? spreadsheetSafe(v) : cellText(v))).join(',') + '\r\n';
    yield chunk;
  }
}

const isText = (c: ReleaseColumn) => c.type === 'string' || c.type === 'other';

/** A JSON array of row objects, written as it is read. */
async function* jsonText(columns: ReleaseColumn[], batches: AsyncGenerator<Cell[][]>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const rows of batches) {
    let chunk = '';
    for (const cells of rows) {
      chunk += `${first ? '\n' : ',\n'}${JSON.stringify(objectOf(columns, cells))}`;
      first = false;
    }
    yield chunk;
  }
  yield first ? ']' : '\n]';
}
