// Bulk import and export of record registries: CSV, JSON Lines and XLSX in and out, every row
// checked by the record engine's rules with a report by row and field, all or nothing by
// default or in resumable batches, with progress another request (the workbench's bar, the
// CLI's) can follow. Exports are audited bulk reads.
import type { App } from '../../../http/server.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import type { Records } from '../engine/records.ts';
import { createExports } from './export.ts';
import { registerImportRoutes } from './routes.ts';
import { createImports } from './service.ts';

export type { DryRunView, ImportMode, ImportOptions, ImportView, OnExisting, RunHooks } from './service.ts';
export { IMPORT_FORMATS, type ImportFormat } from './read.ts';
export { hashFile, type SpooledFile } from './files.ts';

export function createRecordImports(deps: { db: Db; audit: Audit; clock: Clock; records: Records; divisionExists: (code: string) => boolean }) {
  const imports = createImports(deps);
  const exports = createExports(deps);
  return {
    ...imports,
    exports,
    registerRoutes: (app: App) => registerImportRoutes(app, { imports, exports }),
  };
}

export type RecordImports = ReturnType<typeof createRecordImports>;
