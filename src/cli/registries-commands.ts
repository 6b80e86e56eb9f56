// `egov registries …`: work on the base registries from the command line. `generate` writes a
// deterministic synthetic population (persons and legal entities) to files, for demos, tests
// and benchmarks; it needs no database. `install` installs the four base registries with an
// owner; `import` and `export` move records in and out in bulk (registries-files.ts).
import fs from 'node:fs';
import path from 'node:path';
import { createPopulation, DEFAULT_AS_OF, DEFAULT_SEED, ENTITY_FIELDS, expandDivisions, PERSON_FIELDS } from '../modules/registries/generate/generate.ts';
import { OUTPUT_FORMATS, writeRecords, type OutputFormat } from '../modules/registries/generate/output.ts';
import { CliError, type Command } from './command.ts';
import { progressLine } from './data-commands.ts';
import { registriesExportCommand, registriesImportCommand, registriesInstallCommand } from './registries-files.ts';

function wholeNumber(name: string, raw: string | boolean | undefined, fallback?: number): number {
  if (raw === undefined && fallback !== undefined) return fallback;
  const text = String(raw ?? '').replaceAll('_', '');
  if (!/^\d+$/.test(text)) throw new CliError(`--${name} takes a whole number, e.g. --${name} 1000${raw === undefined ? '' : ` (not "${raw}")`}.`, 2);
  return Number(text);
}

function divisionsOption(values: Record<string, string | boolean | undefined>): string[] | undefined {
  if (values.divisions && values.province) throw new CliError('Give either --divisions or --province, not both.', 2);
  const codes = values.province ? [`${values.province}0000`] : values.divisions ? String(values.divisions).split(',').map((c) => c.trim()).filter(Boolean) : undefined;
  if (values.province && !/^\d{2}$/.test(String(values.province))) throw new CliError(`--province takes the two-digit province code, e.g. 33 for Zhejiang (not "${values.province}").`, 2);
  try {
    return codes && expandDivisions(codes);
  } catch (err) {
    throw new CliError(`${(err as Error).message} Use six-digit GB/T 2260 codes: a county (330106), a city (330100) or a province (330000).`, 2);
  }
}

export const registriesGenerateCommand: Command = {
  name: 'registries generate',
  summary: "Write a synthetic population (persons and legal entities) to persons.<ext> and entities.<ext>. Households have consistent families and valid, unique ID numbers over real divisions; every entity's representative is one of the persons. The same options always give the same bytes. Needs no database.",
  usage: 'registries generate --persons <N> [--entities <M>] [--seed <S>] [--format jsonl|csv] [--out <dir>] [--divisions <code,code…> | --province <NN>] [--as-of <YYYY-MM-DD>]',
  options: { persons: { type: 'string' }, entities: { type: 'string' }, seed: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, divisions: { type: 'string' }, province: { type: 'string' }, 'as-of': { type: 'string' } },
  async run({ values }) {
    if (values.persons === undefined) throw new CliError(`Say how many persons to generate: --persons 10000\nUsage: egov ${this.usage}`, 2);
    const persons = wholeNumber('persons', values.persons);
    const entities = wholeNumber('entities', values.entities, 0);
    const seed = wholeNumber('seed', values.seed, DEFAULT_SEED);
    const format = String(values.format ?? 'jsonl') as OutputFormat;
    if (!OUTPUT_FORMATS.includes(format)) throw new CliError(`--format is jsonl or csv, not "${values.format}".`, 2);
    let population: ReturnType<typeof createPopulation>;
    try {
      population = createPopulation({ seed, persons, entities, divisions: divisionsOption(values), asOf: values['as-of'] === undefined ? DEFAULT_AS_OF : String(values['as-of']) });
    } catch (err) {
      if (err instanceof RangeError) throw new CliError(err.message, 2);
      throw err;
    }
    const dir = path.resolve(String(values.out ?? '.'));
    fs.mkdirSync(dir, { recursive: true });

    const started = performance.now();
    const files: [string, Iterable<object>, readonly string[], number][] = [
      ['persons', population.persons(), PERSON_FIELDS, persons],
      ['entities', population.entities(), ENTITY_FIELDS, entities],
    ];
    for (const [kind, records, fields, total] of files) {
      const file = path.join(dir, `${kind}.${format}`);
      const t0 = performance.now();
      let shown = 0;
      const count = await writeRecords(fs.createWriteStream(file), records, {
        format,
        fields,
        onProgress(n) {
          const now = performance.now();
          if (now - shown < 250 && n < total) return;
          shown = now;
          progressLine(`${kind}: ${n.toLocaleString('en')} of ${total.toLocaleString('en')} (${Math.round((100 * n) / Math.max(total, 1))}%)`);
        },
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      const seconds = (performance.now() - t0) / 1000;
      console.log(`Wrote ${file}: ${count} ${kind} in ${seconds.toFixed(1)} s${seconds > 0 ? ` (${Math.round(count / seconds)}/s)` : ''}.`);
    }
    const { layout } = population;
    console.log(`Seed ${seed}, as of ${values['as-of'] ?? DEFAULT_AS_OF}: ${layout.households} households over ${layout.divisions.codes.length} division(s); ${((performance.now() - started) / 1000).toFixed(1)} s in all.`);
    return 0;
  },
};

export const REGISTRIES_COMMANDS: Command[] = [registriesGenerateCommand, registriesInstallCommand, registriesImportCommand, registriesExportCommand];
