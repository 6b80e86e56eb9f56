// CKAN's search language, unit by unit: what the parser makes of harvesters' filters, Solr
// date maths, sort specs, and the messages a bad query gets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matches, parseQuery, parseSolrDate, parseSort, SearchQueryError, words, type Doc } from './ckan-query.ts';

const doc = (o: { org?: string; tags?: string[]; modified?: string; title?: string }): Doc => ({
  strings: { organization: [o.org ?? 'a'], tags: o.tags ?? [], res_format: ['CSV', 'JSON'], license_id: ['cc-by'] },
  texts: { title: (o.title ?? '').toLowerCase(), text: (o.title ?? '').toLowerCase() },
  dates: { metadata_modified: new Date(o.modified ?? '2026-03-01T00:00:00Z') },
  numbers: { num_tags: (o.tags ?? []).length },
});
const now = new Date('2026-03-02T12:00:00Z');
const hit = (q: string, d: Doc) => matches(parseQuery(q), d, now);

test("OR binds tighter than the implicit AND, as ckanext-harvest writes its filters", () => {
  const q = 'organization:a OR organization:b metadata_modified:[2026-02-28T11:00:00.123456Z TO *]';
  assert.deepEqual(parseQuery(q), {
    kind: 'and',
    items: [
      { kind: 'or', items: [{ kind: 'term', field: 'organization', value: 'a', quoted: false }, { kind: 'term', field: 'organization', value: 'b', quoted: false }] },
      { kind: 'range', field: 'metadata_modified', from: '2026-02-28T11:00:00.123456Z', to: '*', includeFrom: true, includeTo: true },
    ],
  });
  assert.equal(hit(q, doc({ org: 'b' })), true);
  assert.equal(hit(q, doc({ org: 'c' })), false);
  assert.equal(hit(q, doc({ org: 'a', modified: '2026-01-01T00:00:00Z' })), false);
  assert.equal(hit('-organization:a -organization:b', doc({ org: 'c' })), true);
  assert.equal(hit('NOT organization:a', doc({ org: 'a' })), false);
});

test('values: quoted, grouped, wildcards, escapes, exclusive ranges, *:*', () => {
  const d = doc({ tags: ['空气 质量', 'air-quality'], title: '空气质量监测 Air quality' });
  assert.equal(hit('tags:"空气 质量"', d), true);
  assert.equal(hit('tags:(水 OR air-quality)', d), true);
  assert.equal(hit('tags:(水 AND air-quality)', d), false);
  assert.equal(hit('tags:air*', d), true);
  assert.equal(hit('tags:air\\-quality', d), true);
  assert.equal(hit('num_tags:{2 TO *]', d), false);
  assert.equal(hit('num_tags:[2 TO *]', d), true);
  assert.equal(hit('*:*', d), true);
  assert.equal(hit('空气 监测', d), true, 'free words: all of them, Chinese segmented');
  assert.equal(hit('空气 交通', d), false);
  assert.equal(hit('title:quality res_format:csv', d), true, 'string fields match case-insensitively');
  assert.deepEqual(words('城市空气质量'), ['城市', '空气', '质量']);
});

test('Solr dates: ISO with or without zone, NOW maths, rounding', () => {
  assert.equal(parseSolrDate('2026-01-31', now)!.toISOString(), '2026-01-31T00:00:00.000Z');
  assert.equal(parseSolrDate('2026-01-31T08:00:00', now)!.toISOString(), '2026-01-31T08:00:00.000Z', 'UTC when no zone is given');
  assert.equal(parseSolrDate('2026-01-31T08:00:00+08:00', now)!.toISOString(), '2026-01-31T00:00:00.000Z');
  assert.equal(parseSolrDate('NOW-1DAY', now)!.toISOString(), '2026-03-01T12:00:00.000Z');
  assert.equal(parseSolrDate('NOW/DAY', now)!.toISOString(), '2026-03-02T00:00:00.000Z');
  assert.equal(parseSolrDate('NOW-1MONTH/MONTH', now)!.toISOString(), '2026-02-01T00:00:00.000Z');
  assert.equal(parseSolrDate('*', now), undefined);
  assert.throws(() => parseSolrDate('NOW-1FORTNIGHT', now), /unknown date unit FORTNIGHT/);
  assert.throws(() => parseSolrDate('last week', now), SearchQueryError);
});

test('sort specs and bad queries', () => {
  assert.deepEqual(parseSort('metadata_modified desc, name asc'), [
    { field: 'metadata_modified', desc: true },
    { field: 'name', desc: false },
  ]);
  assert.deepEqual(parseSort('title'), [{ field: 'title', desc: false }]);
  for (const [q, message] of [
    ['tags:(a OR b', /never closed/],
    ['"open', /quotation mark/],
    ['metadata_modified:[2026 TO', /never closed/],
    ['metadata_modified:[2026-01-01]', /must read \[FROM TO TO\]/],
    ['OR tags:a', /nothing before it/],
    ['tags:a )', /unexpected "\)"/],
    ['colour:red', /undefined field colour/],
    ['tags:', /no value after the colon/],
  ] as const) {
    assert.throws(() => parseQuery(q), message, q);
  }
  assert.throws(() => parseSort('name up'), /asc or desc/);
});
