// Issue 14, item 11, end to end against the real binary on every engine: the management API lists
// users, connected apps, M2M clients and organizations with GET and `limit`/`cursor` query
// parameters, answering the same shape, order and cursors as POST .../search.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GatehouseProcess, engines } from './lib/server.mjs';
import { createUser, createClient } from './lib/flow.mjs';

// Each listed collection: its path, the key of its items (the same as its search's), the id field
// of an item, and how the test makes one.
const LISTS = [
  { path: '/v1/users', key: 'results', id: 'user_id',
    create: async (gh) => (await createUser(gh)).user_id },
  { path: '/v1/connected_apps/clients', key: 'connected_apps', id: 'client_id',
    create: async (gh) => (await createClient(gh, { client_type: 'third_party' })).client_id },
  { path: '/v1/m2m/clients', key: 'm2m_clients', id: 'client_id',
    create: async (gh, n) => {
      const r = await gh.api('POST', '/v1/m2m/clients', { client_name: `worker ${n}`, scopes: ['read'] });
      assert.equal(r.status, 200, r.text);
      return r.json.m2m_client.client_id;
    } },
  { path: '/v1/organizations', key: 'organizations', id: 'organization_id',
    create: async (gh, n) => {
      const r = await gh.api('POST', '/v1/organizations',
        { organization_name: `Org ${n}`, organization_slug: `org-${n}` });
      assert.equal(r.status, 200, r.text);
      return r.json.organization.organization_id;
    } },
];

const CREATED = 5;

function assertBadRequest(r, mentions) {
  assert.equal(r.status, 400, `${r.status} ${r.text}`);
  assert.equal(r.json?.status_code, 400, r.text);
  assert.ok(r.json?.error_message?.includes(mentions), `error_message names ${mentions}: ${r.text}`);
}

for (const engine of engines()) {
  describe(`item 11: GET list endpoints page with limit and cursor (${engine})`, () => {
    let gh;
    const created = new Map();  // path -> ids made by the test

    before(async () => {
      gh = await new GatehouseProcess({ engine }).start();
      for (const list of LISTS) {
        const ids = [];
        for (let n = 0; n < CREATED; ++n) ids.push(await list.create(gh, n));
        created.set(list.path, ids);
      }
    });
    after(async () => { await gh?.stop(); });

    for (const list of LISTS) {
      test(`GET ${list.path} walks every item once, in search's order, with limit=2`, async () => {
        const all = await gh.api('POST', `${list.path}/search`, { limit: 1000 });
        assert.equal(all.status, 200, all.text);
        const expected = all.json[list.key].map((item) => item[list.id]);
        for (const id of created.get(list.path)) assert.ok(expected.includes(id), id);

        const seen = [];
        let cursor = null;
        let pages = 0;
        do {
          const query = cursor === null ? '?limit=2' : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
          const page = await gh.api('GET', `${list.path}${query}`);
          assert.equal(page.status, 200, page.text);
          assert.equal(page.json.status_code, 200);
          const items = page.json[list.key];
          assert.ok(Array.isArray(items), page.text);
          assert.ok(items.length >= 1 && items.length <= 2, page.text);
          const meta = page.json.results_metadata;
          assert.equal(meta.total, expected.length, page.text);
          seen.push(...items.map((item) => item[list.id]));
          cursor = meta.next_cursor;
          if (seen.length < expected.length) {
            assert.equal(typeof cursor, 'string', `a next_cursor while items remain: ${page.text}`);
            assert.ok(cursor.length > 0);
          } else {
            assert.equal(cursor, null, `the last page has no next_cursor: ${page.text}`);
          }
          ++pages;
        } while (cursor !== null && pages < 20);
        assert.deepEqual(seen, expected, 'every item exactly once, in order');
        assert.equal(pages, Math.ceil(expected.length / 2));

        // The default page holds everything here; an empty cursor is the first page.
        const whole = await gh.api('GET', `${list.path}?cursor=`);
        assert.equal(whole.status, 200, whole.text);
        assert.deepEqual(whole.json[list.key].map((item) => item[list.id]), expected);
        assert.equal(whole.json.results_metadata.next_cursor, null);
        // A list is the search without filters: the same items, rendered alike.
        assert.deepEqual(whole.json[list.key], all.json[list.key]);
      });

      test(`GET ${list.path} and POST ${list.path}/search share cursors`, async () => {
        const first = await gh.api('GET', `${list.path}?limit=3`);
        assert.equal(first.status, 200, first.text);
        const cursor = first.json.results_metadata.next_cursor;
        assert.equal(typeof cursor, 'string', first.text);
        const viaGet = await gh.api('GET', `${list.path}?limit=3&cursor=${encodeURIComponent(cursor)}`);
        const viaSearch = await gh.api('POST', `${list.path}/search`, { limit: 3, cursor });
        assert.equal(viaGet.status, 200, viaGet.text);
        assert.equal(viaSearch.status, 200, viaSearch.text);
        assert.deepEqual(viaGet.json[list.key], viaSearch.json[list.key]);
        assert.deepEqual(viaGet.json.results_metadata, viaSearch.json.results_metadata);
      });

      test(`GET ${list.path} refuses a bad limit, cursor or parameter with 400`, async () => {
        for (const limit of ['abc', '0', '-1', '1001', '99999999999999999999', '2.5', '', ' 2', '0x10', '+2']) {
          assertBadRequest(await gh.api('GET', `${list.path}?limit=${encodeURIComponent(limit)}`), 'limit');
        }
        assert.equal((await gh.api('GET', `${list.path}?limit=1000`)).status, 200);
        assertBadRequest(await gh.api('GET', `${list.path}?limit=2&limit=3`), 'limit');
        for (const cursor of ['!!', 'not a cursor', Buffer.from('garbage').toString('base64url')]) {
          assertBadRequest(await gh.api('GET', `${list.path}?cursor=${encodeURIComponent(cursor)}`),
            'cursor');
          assertBadRequest(await gh.api('POST', `${list.path}/search`, { cursor }), 'cursor');
        }
        assertBadRequest(await gh.api('GET', `${list.path}?offset=2`), 'offset');
        assertBadRequest(await gh.api('GET', `${list.path}?limit=2&email=a@example.com`), 'email');
        assertBadRequest(await gh.api('GET', `${list.path}?limit=%zz`), 'query');
      });

      test(`GET ${list.path} refuses another list's cursor`, async () => {
        const other = LISTS.find((l) => l !== list);
        const page = await gh.api('GET', `${other.path}?limit=1`);
        const foreign = page.json.results_metadata.next_cursor;
        assert.equal(typeof foreign, 'string', page.text);
        assertBadRequest(await gh.api('GET', `${list.path}?cursor=${encodeURIComponent(foreign)}`),
          'cursor');
        assertBadRequest(await gh.api('POST', `${list.path}/search`, { cursor: foreign }), 'cursor');
      });

      test(`GET ${list.path} needs the project credentials`, async () => {
        const anonymous = await fetch(`${gh.url}${list.path}?limit=2`);
        assert.equal(anonymous.status, 401);
        assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic /);
        const wrong = await fetch(`${gh.url}${list.path}`, {
          headers: { authorization: 'Basic ' + Buffer.from(`${gh.projectId}:wrong`).toString('base64') },
        });
        assert.equal(wrong.status, 401);
        const body = await wrong.json();
        assert.ok(!(list.key in body), 'nothing listed without credentials');
      });
    }
  });
}
