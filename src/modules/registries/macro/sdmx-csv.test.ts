// The CSV reader and the SDMX-CSV and plain CSV parsers on their own: quoting, encodings,
// both SDMX-CSV versions, labels beside codes, and the report of rows that do not fit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvError, decodeUtf8, readCsv } from '../../../platform/csv.ts';
import { frequencyOfPeriod, normalizePeriod, parseValue, periodProblem } from './model.ts';
import { ColumnsError, detectFormat, parsePlainCsv, parseSdmxCsv } from './sdmx-csv.ts';

test('RFC 4180: quotes, doubled quotes, line breaks inside quotes, CRLF, blank lines', () => {
  const records = readCsv('a,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n\r\n1,,3');
  assert.deepEqual(records, [
    { row: 1, fields: ['a', 'b', 'c'] },
    { row: 2, fields: ['x, y', 'say "hi"', 'two\nlines'] },
    { row: 5, fields: ['1', '', '3'] },
  ]);
  assert.throws(() => readCsv('a\n"open'), (e: CsvError) => e.problem.code === 'csv_quote' && /Row 2/.test(e.message));
  assert.throws(() => readCsv('a\n"x"y'), (e: CsvError) => e.problem.code === 'csv_quote');
});

test('UTF-8 with or without a BOM is read; GB18030 and other bytes are refused, naming the line', () => {
  assert.equal(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('地区')])), '地区');
  assert.equal(decodeUtf8(new Uint8Array(Buffer.from('地区'))), '地区');
  const gb = new Uint8Array([...Buffer.from('a\n'), 0xb5, 0xd8, 0xc7, 0xf8]); // 地区 in GB18030
  assert.throws(() => decodeUtf8(gb), (e: CsvError) => e.problem.code === 'encoding_gb18030' && /line 2/.test(e.message));
  assert.throws(() => decodeUtf8(new Uint8Array([0x61, 0xff])), (e: CsvError) => e.problem.code === 'encoding_not_utf8');
});

test('periods by frequency, and the SDMX spellings of them', () => {
  assert.equal(frequencyOfPeriod('2024'), 'A');
  assert.equal(frequencyOfPeriod('2024-Q3'), 'Q');
  assert.equal(frequencyOfPeriod('2024-07'), 'M');
  assert.equal(frequencyOfPeriod('2024-13'), undefined);
  assert.deepEqual(['2024-A1', '2024Q3', '2024-M07', '2024-Q1'].map(normalizePeriod), ['2024', '2024-Q3', '2024-07', '2024-Q1']);
  assert.equal(periodProblem('p', '2024-Q3', 'A')?.code, 'period_frequency');
  assert.equal(periodProblem('p', '24', 'A')?.code, 'period_format');
  assert.equal(periodProblem('p', '2024-07', 'M'), undefined);
  assert.deepEqual(parseValue('v', ' 12.50 '), { value: '12.5' });
  assert.deepEqual(parseValue('v', '-3e2'), { value: '-300' });
  const commas = parseValue('v', '12,345');
  assert.ok('error' in commas && /thousands separators/.test(commas.error.message));
  const huge = parseValue('v', '1e16');
  assert.ok('error' in huge && huge.error.code === 'value_out_of_range');
});

test('plain CSV: columns in any order, status optional, rows of the wrong width reported', () => {
  const parsed = parsePlainCsv('value,period,region,indicator\n1.5,2024,990100,GDP\n2,2023\n');
  assert.deepEqual(parsed.rows, [{ row: 2, indicator: 'GDP', region: '990100', period: '2024', value: '1.5', status: 'A' }]);
  assert.deepEqual(parsed.report.map((r) => [r.row, r.field, r.code]), [[3, 'columns', 'row_width']]);
  assert.throws(() => parsePlainCsv('indicator,region,year,value\n'), (e: ColumnsError) => e.problem.code === 'columns_unknown' && /year/.test(e.message));
  assert.throws(() => parsePlainCsv('indicator,region,value\n'), (e: ColumnsError) => e.problem.code === 'columns_missing' && /period/.test(e.message));
  assert.equal(detectFormat('\ufeffDATAFLOW,REF_AREA'), 'sdmx-csv');
  assert.equal(detectFormat('"STRUCTURE",STRUCTURE_ID'), 'sdmx-csv');
  assert.equal(detectFormat('indicator,region'), 'csv');
});

test('SDMX-CSV 1.0 with labels, FREQ and missing values', () => {
  const parsed = parseSdmxCsv(
    [
      'DATAFLOW,FREQ: Frequency,INDICATOR: Indicator,REF_AREA: Reference area,TIME_PERIOD: Time,OBS_VALUE,OBS_STATUS: Status',
      'QY:MACRO(1.0),Q: Quarterly,GDP_Q: GDP,990100: 云州市,2024-Q1,951.2,P: Provisional',
      'QY:MACRO(1.0),Q,GDP_Q,990200,2024-Q1,NaN,M',
      'QY:MACRO(1.0),Q,GDP_Q,990200,2024-Q2,,A',
    ].join('\n'),
  );
  assert.deepEqual(parsed.rows, [{ row: 2, indicator: 'GDP_Q', region: '990100', period: '2024-Q1', value: '951.2', status: 'P', frequency: 'Q' }]);
  assert.equal(parsed.skipped, 1);
  assert.deepEqual(parsed.report.map((r) => [r.row, r.field, r.code]), [[4, 'OBS_VALUE', 'value_missing']]);
});

test('SDMX-CSV 2.0: STRUCTURE_ID required, actions, a custom mapping', () => {
  const head = 'STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,ACTION,FREQ,SERIES,AREA,TIME_PERIOD,OBS_VALUE';
  const parsed = parseSdmxCsv(`${head}\ndataflow,QY:MACRO(1.0),Macro,R,A,POP,990100,2024,622.7\ndataflow,QY:MACRO(1.0),Macro,D,A,POP,990200,2024,1\n`, { indicator: 'series', region: 'area' });
  assert.deepEqual(parsed.rows.map((r) => [r.indicator, r.region, r.period, r.value]), [['POP', '990100', '2024', '622.7']]);
  assert.deepEqual(parsed.report.map((r) => [r.row, r.field, r.code]), [[3, 'ACTION', 'action_unsupported']]);
  assert.throws(() => parseSdmxCsv(head), (e: ColumnsError) => e.problem.code === 'columns_missing' && /INDICATOR, REF_AREA/.test(e.message));
  assert.throws(() => parseSdmxCsv('STRUCTURE,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE\n'), (e: ColumnsError) => /STRUCTURE_ID/.test(e.message));
  assert.throws(() => parseSdmxCsv('indicator,region\n'), (e: ColumnsError) => e.problem.code === 'columns_not_sdmx');
});
