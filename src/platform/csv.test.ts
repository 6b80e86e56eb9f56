// The streaming CSV parser and UTF-8 decoder: a file cut into chunks anywhere (inside a
// quoted field, between CR and LF, inside a doubled quote, inside a character) reads the same
// as the whole text, and bytes that are not UTF-8 are refused naming the line and GB18030.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvError, CsvParser, createUtf8Decoder, readCsv, type CsvRecord } from './csv.ts';

function chunked(text: string, cuts: number[]): CsvRecord[] {
  const records: CsvRecord[] = [];
  const parser = new CsvParser((r) => records.push(r));
  let at = 0;
  for (const cut of [...cuts, text.length]) {
    parser.push(text.slice(at, cut));
    at = cut;
  }
  parser.end();
  return records;
}

const SAMPLE = 'idNumber,name,hukouAddress\r\n110101199003071234,"张, 三","住址 ""东区""\r\n第二行"\r\n\r\n110101199003075678,李四,\n"",x,"y"\r"z",,\n';

test('a file cut into chunks anywhere reads the same as in one piece', () => {
  const whole = readCsv(SAMPLE);
  assert.deepEqual(whole, [
    { row: 1, fields: ['idNumber', 'name', 'hukouAddress'] },
    { row: 2, fields: ['110101199003071234', '张, 三', '住址 "东区"\r\n第二行'] },
    { row: 5, fields: ['110101199003075678', '李四', ''] },
    { row: 6, fields: ['', 'x', 'y'] },
    { row: 7, fields: ['z', '', ''] },
  ]);
  for (let cut = 0; cut <= SAMPLE.length; cut++) assert.deepEqual(chunked(SAMPLE, [cut]), whole, `cut at ${cut}`);
  for (let a = 0; a < SAMPLE.length; a += 3) for (let b = a; b < SAMPLE.length; b += 5) assert.deepEqual(chunked(SAMPLE, [a, b]), whole, `cuts at ${a}, ${b}`);
  assert.deepEqual(chunked('a,b', [1, 2]), [{ row: 1, fields: ['a', 'b'] }]);
});

test('broken quotes are refused naming the row, in chunks as in one piece', () => {
  assert.throws(() => chunked('a\n"x"y', [3]), (e: CsvError) => e.problem.code === 'csv_quote' && /Row 2/.test(e.message));
  assert.throws(() => chunked('a\nb\n"open', [5]), (e: CsvError) => e.problem.code === 'csv_quote' && /Row 3/.test(e.message) && /never closed/.test(e.message));
});

test('the streaming decoder joins characters cut between chunks, drops the BOM, and names the line of bad bytes', () => {
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('名称\n青云省\n')]);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const decoder = createUtf8Decoder();
    assert.equal(decoder.decode(bytes.subarray(0, cut)) + decoder.decode(bytes.subarray(cut)) + decoder.end(), '名称\n青云省\n', `cut at ${cut}`);
  }
  const gb = Buffer.concat([Buffer.from('a,b\n1,2\n'), Buffer.from([0xc7, 0xe0, 0xd4, 0xc6]), Buffer.from('\n')]); // 青云 in GB18030
  const decoder = createUtf8Decoder();
  assert.equal(decoder.decode(gb.subarray(0, 4)), 'a,b\n');
  assert.throws(() => decoder.decode(gb.subarray(4)), (e: CsvError) => e.problem.code === 'encoding_gb18030' && /line 3/.test(e.message));
  assert.throws(() => createUtf8Decoder().decode(Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x00])), (e: CsvError) => e.problem.code === 'encoding_not_utf8' && /line 2/.test(e.message));
  const truncated = createUtf8Decoder();
  truncated.decode(Buffer.from([0x61, 0xe9, 0x9d]));
  assert.throws(() => truncated.end(), (e: CsvError) => e.problem.code === 'encoding_not_utf8');
});
