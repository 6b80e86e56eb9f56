import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import test from 'node:test';
import { checkCreditCode } from '../../../platform/codes/credit-code.ts';
import { createDivisionIndex } from '../../../platform/codes/division.ts';
import { parseIdNumber } from '../../../platform/codes/id-number.ts';
import { ETHNICITY } from '../definitions/code-lists.ts';
import { LEGAL_ENTITIES } from '../definitions/legal-entities.ts';
import { POPULATION } from '../definitions/population.ts';
import { yearsBetween } from './dates.ts';
import { createPopulation, ENTITY_FIELDS, expandDivisions, generatePersons, PERSON_FIELDS, type EntityRecord, type GenerateOptions, type PersonRecord } from './generate.ts';
import { csvField, writeRecords } from './output.ts';

const MAIN = path.resolve(import.meta.dirname, '../../../main.ts');
const AS_OF = '2026-01-01';
const divisions = createDivisionIndex();

function generate(options: GenerateOptions) {
  const population = createPopulation(options);
  return { persons: [...population.persons()], entities: [...population.entities()], layout: population.layout };
}

function hashOf(options: GenerateOptions): string {
  const population = createPopulation(options);
  const hash = crypto.createHash('sha256');
  for (const p of population.persons()) hash.update(JSON.stringify(p) + '\n');
  for (const e of population.entities()) hash.update(JSON.stringify(e) + '\n');
  return hash.digest('hex');
}

const isCounty = (code: string) => divisions.find(code)?.level === 'county' && /^\d{6}$/.test(code);

// One population most tests look at: large enough for every household kind, small enough to hold.
const sample = generate({ persons: 20_000, entities: 2_000 });
const byId = new Map(sample.persons.map((p) => [p.idNumber, p]));

test('the same options give the same records; another seed gives others', () => {
  const again = generate({ persons: 20_000, entities: 2_000 });
  assert.deepEqual(again.persons.slice(0, 500), sample.persons.slice(0, 500));
  assert.deepEqual(again.entities.slice(0, 100), sample.entities.slice(0, 100));
  const first = hashOf({ persons: 20_000, entities: 2_000 });
  assert.equal(hashOf({ persons: 20_000, entities: 2_000, seed: 2026, asOf: AS_OF }), first);
  assert.notEqual(hashOf({ persons: 20_000, entities: 2_000, seed: 7 }), first);
  assert.notEqual(hashOf({ persons: 20_000, entities: 2_000, asOf: '2025-06-30' }), first);
  // A prefix of a larger population is not promised (the last household is cut), but the
  // households before it are the same: the population grows without rewriting itself.
  const larger = [...generatePersons({ persons: 30_000 })];
  assert.deepEqual(larger.slice(0, 19_990), sample.persons.slice(0, 19_990));
});

test('exactly the requested counts, with only the fields of the registry definitions', () => {
  assert.equal(sample.persons.length, 20_000);
  assert.equal(sample.entities.length, 2_000);
  for (const [records, definition] of [[sample.persons, POPULATION], [sample.entities, LEGAL_ENTITIES]] as const) {
    const names = new Set(definition.fields.map((f) => f.name));
    const required = definition.fields.filter((f) => f.required).map((f) => f.name);
    for (const record of records as object[]) {
      for (const [key, value] of Object.entries(record)) {
        assert.ok(names.has(key), `${key} is not a field of ${definition.name}`);
        assert.ok(typeof value === 'string' ? value.length > 0 : Array.isArray(value), `${key} is empty`);
      }
      for (const key of required) assert.ok((record as Record<string, unknown>)[key], `${definition.name} record lacks ${key}`);
    }
  }
  for (const n of [1, 2, 3, 5, 7, 11]) assert.equal([...generatePersons({ persons: n, seed: n })].length, n);
});

test('every ID number is valid and agrees with sex, birth date and hukou division', () => {
  for (const p of sample.persons) {
    const parsed = parseIdNumber(p.idNumber);
    assert.ok('normalized' in parsed, `${p.idNumber}: ${JSON.stringify(parsed)}`);
    assert.equal(parsed.birthDate, p.birthDate);
    assert.equal(parsed.sex, p.sex === '1' ? 'male' : 'female');
    assert.equal(p.idNumber.slice(0, 6), p.hukouDivision);
    assert.ok(isCounty(p.hukouDivision) && isCounty(p.currentDivision), `${p.hukouDivision} / ${p.currentDivision}`);
    assert.ok(p.birthDate < AS_OF);
    const age = yearsBetween(p.birthDate, p.deathDate ?? AS_OF);
    assert.ok(age >= 0 && age <= 100, `${p.idNumber} aged ${age}`);
    assert.ok(ETHNICITY[p.ethnicity], p.ethnicity);
    assert.ok(['10', '20', '30', '40'].includes(p.maritalStatus));
    assert.ok(p.name.length >= 2 && p.name.length <= 4, p.name);
    assert.ok(p.hukouAddress.length > 4 && p.currentAddress.length > 4);
    if (p.formerName) assert.notEqual(p.formerName, p.name);
    if (p.status === 'deceased') assert.ok(p.deathDate && p.deathDate > p.birthDate && p.deathDate < AS_OF, p.idNumber);
    else assert.equal(p.deathDate, undefined);
  }
});

test('families hold together: parents and spouses exist, spouses are mutual, parents are 20–40 years older', () => {
  let links = 0;
  for (const p of sample.persons) {
    for (const [ref, sex] of [[p.fatherId, '1'], [p.motherId, '2']] as const) {
      if (!ref) continue;
      links++;
      const parent = byId.get(ref);
      assert.ok(parent, `${p.idNumber}'s parent ${ref} is not in the population`);
      assert.notEqual(ref, p.idNumber);
      assert.equal(parent.sex, sex);
      assert.equal(parent.hukouDivision, p.hukouDivision, 'children share the household hukou');
      const gap = yearsBetween(parent.birthDate, p.birthDate);
      assert.ok(gap >= 20 && gap < 40, `${ref} is ${gap} years older than ${p.idNumber}`);
    }
    if (p.spouseId) {
      const spouse = byId.get(p.spouseId);
      assert.ok(spouse, `spouse ${p.spouseId} is missing`);
      assert.equal(spouse.spouseId, p.idNumber, 'spouses are mutual');
      assert.notEqual(spouse.sex, p.sex);
      assert.deepEqual([p.maritalStatus, spouse.maritalStatus, p.status, spouse.status], ['20', '20', 'living', 'living']);
      assert.ok(yearsBetween(p.birthDate, AS_OF) >= (p.sex === '1' ? 22 : 20));
    } else {
      assert.notEqual(p.maritalStatus, '20', `${p.idNumber} is married to no one`);
    }
    if (p.status !== 'living') assert.notEqual(p.maritalStatus, '20');
  }
  assert.ok(links > 8_000, `only ${links} parent links`);
  const share = (f: (p: PersonRecord) => boolean) => sample.persons.filter(f).length / sample.persons.length;
  assert.ok(share((p) => p.status === 'deceased') > 0.005 && share((p) => p.status === 'emigrated') > 0.001);
  const han = share((p) => p.ethnicity === '01');
  assert.ok(han > 0.88 && han < 0.94, `Han share ${han}`);
  assert.ok(share((p) => p.currentDivision !== p.hukouDivision) > 0.05);
  assert.ok(share((p) => Boolean(p.formerName)) > 0.005);
});

test('names look real: common surnames lead, two-character surnames occur, given names follow the decade', () => {
  const persons = [...generatePersons({ persons: 200_000, seed: 11 })];
  const counts = new Map<string, number>();
  let compound = 0;
  for (const p of persons) {
    const two = /^(欧阳|司马|上官|诸葛|司徒|东方|皇甫|令狐|慕容|尉迟)/.test(p.name);
    if (two) compound++;
    else counts.set(p.name[0], (counts.get(p.name[0]) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([s]) => s);
  assert.ok(['王', '李', '张'].every((s) => top.includes(s)), top.join(''));
  assert.ok(compound > 20, `${compound} compound surnames`);
  const topGiven = (f: (p: PersonRecord) => boolean) => {
    const c = new Map<string, number>();
    for (const p of persons.filter(f)) if (!/^(欧阳|司马|上官|诸葛|司徒|东方|皇甫|令狐|慕容|尉迟)/.test(p.name)) c.set(p.name.slice(1), (c.get(p.name.slice(1)) ?? 0) + 1);
    return new Set([...c].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([g]) => g));
  };
  const oldWomen = topGiven((p) => p.sex === '2' && p.birthDate < '1960');
  const girls = topGiven((p) => p.sex === '2' && p.birthDate >= '2005');
  assert.equal([...oldWomen].filter((g) => girls.has(g)).length, 0, `${[...oldWomen]} / ${[...girls]}`);
  assert.notDeepEqual(topGiven((p) => p.sex === '1' && p.birthDate >= '1990'), girls);
});

test('ID numbers are unique in 200,000 persons, over the national list and crowded into 8 counties', () => {
  const crowded = expandDivisions(['330102', '330105', '330106', '330108', '330109', '330110', '330111', '330112']);
  assert.equal(crowded.length, 8);
  for (const options of [{ persons: 200_000, seed: 1 }, { persons: 200_000, seed: 2, divisions: crowded }]) {
    const population = createPopulation(options);
    if (options.divisions) assert.ok(population.layout.residues > 1, 'the crowded case must exercise the date residues');
    const seen = new Set<string>();
    for (const p of population.persons()) {
      assert.ok(!seen.has(p.idNumber), `duplicate ${p.idNumber}`);
      seen.add(p.idNumber);
      const parsed = parseIdNumber(p.idNumber);
      assert.ok('normalized' in parsed && parsed.birthDate === p.birthDate, p.idNumber);
    }
    assert.equal(seen.size, 200_000);
  }
});

test('too many persons for the divisions is refused rather than risking a duplicate', () => {
  assert.throws(() => createPopulation({ persons: 100_000, divisions: ['330106'] }), /more divisions/);
  assert.throws(() => createPopulation({ persons: 10, divisions: ['330100'] }), /not a county-level division/);
  assert.throws(() => createPopulation({ persons: 0, entities: 5 }), /need persons/);
  assert.equal(expandDivisions(['330100']).every((c) => c.startsWith('3301')), true);
});

test('entities: valid unique credit codes that agree with type and division; representatives are living adults of the population', () => {
  const codes = new Set<string>();
  const types = new Map<string, number>();
  for (const e of sample.entities) {
    assert.equal(checkCreditCode(e.creditCode), undefined, e.creditCode);
    assert.ok(!codes.has(e.creditCode), `duplicate ${e.creditCode}`);
    codes.add(e.creditCode);
    assert.equal(e.creditCode.slice(0, 2), e.entityType);
    assert.equal(e.creditCode.slice(2, 8), e.divisionCode);
    assert.ok(isCounty(e.divisionCode));
    types.set(e.entityType, (types.get(e.entityType) ?? 0) + 1);
    const rep = byId.get(e.legalRepId);
    assert.ok(rep, `representative ${e.legalRepId} is not in the population`);
    assert.equal(rep.name, e.legalRepName);
    assert.equal(rep.status, 'living');
    assert.ok(yearsBetween(rep.birthDate, e.establishedDate) >= 18, `${e.legalRepId} was under 18 on ${e.establishedDate}`);
    assert.ok(e.establishedDate < AS_OF);
    assert.equal(e.registrationAuthority, `${e.registrationAuthority.replace(/市场监督管理局$/, '')}市场监督管理局`);
    assert.ok(e.registrationAuthority.includes(divisions.find(e.divisionCode)!.name), e.registrationAuthority);
    if (e.entityType === '92') assert.equal(e.registeredCapital, undefined);
    else assert.match(e.registeredCapital!, /^[1-9]\d*\.00$/);
    if (e.entityType === '91') assert.match(e.name, /公司$/);
    if (e.entityType === '92') assert.match(e.name, /店$/);
    if (e.entityType === '93') assert.match(e.name, /专业合作社$/);
    if (e.formerNames) assert.ok(e.formerNames.length > 0 && e.formerNames.every((n) => n !== e.name));
    assert.ok(e.businessScope.length > 4);
  }
  assert.ok(types.get('91')! > 1_200 && types.get('92')! > 200 && types.get('93')! > 30, JSON.stringify([...types]));
  assert.ok(sample.entities.some((e) => e.status !== 'active') && sample.entities.some((e) => e.formerNames));
});

test('CSV fields are quoted by RFC 4180 and lists joined with semicolons', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(['甲公司', '乙公司']), '甲公司;乙公司');
  assert.equal(csvField(undefined), '');
});

test('the writer waits for a slow stream and loses nothing', async () => {
  const chunks: string[] = [];
  let pending = 0;
  const slow = new Writable({
    highWaterMark: 1024,
    write(chunk, _enc, done) {
      pending++;
      setTimeout(() => {
        chunks.push(String(chunk));
        pending--;
        done();
      }, 1);
    },
  });
  const records = sample.entities.slice(0, 1_500);
  const n = await writeRecords(slow, records, { format: 'csv', fields: ENTITY_FIELDS });
  assert.equal(n, 1_500);
  assert.equal(pending, 0);
  const lines = chunks.join('').split('\r\n');
  assert.equal(lines[0], ENTITY_FIELDS.join(','));
  assert.equal(lines.length, 1_502); // header, records, and the empty string after the last CRLF
  const failing = new Writable({ write: (_c, _e, done) => done(new Error('disk full')) });
  await assert.rejects(writeRecords(failing, sample.persons, { format: 'jsonl', fields: PERSON_FIELDS }), /disk full/);
});

/** A small RFC 4180 reader for the CLI test. */
function readCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      (row = []), (field = ''), i++;
    } else field += c;
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

test('egov registries generate writes both files, in CSV and JSON Lines, the same for the same seed', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-generate-'));
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, 'registries', 'generate', ...args], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  try {
    const csv = run('--persons', '600', '--entities', '50', '--province', '33', '--format', 'csv', '--out', 'csv');
    assert.equal(csv.status, 0, csv.stderr);
    assert.match(csv.stdout, /600 persons/);
    const persons = readCsv(fs.readFileSync(path.join(dir, 'csv/persons.csv'), 'utf8'));
    const entities = readCsv(fs.readFileSync(path.join(dir, 'csv/entities.csv'), 'utf8'));
    assert.deepEqual([persons.length, entities.length], [600, 50]);
    assert.deepEqual(Object.keys(persons[0]), [...PERSON_FIELDS]);
    assert.ok(persons.every((p) => p.hukouDivision.startsWith('33') && 'normalized' in parseIdNumber(p.idNumber)));
    const names = new Map(persons.map((p) => [p.idNumber, p.name]));
    assert.ok(entities.every((e) => names.get(e.legalRepId) === e.legalRepName && checkCreditCode(e.creditCode) === undefined));

    const jsonl = run('--persons', '600', '--entities', '50', '--province', '33');
    assert.equal(jsonl.status, 0, jsonl.stderr);
    const fromJson = fs.readFileSync(path.join(dir, 'persons.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as PersonRecord);
    assert.deepEqual(fromJson.map((p) => p.idNumber), persons.map((p) => p.idNumber));
    const entityLines = fs.readFileSync(path.join(dir, 'entities.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as EntityRecord);
    assert.deepEqual(entityLines.map((e) => e.creditCode), entities.map((e) => e.creditCode));

    const bad = run('--persons', 'many');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--persons takes a whole number/);
    const unknown = run('--persons', '10', '--divisions', '339999');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /339999 is not a division/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
