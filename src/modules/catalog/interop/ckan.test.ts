// The CKAN Action API through HTTP: only published entries open to the public are there
// (a revision in progress shows the published version), CKAN's envelope and errors, the
// search language (q, fq, facets, sort, paging), organizations and tags; and a harvester
// that does what ckanext-harvest's CKAN harvester does, over a real socket.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { nameOfCode } from './open-entries.ts';
import { publisherName } from './publishers.ts';
import { seedCatalog, type Seeded } from './test-fixtures.ts';

let t: TestApp;
let s: Seeded;
/** Where the exports point (EGOV_PUBLIC_URL). */
let base: string;
before(async () => {
  t = await createTestApp({ env: { EGOV_PUBLIC_URL: 'https://data.example.gov.cn' } });
  base = t.services.catalog.interop.baseUrl;
  assert.equal(base, 'https://data.example.gov.cn', 'EGOV_PUBLIC_URL');
  s = await seedCatalog(t);
});
after(() => t.close());

type Envelope = { help: string; success: boolean; result?: any; error?: { __type: string; message: string; [k: string]: unknown } };

async function action(name: string, params: Record<string, string | number> = {}, method: 'GET' | 'POST' = 'GET') {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  const res = method === 'GET' ? await t.request('GET', `/api/3/action/${name}${query ? `?${query}` : ''}`) : await t.request('POST', `/api/3/action/${name}`, { body: params });
  return { status: res.statusCode, body: res.json as Envelope, headers: res.headers };
}

const openNames = () => [s.openA, s.openTheme, s.openC, s.revised].map((e) => nameOfCode(e.code)).sort();

test('package_list and package_show: open published entries only, in the envelope, anonymously', async () => {
  const list = await action('package_list');
  assert.equal(list.status, 200);
  assert.equal(list.body.success, true);
  assert.match(list.body.help, /\/api\/3\/action\/help_show\?name=package_list$/);
  assert.deepEqual(list.body.result, openNames());
  assert.deepEqual((await action('package_list', { limit: 2, offset: 1 })).body.result, openNames().slice(1, 3));

  const byId = await action('package_show', { id: s.openA.id });
  assert.equal(byId.status, 200);
  const pkg = byId.body.result;
  assert.equal(pkg.name, nameOfCode(s.openA.code));
  assert.match(pkg.name, /^[a-z0-9_-]+$/, 'a URL-safe name');
  assert.equal(pkg.title, '机动车违法停车热点');
  assert.deepEqual(pkg.title_translated, { zh: '机动车违法停车热点', en: 'Illegal parking hot spots' });
  assert.equal(pkg.notes, '按路段统计的机动车违法停车次数（“热点”），每月更新。');
  assert.equal(pkg.license_id, 'cc-by');
  assert.equal(pkg.isopen, true);
  assert.equal(pkg.organization.name, publisherName({ id: t.world.deptA.id, creditCode: t.world.deptA.creditCode }));
  assert.equal(pkg.organization.title, '浙江省公安厅');
  assert.deepEqual(pkg.tags.map((x: { name: string }) => x.name).sort(), ['交通', '停车', '热点'].sort());
  assert.deepEqual(pkg.groups.map((g: { name: string }) => g.name), ['theme-03']);
  assert.deepEqual(pkg.resources.map((r: { format: string }) => r.format), ['CSV', 'JSON']);
  assert.equal(pkg.resources[0].url, `${base}/open/datasets/${s.openA.id}/download.csv`);
  assert.match(pkg.metadata_modified, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
  const extras = Object.fromEntries(pkg.extras.map((e: { key: string; value: string }) => [e.key, e.value]));
  assert.equal(extras.resource_code, s.openA.code);
  assert.equal(extras.sharing_type, 'unconditional');
  assert.equal(extras.update_cycle, 'monthly');
  assert.deepEqual(JSON.parse(extras.data_items).map((d: { name: string }) => d.name), ['名称', '经度', '纬度']);
  assert.deepEqual((await action('package_show', { id: nameOfCode(s.openA.code) })).body.result, pkg, 'by name too');

  // A revision in progress: the published version is what the public sees.
  assert.equal((await action('package_show', { id: s.revised.id })).body.result.title, '公共停车场泊位');

  for (const hidden of [s.notOpen, s.draftOpen, s.submittedOpen, s.base]) {
    const res = await action('package_show', { id: hidden.id });
    assert.equal(res.status, 404, hidden.code);
    assert.equal(res.body.success, false);
    assert.equal(res.body.error!.__type, 'Not Found Error');
    assert.match(res.body.error!.message, /^Not found/);
  }
  const missing = await action('package_show');
  assert.equal(missing.status, 409);
  assert.equal(missing.body.error!.__type, 'Validation Error');
  assert.deepEqual(missing.body.error!.id, ['Missing value']);
});

test('package_search: words in Chinese and English, fq terms ANDed, facets, sort and paging; POST as GET', async () => {
  const names = (r: { body: Envelope }) => (r.body.result.results as { name: string }[]).map((p) => p.name);
  const parking = await action('package_search', { q: '停车' });
  assert.equal(parking.body.result.count, 2);
  assert.deepEqual(names(parking), [s.openA, s.revised].map((e) => nameOfCode(e.code)), 'the title, tag and description match first');
  assert.equal((await action('package_search', { q: 'schools' })).body.result.results[0].id, s.openC.id);

  const orgA = publisherName({ id: t.world.deptA.id, creditCode: t.world.deptA.creditCode });
  const byOrg = await action('package_search', { fq: `organization:${orgA}`, rows: 100 });
  assert.equal(byOrg.body.result.count, 3);
  assert.equal((await action('package_search', { fq: `organization:${orgA} tags:停车` })).body.result.count, 2);
  assert.equal((await action('package_search', { fq: `organization:${orgA} -tags:停车` })).body.result.count, 1);
  assert.equal((await action('package_search', { fq: 'res_format:CSV license_id:cc-zero' })).body.result.results[0].id, s.openC.id);
  assert.equal((await action('package_search', { fq: 'license_id:"浙江省公共数据开放许可协议"' })).body.result.results[0].id, s.openTheme.id);
  assert.equal((await action('package_search', { fq: 'tags:(交通 OR 安全生产)' })).body.result.count, 2);
  assert.equal((await action('package_search', { fq: 'groups:theme-03' })).body.result.count, 1);
  assert.equal((await action('package_search', { fq: 'metadata_modified:[NOW-1DAY TO *]' })).body.result.count, 4);
  assert.equal((await action('package_search', { fq: 'metadata_modified:[* TO 2000-01-01T00:00:00Z]' })).body.result.count, 0);

  const faceted = await action('package_search', { 'facet.field': JSON.stringify(['organization', 'tags', 'res_format', 'license_id']), rows: 0 });
  const r = faceted.body.result;
  assert.equal(r.count, 4);
  assert.deepEqual(r.results, []);
  assert.deepEqual(r.facets.res_format, { CSV: 4, JSON: 4 });
  assert.equal(r.facets.organization[orgA], 3);
  assert.deepEqual(r.search_facets.organization.items[0], { name: orgA, display_name: '浙江省公安厅', count: 3 });
  assert.equal(r.search_facets.tags.title, 'tags');
  assert.deepEqual(r.search_facets.tags.items.find((i: { name: string }) => i.name === '停车'), { name: '停车', display_name: '停车', count: 2 });
  assert.equal(r.search_facets.license_id.items.find((i: { name: string }) => i.name === 'cc-by').display_name, 'Creative Commons Attribution 4.0');

  const sorted = await action('package_search', { sort: 'name asc', rows: 2 });
  assert.deepEqual(names(sorted), openNames().slice(0, 2));
  assert.equal(sorted.body.result.sort, 'name asc');
  assert.deepEqual(names(await action('package_search', { sort: 'name asc', rows: 2, start: 2 })), openNames().slice(2));
  const newest = await action('package_search', { sort: 'metadata_modified desc', rows: 1 });
  assert.equal(newest.body.result.results[0].id, s.revised.id, 'published last');

  const post = await action('package_search', { q: '停车', 'facet.field': '["tags"]' }, 'POST');
  assert.equal(post.status, 200);
  assert.deepEqual(names(post), names(parking));
  assert.deepEqual(post.body.result.facets.tags, { 交通: 1, 停车: 2, 热点: 1 });
  const postList = await t.request('POST', '/api/3/action/package_search', { body: { fq: `organization:${orgA}`, 'facet.field': ['tags'], rows: 1 } });
  assert.equal(postList.json.result.count, 3, 'a JSON list and numbers in a POST body');
});

test('package_search refuses what it cannot read, with CKAN errors', async () => {
  const cases: [Record<string, string>, number, string, RegExp][] = [
    [{ fq: 'tags:(交通 OR' }, 400, 'Search Query Error', /ends where a term was expected/],
    [{ fq: 'tags:(交通' }, 400, 'Search Query Error', /never closed/],
    [{ fq: 'colour:red' }, 400, 'Search Query Error', /undefined field colour/],
    [{ fq: 'metadata_modified:[yesterday TO *]' }, 400, 'Search Query Error', /not a date/],
    [{ fq: 'metadata_modified:[2026-01-01' }, 400, 'Search Query Error', /never closed/],
    [{ q: '"unclosed' }, 400, 'Search Query Error', /quotation mark/],
    [{ sort: 'colour asc' }, 400, 'Search Query Error', /cannot sort by colour/],
    [{ sort: 'name sideways' }, 400, 'Search Query Error', /asc or desc/],
    [{ rows: 'ten' }, 409, 'Validation Error', /rows: Invalid integer/],
    [{ start: '-1' }, 409, 'Validation Error', /start: Must be a natural number/],
    [{ 'facet.field': '[organization' }, 409, 'Validation Error', /Could not parse as valid JSON/],
    [{ 'facet.field': '["colour"]' }, 400, 'Search Query Error', /cannot count colour/],
  ];
  for (const [params, status, type, message] of cases) {
    const res = await action('package_search', params);
    assert.equal(res.status, status, JSON.stringify(params));
    assert.equal(res.body.success, false);
    assert.equal(res.body.error!.__type, type, JSON.stringify(params));
    assert.match(res.body.error!.message, message, JSON.stringify(params));
  }
  const badJson = await t.http.inject({ method: 'POST', url: '/api/3/action/package_search', headers: { 'content-type': 'application/json' }, payload: '{"q": ' });
  assert.equal(badJson.statusCode, 400);
  assert.equal(badJson.json().error.__type, 'Bad Request');
  const notObject = await t.http.inject({ method: 'POST', url: '/api/3/action/package_search', headers: { 'content-type': 'application/json' }, payload: '[1]' });
  assert.equal(notObject.statusCode, 400);
  assert.match(notObject.json().error.message, /needs to be a dictionary/);
  // Rows above CKAN's maximum are capped, not refused.
  assert.equal((await action('package_search', { rows: 5000 })).status, 200);
});

test('organizations and tags', async () => {
  const orgA = publisherName({ id: t.world.deptA.id, creditCode: t.world.deptA.creditCode });
  const orgC = publisherName({ id: s.deptCId, creditCode: (await t.services.directory.service.getOrganization(s.deptCId)).creditCode });
  const names = (await action('organization_list')).body.result as string[];
  assert.deepEqual([...names].sort(), [orgA, orgC].sort(), 'the organizations that publish open data');
  const full = (await action('organization_list', { all_fields: 'true', sort: 'package_count desc' })).body.result;
  assert.deepEqual(
    full.map((o: { name: string; package_count: number }) => [o.name, o.package_count]),
    [
      [orgA, 3],
      [orgC, 1],
    ],
  );
  assert.equal(full[0].title, '浙江省公安厅');
  assert.equal(full[0].is_organization, true);

  const show = await action('organization_show', { id: orgC, include_datasets: 'true' });
  assert.equal(show.status, 200);
  assert.equal(show.body.result.package_count, 1);
  assert.equal(show.body.result.packages[0].id, s.openC.id);
  assert.equal((await action('organization_show', { id: t.world.deptA.id })).body.result.name, orgA, 'by id too');
  const none = await action('organization_show', { id: t.world.deptB.id });
  assert.equal(none.status, 404, 'the data bureau publishes no open dataset');
  assert.equal(none.body.error!.__type, 'Not Found Error');

  assert.deepEqual((await action('tag_list')).body.result, ['安全生产', '交通', '热点', '停车'].sort((a, b) => a.localeCompare(b, 'zh')));
  assert.deepEqual((await action('tag_list', { query: '停' })).body.result, ['停车']);
  assert.deepEqual((await action('tag_list', { query: '停', all_fields: 'true' })).body.result.map((x: { name: string }) => x.name), ['停车']);
});

test('unknown actions and paths under /api/3/ answer in CKAN JSON, never the workbench page', async () => {
  for (const url of ['/api/3/action/unknown', '/api/3/action/package_create', '/api/3/foo', '/api/3/action/package_show/extra']) {
    const res = await t.request('GET', url);
    assert.equal(res.statusCode, 404, url);
    assert.match(String(res.headers['content-type']), /application\/json/);
    assert.equal(res.json.success, false);
    assert.equal(res.json.error.__type, 'Not Found Error');
  }
  assert.deepEqual((await t.request('GET', '/api/3')).json, { version: 3 });
  const help = await action('help_show', { name: 'package_search' });
  assert.match(help.body.result, /fq/);
  // Signed in or not, the API is the same public one.
  assert.deepEqual((await t.request('GET', '/api/3/action/package_list', { as: t.world.officerA })).json.result, openNames());
});

test("a harvester doing what ckanext-harvest's CKAN harvester does, over real HTTP", async () => {
  const address = await t.http.listen({ port: 0, host: '127.0.0.1' });
  const origin = address.replace(/\/$/, '');
  const get = async (path: string) => {
    const res = await fetch(`${origin}${path}`);
    return { status: res.status, text: await res.text() };
  };
  // gather_stage → _search_for_datasets: rows=100, start paging, sort=id asc, fq joined by spaces.
  async function searchForDatasets(fqTerms: string[]) {
    const params: Record<string, string> = { rows: '100', start: '0', sort: 'id asc' };
    if (fqTerms.length) params.fq = fqTerms.join(' ');
    const found: Record<string, any>[] = [];
    const ids = new Set<string>();
    let previous: string | undefined;
    for (;;) {
      const { status, text } = await get(`/api/3/action/package_search?${new URLSearchParams(params)}`);
      assert.equal(status, 200, text);
      assert.notEqual(text, previous, "the paging doesn't seem to work");
      previous = text;
      const page = (JSON.parse(text).result?.results ?? []) as Record<string, any>[];
      for (const p of page) if (!ids.has(p.id)) found.push(p);
      page.forEach((p) => ids.add(p.id));
      if (page.length === 0) break;
      params.start = String(Number(params.start) + Number(params.rows));
    }
    return found;
  }
  const orgA = publisherName({ id: t.world.deptA.id, creditCode: t.world.deptA.creditCode });
  const orgC = publisherName({ id: s.deptCId, creditCode: (await t.services.directory.service.getOrganization(s.deptCId)).creditCode });
  const all = await searchForDatasets([]);
  assert.deepEqual(all.map((p) => p.id), [...all.map((p) => p.id)].sort(), 'sorted by id');
  assert.equal(all.length, 4);
  // organizations_filter_include, and "modified since the last job" as the harvester writes it (isoformat with microseconds + Z).
  const since = new Date(Date.now() - 3600_000).toISOString().replace('Z', '000Z');
  const filtered = await searchForDatasets([[orgA, orgC].map((o) => `organization:${o}`).join(' OR '), `metadata_modified:[${since} TO *]`]);
  assert.equal(filtered.length, 4);
  const excluded = await searchForDatasets([`-organization:${orgA}`]);
  assert.deepEqual(excluded.map((p) => p.id), [s.openC.id]);
  const future = new Date(Date.now() + 3600_000).toISOString().replace('Z', '000Z');
  assert.deepEqual(await searchForDatasets([`metadata_modified:[${future} TO *]`]), [], 'nothing changed since');
  // import_stage works from the search results; older harvesters fetch each with package_show: the same dictionary.
  for (const pkg of all) {
    assert.ok(pkg.resources.every((r: { url: string }) => r.url.startsWith(`${base}/open/datasets/`)));
    const shown = await get(`/api/3/action/package_show?id=${encodeURIComponent(pkg.name)}`);
    assert.deepEqual(JSON.parse(shown.text).result, pkg);
  }
  // _get_organization for remote_orgs=create.
  const org = JSON.parse((await get(`/api/3/action/organization_show?id=${orgA}`)).text);
  assert.equal(org.result.name, orgA);
});
