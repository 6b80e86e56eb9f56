// The record engine: the rules of every record registry. A record is checked against its
// definition before anything is written; each change is a new version with its provenance in
// one transaction with its audit event; a writer who read an older version gets 409, so no
// update is lost. Every read of a person's or entity's record is logged for its subject
// ("who read my data") with the fields the reader was shown.
import crypto from 'node:crypto';
import type { Operator } from '../../../platform/actor.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db, Executor } from '../../../platform/db.ts';
import { createGroupCommit } from '../../../platform/group-commit.ts';
import { ConflictError, DomainError, NotFoundError, ValidationError, invalidField, type FieldError } from '../../../platform/errors.ts';
import type { RegistryCatalog, RegistryRow } from '../catalog.ts';
import * as policy from '../policy.ts';
import type { RegistryDefinition } from './definition.ts';
import { projectRecord } from './project.ts';
import * as store from './store.ts';
import { checkRecord, normaliseKey, type RecordData, type Reference } from './validate.ts';

/** Who reads, through which channel, for what purpose, granted which fields (null: all). */
export type Reader = {
  channel: store.ReadEntry['channel'];
  /** The exchange client (INSTANCE/CLASS/MEMBER[/SUBSYSTEM]) or `staff:<username>`. */
  consumer: string;
  consumerOrgId: string | null;
  readerName: string;
  purpose: string | null;
  xRoadId: string | null;
  granted: readonly string[] | null;
};

/** Who writes: the operator (policy applies when it is a signed-in actor) and the source. */
export type Writer = { op: Operator; source: string };

export type RecordView = { registry: string; key: string; version: number; data: RecordData; masked: string[]; createdAt: string; updatedAt: string };
export type VersionView = { version: number; operation: store.VersionRow['operation']; data: RecordData | null; source: string; actorName: string; reason: string; event: Record<string, unknown> | null; changedAt: string; importId: string | null };
export type ReadView = { id: string; registry: string; consumer: string; consumerOrgId: string | null; readerName: string; purpose: string | null; fields: string[]; channel: store.ReadEntry['channel']; xRoadId: string | null; readAt: string };
export type QueryInput = Omit<store.QuerySpec, 'limit' | 'offset' | 'withCount'> & { page: number; pageSize: number; withCount?: boolean; asOf?: never };
export type QueryResult = { count: number | null; page: number; pageSize: number; results: RecordView[] };

/** A change to a record: the whole new data, or a patch (a null value clears a field). */
export type UpdateInput = { expected: number; data?: RecordData; patch?: RecordData; reason?: string; event?: Record<string, unknown> };

export const MAX_PAGE_SIZE = 200;

export type RecordsDeps = { db: Db; audit: Audit; clock: Clock; catalog: RegistryCatalog; divisionExists: (code: string) => boolean };

export function staffReader(op: Operator, purpose: string | null, channel: Reader['channel'] = 'workbench'): Reader {
  return { channel, consumer: `staff:${op.auditAs.name}`, consumerOrgId: op.auditAs.orgId, readerName: op.auditAs.name, purpose, xRoadId: null, granted: null };
}

const today = (clock: Clock) => clock.now().toISOString().slice(0, 10);

export function createRecords(deps: RecordsDeps) {
  const { db, clock } = deps;

  async function recordRegistry(name: string): Promise<RegistryRow> {
    const row = await deps.catalog.get(name);
    if (row.definition.kind !== 'records')
      throw new DomainError('not_a_record_registry', `The ${name} registry keeps ${row.definition.kind} data, which has its own API.`, `登记库 ${name} 保存的是${row.definition.kind === 'geospatial' ? '空间地理' : '宏观经济'}数据，请使用其专用接口。`);
    return row;
  }

  function assertMayWrite(writer: Writer, registry: RegistryRow) {
    if (writer.op.actor) policy.assertMayEditRecords(writer.op.actor, registry.owner_org_id);
  }

  const present = (definition: RegistryDefinition, row: { key: string; version: number; data: RecordData; created_at: Date; updated_at: Date }, granted: readonly string[] | null) => {
    const projected = projectRecord(definition, row.data, granted);
    return { view: { registry: definition.name, key: row.key, version: row.version, data: projected.record, masked: projected.masked, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() } satisfies RecordView, shown: [...projected.shown, ...projected.masked] };
  };

  // Each read's log rows are committed before the read is answered (a read nobody can find
  // in "who read my data" must not happen), but in groups: concurrent reads share a commit.
  const READ_ROWS_PER_INSERT = 1000;
  const readLog = createGroupCommit<store.ReadEntryWithId[], void>(async (groups) => {
    const entries = groups.flat();
    const chunks: store.ReadEntryWithId[][] = [];
    for (let at = 0; at < entries.length; at += READ_ROWS_PER_INSERT) chunks.push(entries.slice(at, at + READ_ROWS_PER_INSERT));
    if (chunks.length === 1) await store.logReads(db, chunks[0]!);
    else
      await db.transaction().execute(async (trx) => {
        for (const chunk of chunks) await store.logReads(trx, chunk);
      });
    return groups.map(() => undefined);
  });

  async function logReads(definition: RegistryDefinition, reader: Reader, shown: { key: string; fields: string[] }[]) {
    if (definition.subject === 'none' || shown.length === 0) return;
    const at = clock.now();
    await readLog.add(
      shown.map((s) => ({ id: crypto.randomUUID(), registry: definition.name, subjectKey: s.key, consumer: reader.consumer, consumerOrgId: reader.consumerOrgId, readerName: reader.readerName, purpose: reader.purpose, fields: s.fields, channel: reader.channel, xRoadId: reader.xRoadId, at })),
    );
  }

  /** Refuses a record whose references (parents, a representative) name nobody. */
  async function assertReferencesExist(executor: Executor, references: Reference[], alsoKnown?: (ref: Reference) => boolean) {
    const pending = references.filter((r) => !alsoKnown?.(r));
    const byRegistry = new Map<string, Reference[]>();
    for (const ref of pending) byRegistry.set(ref.registry, [...(byRegistry.get(ref.registry) ?? []), ref]);
    const errors: FieldError[] = [];
    for (const [registry, refs] of byRegistry) {
      const found = await store.existingKeys(executor, registry, [...new Set(refs.map((r) => r.key))]);
      for (const ref of refs) if (!found.has(ref.key)) errors.push({ field: ref.field, code: 'no_such_person', message: `names nobody in the ${registry} registry (${ref.key.slice(0, 6)}…)`, messageZh: `在${registry === 'population' ? '人口库' : registry}中查无此人（${ref.key.slice(0, 6)}…）` });
    }
    if (errors.length > 0) throw new ValidationError(errors);
  }

  function validated(definition: RegistryDefinition, input: RecordData) {
    const checked = checkRecord(definition, input, { divisionExists: deps.divisionExists, today: today(clock) });
    if (checked.errors.length > 0) throw new ValidationError(checked.errors);
    return checked;
  }

  const provenanceOf = (writer: Writer, reason: string, importId?: string | null): store.Provenance => ({ source: writer.source, actorId: writer.op.auditAs.id, actorName: writer.op.auditAs.name, reason, at: clock.now(), importId });

  function requireReason(reason: string | undefined): string {
    const trimmed = reason?.trim() ?? '';
    if (trimmed === '') throw invalidField('reason', 'required', 'is required: say why the record changes (it is kept with the version)', '必填：请说明变更原因（随版本保存）');
    if ([...trimmed].length > 500) throw invalidField('reason', 'length', 'must be at most 500 characters', '不超过 500 个字符');
    return trimmed;
  }

  const stale = (key: string, expected: number, actual: number | undefined) =>
    new ConflictError(
      'stale_version',
      actual === undefined ? `Record ${key} was deleted since you read it.` : `Record ${key} changed since you read version ${expected}; it is now at version ${actual}. Read it again and reapply your change.`,
      actual === undefined ? `记录 ${key} 在您读取之后已被删除。` : `记录 ${key} 在您读取第 ${expected} 版之后已被修改，当前为第 ${actual} 版。请重新读取后再修改。`,
    );

  async function audited(trx: Executor, writer: Writer, action: string, registry: string, key: string, detail: Record<string, unknown>) {
    await deps.audit.record(trx, { actor: writer.op.auditAs, action, subjectType: 'registry_record', subjectId: `${registry}/${key}`, outcome: 'success', detail, ip: writer.op.ip, requestId: writer.op.requestId });
  }

  async function createIn(trx: Executor, writer: Writer, registry: RegistryRow, input: RecordData, options: { reason?: string; event?: Record<string, unknown> }): Promise<RecordView> {
    const name = registry.name;
    const why = requireReason(options.reason);
    const { data, references } = validated(registry.definition, input);
    const key = String(data[registry.definition.keyField]);
    await assertReferencesExist(trx, references);
    const existing = await store.findRecord(trx, name, key, true);
    if (existing && !existing.deleted_at) throw new ConflictError('record_exists', `The ${name} registry already has record ${key}; change it instead.`, `${registry.definition.titleZh}中已有记录 ${key}，请修改该记录。`);
    const version = (existing?.version ?? 0) + 1;
    const provenance = provenanceOf(writer, why);
    const operation = options.event ? 'event' : 'create';
    const written = await store.writeChange(trx, { registry: name, key, version, data, operation, event: options.event }, provenance, null);
    if (!written) throw stale(key, version - 1, existing?.version);
    await audited(trx, writer, `registries.record.${operation}`, name, key, { version, source: writer.source, reason: why, event: options.event?.type });
    return present(registry.definition, { key, version, data, created_at: existing?.created_at ?? provenance.at, updated_at: provenance.at }, null).view;
  }

  async function updateIn(trx: Executor, writer: Writer, registry: RegistryRow, rawKey: string, change: UpdateInput): Promise<RecordView> {
    const name = registry.name;
    const definition = registry.definition;
    const why = requireReason(change.reason);
    if (!Number.isSafeInteger(change.expected) || change.expected < 1) throw invalidField('version', 'required', 'must be the version you read (a whole number from 1)', '应为您读取的版本号（从 1 起的整数）');
    const key = normaliseKey(definition, rawKey);
    const current = await store.findRecord(trx, name, key, true);
    if (!current || current.deleted_at) throw new NotFoundError(`record in ${name}`, key, `${definition.titleZh}记录`);
    if (current.version !== change.expected) throw stale(key, change.expected, current.version);
    const next = change.data ?? { ...current.data, ...change.patch };
    const keyGiven = next[definition.keyField];
    if (keyGiven !== undefined && keyGiven !== null && normaliseKey(definition, String(keyGiven)) !== key) throw invalidField(definition.keyField, 'key_immutable', 'cannot change: it identifies the record', '不可修改：它是记录的标识');
    const { data, references } = validated(definition, { ...next, [definition.keyField]: key });
    await assertReferencesExist(trx, references);
    const provenance = provenanceOf(writer, why);
    const version = current.version + 1;
    const operation = change.event ? 'event' : 'update';
    const written = await store.writeChange(trx, { registry: name, key, version, data, operation, event: change.event }, provenance, current.version);
    if (!written) throw stale(key, change.expected, undefined);
    const changed = definition.fields.map((f) => f.name).filter((f) => JSON.stringify(current.data[f]) !== JSON.stringify(data[f]));
    await audited(trx, writer, `registries.record.${operation}`, name, key, { version, changed, source: writer.source, reason: why, event: change.event?.type });
    return present(definition, { key, version, data, created_at: current.created_at, updated_at: provenance.at }, null).view;
  }

  const service = {
    recordRegistry,
    assertReferencesExist,

    /** Checks a record without writing it: the normalised data or the problems. */
    async check(name: string, input: RecordData) {
      const registry = await recordRegistry(name);
      return checkRecord(registry.definition, input, { divisionExists: deps.divisionExists, today: today(clock) });
    },

    /** Checks the staff member may read the registry here; other organizations use the exchange. */
    async assertMayRead(op: Operator, name: string): Promise<RegistryRow> {
      const registry = await recordRegistry(name);
      if (op.actor) policy.assertMayReadRecords(op.actor, registry.owner_org_id);
      return registry;
    },

    async get(name: string, rawKey: string, reader: Reader, options: { asOf?: Date } = {}): Promise<RecordView> {
      const registry = await recordRegistry(name);
      const definition = registry.definition;
      const key = normaliseKey(definition, rawKey);
      let row: { key: string; version: number; data: RecordData; created_at: Date; updated_at: Date } | undefined;
      if (options.asOf) {
        const version = await store.findVersionAt(db, name, key, options.asOf);
        const first = version && (await store.listVersions(db, name, key)).at(-1);
        if (version?.data && first) row = { key, version: version.version, data: version.data, created_at: first.changed_at, updated_at: version.changed_at };
      } else {
        const current = await store.findRecord(db, name, key);
        if (current && !current.deleted_at) row = current;
      }
      if (!row) throw new NotFoundError(`record in ${name}${options.asOf ? ` as of ${options.asOf.toISOString()}` : ''}`, key, `${definition.titleZh}记录`);
      const { view, shown } = present(definition, row, reader.granted);
      await logReads(definition, reader, [{ key, fields: shown }]);
      return view;
    },

    async query(name: string, input: QueryInput, reader: Reader): Promise<QueryResult> {
      const registry = await recordRegistry(name);
      const definition = registry.definition;
      const fieldNames = new Set(definition.fields.map((f) => f.name));
      const readable = (field: string) => reader.granted === null || reader.granted.includes(field);
      // A consumer filters, searches and orders only by fields it may read, or the answers
      // would tell it what it may not see.
      const errors: FieldError[] = [];
      // The one exception: equality on the key. A consumer that holds a person's ID number
      // (from the application in front of it) may look the person up; the answer shows the
      // key masked and only granted fields, so it learns nothing it did not bring.
      const keyLookup = (field: string) => field === definition.keyField && Object.hasOwn(input.where, field);
      for (const field of [...Object.keys(input.where), input.search?.field, input.orderBy].filter((f): f is string => f !== undefined)) {
        if (!fieldNames.has(field)) errors.push({ field, code: 'unknown_field', message: `is not a field of the ${name} registry`, messageZh: `不是登记库 ${name} 的字段` });
        else if (!readable(field) && !(keyLookup(field) && field !== input.search?.field && field !== input.orderBy)) errors.push({ field, code: 'field_not_granted', message: 'is not among the fields your access right grants', messageZh: '不在您的访问授权字段之内' });
      }
      for (const [field, value] of [...Object.entries(input.where), ['search', input.search?.pattern ?? '']]) if (value.includes('\u0000')) errors.push({ field, code: 'nul_character', message: 'may not contain the NUL character (\\u0000)', messageZh: '不能包含 NUL 字符（\\u0000）' });
      if (input.search && !input.search.field && reader.granted !== null) errors.push({ field: 'search', code: 'field_required', message: 'must name a field (filter) when your right grants only some fields', messageZh: '访问授权仅含部分字段时，检索须指定字段（filter）' });
      if (input.search && (input.search.pattern.length > 200 || !isUsableRegex(input.search.pattern))) errors.push({ field: 'search', code: 'bad_pattern', message: 'is not a usable regular expression (at most 200 characters)', messageZh: '不是可用的正则表达式（不超过 200 个字符）' });
      if (!Number.isSafeInteger(input.page) || input.page < 1) errors.push({ field: 'page', code: 'range', message: 'must be 1 or more', messageZh: '应不小于 1' });
      if (!Number.isSafeInteger(input.pageSize) || input.pageSize < 1 || input.pageSize > MAX_PAGE_SIZE) errors.push({ field: 'pageSize', code: 'range', message: `must be 1 to ${MAX_PAGE_SIZE}`, messageZh: `应为 1 至 ${MAX_PAGE_SIZE}` });
      if (errors.length > 0) throw new ValidationError(errors);
      const where = { ...input.where };
      if (where[definition.keyField] !== undefined) where[definition.keyField] = normaliseKey(definition, where[definition.keyField]);
      const { rows, count } = await store
        .queryRecords(db, name, { where, search: input.search, orderBy: input.orderBy, descending: input.descending, limit: input.pageSize, offset: (input.page - 1) * input.pageSize, withCount: input.withCount ?? true })
        .catch((err: { code?: string }) => {
          if (err?.code === '2201B') throw invalidField('search', 'bad_pattern', 'is not a valid regular expression', '不是有效的正则表达式');
          throw err;
        });
      const presented = rows.map((row) => present(definition, row, reader.granted));
      await logReads(definition, reader, presented.map((p) => ({ key: p.view.key, fields: p.shown })));
      return { count, page: input.page, pageSize: input.pageSize, results: presented.map((p) => p.view) };
    },

    async history(name: string, rawKey: string): Promise<VersionView[]> {
      const registry = await recordRegistry(name);
      const key = normaliseKey(registry.definition, rawKey);
      const versions = await store.listVersions(db, name, key);
      if (versions.length === 0) throw new NotFoundError(`record in ${name}`, key, `${registry.definition.titleZh}记录`);
      return versions.map((v) => ({ version: v.version, operation: v.operation, data: v.data, source: v.source, actorName: v.actor_name, reason: v.reason, event: v.event, changedAt: v.changed_at.toISOString(), importId: v.import_id }));
    },

    async create(writer: Writer, name: string, input: RecordData, reason?: string): Promise<RecordView> {
      const registry = await recordRegistry(name);
      assertMayWrite(writer, registry);
      return db.transaction().execute((trx) => createIn(trx, writer, registry, input, { reason }));
    },

    /**
     * Replaces a record's data (the key cannot change) if it is still at `expected`. Fields
     * left out are cleared; use `patch` to change only some.
     */
    async update(writer: Writer, name: string, rawKey: string, change: UpdateInput): Promise<RecordView> {
      const registry = await recordRegistry(name);
      assertMayWrite(writer, registry);
      return db.transaction().execute((trx) => updateIn(trx, writer, registry, rawKey, change));
    },

    /** The same as update, inside the caller's transaction (a life event changes two records). */
    updateIn,
    /** The live record, locked for the caller's transaction, without logging a read (the writer's own check). */
    async currentIn(trx: Executor, registry: RegistryRow, rawKey: string): Promise<{ key: string; version: number; data: RecordData } | undefined> {
      // Only trx here: the embedded database has one connection, held by the transaction.
      const row = await store.findRecord(trx, registry.name, normaliseKey(registry.definition, rawKey), true);
      return row && !row.deleted_at ? row : undefined;
    },
    /** The same as create, inside the caller's transaction. */
    createIn,

    /** Runs `work` in one transaction after checking the writer may change the registry. */
    async inTransaction<T>(writer: Writer, name: string, work: (trx: Executor, registry: RegistryRow) => Promise<T>): Promise<T> {
      const registry = await recordRegistry(name);
      assertMayWrite(writer, registry);
      return db.transaction().execute((trx) => work(trx, registry));
    },

    async remove(writer: Writer, name: string, rawKey: string, expected: number, reason?: string): Promise<void> {
      const registry = await recordRegistry(name);
      assertMayWrite(writer, registry);
      const why = requireReason(reason);
      const key = normaliseKey(registry.definition, rawKey);
      await db.transaction().execute(async (trx) => {
        const current = await store.findRecord(trx, name, key, true);
        if (!current || current.deleted_at) throw new NotFoundError(`record in ${name}`, key, `${registry.definition.titleZh}记录`);
        if (current.version !== expected) throw stale(key, expected, current.version);
        await store.writeChange(trx, { registry: name, key, version: current.version + 1, data: null, operation: 'delete' }, provenanceOf(writer, why), current.version);
        await audited(trx, writer, 'registries.record.delete', name, key, { version: current.version + 1, source: writer.source, reason: why });
      });
    },

    /** Who read a subject's records: newest first, across registries unless one is named. */
    async readsOf(subjectKey: string, options: { registry?: string; limit?: number; before?: Date } = {}): Promise<ReadView[]> {
      if (subjectKey.includes('\u0000')) return []; // no key holds NUL, and PostgreSQL text cannot
      const rows = await store.readsOf(db, subjectKey.trim().toUpperCase(), { registry: options.registry, limit: Math.min(options.limit ?? 100, 500), before: options.before });
      return rows.map((r) => ({ id: r.id, registry: r.registry, consumer: r.consumer, consumerOrgId: r.consumer_org_id, readerName: r.reader_name, purpose: r.purpose, fields: r.fields, channel: r.channel, xRoadId: r.x_road_id, readAt: r.read_at.toISOString() }));
    },
  };
  return service;
}

/** PostgreSQL's regular expressions are a superset of these for the patterns people type. */
function isUsableRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

export type Records = ReturnType<typeof createRecords>;
