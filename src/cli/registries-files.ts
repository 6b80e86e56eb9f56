// `egov registries install | import | export`: the base registries installed with an owner,
// and records moved in and out in bulk. They act as the local operator (`cli:<user>`): no
// policy applies, but the audit names them. Imports read the file straight from disk and show
// a progress bar on stderr; an interrupted one is resumed with --resume and the same file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localOperator } from '../platform/actor.ts';
import type { Services } from '../app.ts';
import { BASE_REGISTRIES } from '../modules/registries/index.ts';
import { hashFile, IMPORT_FORMATS, type DryRunView, type ImportFormat, type ImportView } from '../modules/registries/imports/index.ts';
import { CliError, type Command } from './command.ts';
import { progressLine } from './data-commands.ts';
import { withServices } from './services.ts';

const operator = () => localOperator(`cli:${os.userInfo().username}`);
const EXTENSIONS: Record<string, ImportFormat> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.xlsx': 'xlsx' };

function formatOption(raw: string | boolean | undefined, file: string | undefined): ImportFormat {
  if (typeof raw === 'string') {
    if (!IMPORT_FORMATS.includes(raw as ImportFormat)) throw new CliError(`--format is ${IMPORT_FORMATS.join(', ')}, not "${raw}".`, 2);
    return raw as ImportFormat;
  }
  const byName = file ? EXTENSIONS[path.extname(file).toLowerCase()] : undefined;
  if (file && !byName) throw new CliError(`Cannot tell the format of ${file} from its name: give --format ${IMPORT_FORMATS.join('|')}.`, 2);
  return byName ?? 'csv';
}

async function findOwner(services: Services, wanted: string) {
  const orgs = await services.directory.service.listOrganizations();
  const upper = wanted.trim().toUpperCase();
  const org = orgs.find((o) => o.id === wanted.trim() || o.creditCode === upper || o.identifier.toUpperCase() === upper);
  if (!org) throw new CliError(`No organization ${wanted}: give its id, its unified social credit code or its platform identifier (egov org add creates one).`);
  return org;
}

export const registriesInstallCommand: Command = {
  name: 'registries install',
  summary: 'Install the four base registries (population, legal entities, natural resources and geospatial, macroeconomic), or their newer definitions. A registry installed already keeps its owner; new ones need --owner.',
  usage: 'registries install [--owner <organization id | credit code | identifier>]',
  options: { owner: { type: 'string' } },
  async run({ values }) {
    return withServices(async (services) => {
      const installed = new Map((await services.registries.catalog.list()).map((r) => [r.name, r]));
      const owner = typeof values.owner === 'string' ? await findOwner(services, values.owner) : undefined;
      const missing = BASE_REGISTRIES.filter((d) => !installed.has(d.name));
      if (missing.length > 0 && !owner) throw new CliError(`Name the organization that keeps ${missing.map((d) => d.name).join(', ')}: --owner <organization id | credit code>.`, 2);
      for (const definition of BASE_REGISTRIES) {
        const info = await services.registries.catalog.install(operator(), definition, installed.get(definition.name)?.ownerOrgId ?? owner!.id);
        const keeper = (await services.directory.service.findOrganization(info.ownerOrgId))?.nameZh ?? info.ownerOrgId;
        console.log(`${installed.has(definition.name) ? 'Updated' : 'Installed'} ${definition.name} ${definition.version} (${definition.titleZh}), kept by ${keeper}.`);
      }
      return 0;
    });
  },
};

/** A bar on stderr: redrawn in place on a terminal, a line at each tenth otherwise (logs, CI). */
export function progressBar(width = 30) {
  let lastDraw = 0;
  let lastTenth = -1;
  let lastPhase = '';
  return (view: ImportView) => {
    const done = Math.max(0, Math.min(1, view.progress));
    const filled = Math.round(done * width);
    const what = view.phase === 'validating' ? `checking: ${view.processedRows.toLocaleString('en')} rows${view.writtenRows > 0 ? `, ${view.writtenRows.toLocaleString('en')} written` : ''}` : view.phase === 'writing' ? `writing: ${view.writtenRows.toLocaleString('en')} of ${(view.totalRows ?? 0).toLocaleString('en')} rows` : `${view.status}: ${view.committedRows.toLocaleString('en')} of ${(view.totalRows ?? 0).toLocaleString('en')} rows in`;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(done * 100)).padStart(3)}% ${what}${view.errorCount ? `, ${view.errorCount.toLocaleString('en')} problem(s)` : ''}`;
    if (process.stderr.isTTY) {
      if (Date.now() - lastDraw < 100 && done < 1) return;
      lastDraw = Date.now();
      progressLine(`${line}\x1b[K`);
      return;
    }
    const tenth = Math.floor(done * 10);
    if (tenth === lastTenth && view.phase === lastPhase) return;
    lastTenth = tenth;
    lastPhase = view.phase;
    process.stderr.write(`${line}\n`);
  };
}

function printReport(view: { report: ImportView['report']; errorCount: number }) {
  if (view.errorCount === 0) return;
  console.log(`${view.errorCount} problem(s)${view.errorCount > view.report.length ? `, the first ${view.report.length}` : ''}:`);
  for (const e of view.report.slice(0, 50)) console.log(`  row ${e.row}, ${e.field}: ${e.message} [${e.code}]`);
  if (view.report.length > 50) console.log(`  … and more: egov shows them all in the workbench, or GET /api/registries/<name>/imports/<id>.`);
}

export const registriesImportCommand: Command = {
  name: 'registries import',
  summary:
    'Import records from a CSV (UTF-8, a header of field names), JSON Lines or XLSX file, with a progress bar. Every row is checked first. atomic (the default) writes all rows or none; resumable commits batches of 5,000, skips rows with problems and reports them, and after a crash goes on with --resume <import id> and the same file. A record the registry has already is a problem unless --existing update, which gives it a new version.',
  usage: 'registries import <registry> <file> --reason "<why>" [--mode atomic|resumable] [--existing refuse|update] [--format csv|jsonl|xlsx] [--dry-run] [--resume <import id>]',
  options: { reason: { type: 'string' }, mode: { type: 'string' }, existing: { type: 'string' }, format: { type: 'string' }, 'dry-run': { type: 'boolean' }, resume: { type: 'string' } },
  async run({ values, positionals }) {
    const [registry, file] = positionals;
    if (!registry || !file) throw new CliError(`Name the registry and the file: egov ${this.usage}`, 2);
    if (!fs.existsSync(file)) throw new CliError(`No file ${file}.`);
    const resume = typeof values.resume === 'string' ? values.resume : undefined;
    if (!resume && typeof values.reason !== 'string') throw new CliError('Say why these records are imported: --reason "…" (kept with every version).', 2);
    const format = formatOption(values.format, file);
    return withServices(async (services) => {
      const imports = services.registries.imports;
      const started = performance.now();
      const spooled = await hashFile(path.resolve(file));
      const hooks = { onProgress: progressBar() };
      let result: ImportView | DryRunView;
      if (resume) {
        console.error(`Resuming import ${resume} with ${file}.`);
        result = await imports.resume(operator(), registry, resume, spooled, hooks);
      } else {
        const options = { format, fileName: path.basename(file), reason: String(values.reason), mode: values.mode as ImportView['mode'] | undefined, onExisting: values.existing as ImportView['onExisting'] | undefined, dryRun: values['dry-run'] === true };
        const begun = await imports.begin(operator(), registry, spooled, options);
        if (begun.view) console.error(`Import ${begun.view.id} of ${file} into ${registry} (${begun.view.mode}). If it stops, go on with: egov registries import ${registry} ${file} --resume ${begun.view.id}`);
        result = await begun.run(hooks);
      }
      if (process.stderr.isTTY) process.stderr.write('\n');
      const seconds = (performance.now() - started) / 1000;
      if ('dryRun' in result) {
        console.log(`Checked ${file}: ${result.totalRows} rows, ${result.validRows} would be imported; nothing was written.`);
        printReport(result);
        return result.errorCount > 0 ? 1 : 0;
      }
      const rate = seconds > 0 ? ` (${Math.round((result.totalRows ?? 0) / seconds).toLocaleString('en')} rows/s)` : '';
      console.log(`Import ${result.id} ${result.status}: ${result.totalRows} rows; ${result.createdRows} created, ${result.updatedRows} updated, ${result.unchangedRows} unchanged, ${result.errorCount} problem(s); ${seconds.toFixed(1)} s${rate}.`);
      printReport(result);
      return 0;
    });
  },
};

export const registriesExportCommand: Command = {
  name: 'registries export',
  summary: "Write a registry's current records as CSV, JSON Lines or XLSX (the formats import reads), to --out or standard output; --where field=value filters (repeatable). The export is audited as one bulk read.",
  usage: 'registries export <registry> [--format csv|jsonl|xlsx] [--out <file>] [--where <field>=<value> …]',
  options: { format: { type: 'string' }, out: { type: 'string' }, where: { type: 'string', multiple: true } },
  async run({ values, positionals }) {
    const [registry] = positionals;
    if (!registry) throw new CliError(`Name the registry: egov ${this.usage}`, 2);
    const out = typeof values.out === 'string' ? path.resolve(values.out) : undefined;
    const format = formatOption(values.format, out);
    const where: Record<string, string> = {};
    for (const pair of (values.where as unknown as string[] | undefined) ?? []) {
      const at = pair.indexOf('=');
      if (at < 1) throw new CliError(`--where takes field=value, not "${pair}".`, 2);
      where[pair.slice(0, at)] = pair.slice(at + 1);
    }
    if (format === 'xlsx' && !out && process.stdout.isTTY) throw new CliError('An XLSX file is binary: give --out <file>.', 2);
    return withServices(async (services) => {
      const prepared = await services.registries.imports.exports.prepare(operator(), registry, { format, where });
      const count = await prepared.write(out ? fs.createWriteStream(out) : process.stdout);
      if (out) console.error(`Wrote ${count} record(s) of ${registry} to ${out}.`);
      return 0;
    });
  },
};
