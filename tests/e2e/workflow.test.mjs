// Proposals and merging, versions, word diffs and the audit log, with real
// Yjs clients and real stores.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { BIN, startServer, tempDir, token, client, synced, waitFor, sleep, api } from './harness.mjs'
import { startRedis, redisCli } from './redis.mjs'
import { branchDoc, versionDoc } from '../../web/src/schema.js'

const SPACE = 'wg'
const chair = () => token(SPACE, 'carla', 'chair')
const vice = () => token(SPACE, 'victor', 'vice-chair')
const member = (user = 'mia') => token(SPACE, user, 'member')
const observer = () => token(SPACE, 'olga', 'observer')

async function setUp (t, server, text) {
  await api(server, 'POST', '/api/spaces', chair(), { id: SPACE, title: 'WG', topics: [{ letter: 'C', title: 'Funding' }, { letter: 'D', title: 'Participation' }] })
  const created = await api(server, 'POST', `/api/spaces/${SPACE}/recommendations`, chair(), { topic: 'C', title: 'Funding', text })
  assert.equal(created.status, 201)
  return created.json
}

async function until (what, check) {
  for (let i = 0; i < 200; i++) {
    const value = await check()
    if (value) return value
    await sleep(50)
  }
  throw new Error(`timed out waiting for ${what}`)
}

test('a branch edited live while the main text changes merges with both sets of edits, and everyone converges', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const rec = await setUp(t, server, 'The IGF should be funded.')
  const submitted = await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, member(), { title: 'Name the donors', branch_of: 'c-1' })
  assert.equal(submitted.status, 201)
  assert.equal(submitted.json.doc, branchDoc(submitted.json.id))

  const author = client(t, server, SPACE, submitted.json.doc, member())
  const mainEditor = client(t, server, SPACE, rec.doc, member('ben'))
  const watcher = client(t, server, SPACE, rec.doc, observer())
  await Promise.all([synced(author), synced(mainEditor), synced(watcher)])
  assert.equal(author.text.toString(), 'The IGF should be funded.')
  // The branch's edit, and meanwhile an edit to the main text.
  const at = author.text.toString().indexOf('funded') + 'funded'.length
  author.text.insert(at, ' by all donors, named publicly')
  mainEditor.text.insert(0, 'Agreed: ')
  await waitFor('the watcher to see the main edit', () => watcher.text.toString().startsWith('Agreed: '))
  await until('the branch edit to be stored', async () => {
    const diff = await api(server, 'GET', `/api/spaces/${SPACE}/diff?from=live:c-1&to=proposal:${submitted.json.id}`, vice())
    return diff.json.runs.some(run => run.op === 'insert' && run.text.includes('named publicly'))
  })

  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${submitted.json.id}/merge`, member('ben'), { into: 'c-1', as: 'majority' })).status, 403)
  const merged = await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${submitted.json.id}/merge`, vice(), { into: 'c-1', as: 'majority' })
  assert.equal(merged.status, 200, merged.text)
  assert.equal(merged.json.status, 'merged')
  assert.deepEqual(merged.json.merged_into.map(m => [m.recommendation, m.as, m.by]), [['c-1', 'majority', 'victor']])

  const expected = 'Agreed: The IGF should be funded by all donors, named publicly.'
  await waitFor('the watcher to see the merge', () => watcher.text.toString() === expected)
  await waitFor('the main editor to see the merge', () => mainEditor.text.toString() === expected)
  const rest = await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/c-1`, observer())
  assert.equal(rest.json.text, expected)
  // Nothing is deleted: the proposal keeps its history and provenance.
  const kept = await api(server, 'GET', `/api/spaces/${SPACE}/proposals/${submitted.json.id}`, member())
  assert.deepEqual(kept.json.history.map(h => h.status), ['submitted', 'merged'])
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${submitted.json.id}/reject`, vice(), { reason: 'late' })).status, 409)
})

test('a free-text proposal merges as an alternative, into the majority, or as a new recommendation', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  await setUp(t, server, 'Fund the IGF.')
  const propose = async (title, text, user = 'mia') => (await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, member(user), { title, text })).json.id
  const asAlt = await propose('Voluntary only', 'Only voluntary contributions.')
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${asAlt}/categorize`, vice(), { topic: 'C' })).json.status, 'categorized')
  const merged = await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${asAlt}/merge`, vice(), { into: 'c-1', as: 'alternative' })
  assert.equal(merged.status, 200, merged.text)
  const rec = (await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/c-1`, observer())).json
  const alt = rec.alternatives.find(a => a.id === merged.json.merged_into[0].alternative)
  assert.equal(alt.label, 'Voluntary only')
  assert.equal(alt.text, 'Only voluntary contributions.')
  assert.deepEqual(alt.proponents, ['mia'])

  const intoMajority = await propose('Add a deadline', ' By 2013.', 'ben')
  await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${intoMajority}/merge`, vice(), { into: 'c-1', as: 'majority', partial: true })
  assert.equal((await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/c-1`, observer())).json.text, 'Fund the IGF. By 2013.')
  assert.equal((await api(server, 'GET', `/api/spaces/${SPACE}/proposals/${intoMajority}`, member('ben'))).json.status, 'partially-merged')

  const asNew = await propose('Remote hubs', 'Support remote hubs.')
  const created = await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${asNew}/merge`, vice(), { as: 'new', topic: 'D' })
  assert.equal(created.json.merged_into[0].recommendation, 'd-1')
  assert.equal((await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/d-1`, observer())).json.text, 'Support remote hubs.')
})

test('the role matrix of proposals', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  await setUp(t, server, 'Text.')
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, observer(), { title: 'x', text: 'y' })).status, 403)
  const id = (await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, member(), { title: 'Mine', text: 'y' })).json.id
  const other = member('ben')
  for (const [path, body] of [['categorize', { topic: 'C' }], ['merge', { into: 'c-1', as: 'majority' }], ['reject', { reason: 'no' }]]) {
    assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${id}/${path}`, other, body)).status, 403, path)
    assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${id}/${path}`, observer(), body)).status, 403, path)
  }
  // Members see their own proposals only; the vice-chair sees all.
  assert.equal((await api(server, 'GET', `/api/spaces/${SPACE}/proposals`, other)).json.length, 0)
  assert.equal((await api(server, 'GET', `/api/spaces/${SPACE}/proposals`, vice())).json.length, 1)
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${id}/withdraw`, other)).status, 403)
  const withdrawn = await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${id}/withdraw`, member())
  assert.equal(withdrawn.json.status, 'withdrawn')
  const second = (await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, member(), { title: 'Again', text: 'z' })).json.id
  const rejected = await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${second}/reject`, vice(), { reason: 'Out of scope for topic C' })
  assert.equal(rejected.json.status, 'rejected')
  assert.equal(rejected.json.history.at(-1).note, 'Out of scope for topic C')
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/versions`, member(), { name: 'x' })).status, 403)
})

test('versions never change, and word diffs compare versions, live text, alternatives and proposals', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const rec = await setUp(t, server, 'The IGF should be funded by donors.')
  const v1 = await api(server, 'POST', `/api/spaces/${SPACE}/versions`, vice(), { name: 'After the 3rd meeting', recommendation: 'c-1' })
  assert.equal(v1.status, 201)
  const space = await api(server, 'POST', `/api/spaces/${SPACE}/versions`, chair(), { name: 'Whole space' })
  const editor = client(t, server, SPACE, rec.doc, member())
  await synced(editor)
  const text = editor.text.toString()
  editor.ydoc.transact(() => {
    editor.text.delete(text.indexOf('should'), 'should'.length)
    editor.text.insert(text.indexOf('should'), 'must')
    editor.text.insert(editor.text.toString().indexOf('donors'), 'all ')
  })
  await until('the edit', async () => (await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/c-1`, observer())).json.text === 'The IGF must be funded by all donors.')

  const diff = await api(server, 'GET', `/api/spaces/${SPACE}/diff?from=${v1.json.id}&to=live:c-1`, observer())
  assert.equal(diff.status, 200, diff.text)
  assert.deepEqual(diff.json.runs, [
    { op: 'equal', text: 'The IGF ', from: 0, to: 0 },
    { op: 'delete', text: 'should', from: 8, to: 8 },
    { op: 'insert', text: 'must', from: 14, to: 8 },
    { op: 'equal', text: ' be funded by ', from: 14, to: 12 },
    { op: 'insert', text: 'all ', from: 28, to: 26 },
    { op: 'equal', text: 'donors.', from: 28, to: 30 }
  ])
  const html = await api(server, 'GET', `/api/spaces/${SPACE}/diff?from=${v1.json.id}&to=live:c-1&format=html`, observer())
  assert.match(html.text, /<del>should<\/del><ins>must<\/ins>/)
  // The version still reads as it was, and so does the whole-space one.
  const same = await api(server, 'GET', `/api/spaces/${SPACE}/diff?from=${v1.json.id}&to=${space.json.id}`, observer())
  assert.ok(same.json.runs.every(run => run.op === 'equal'))
  const versions = (await api(server, 'GET', `/api/spaces/${SPACE}/versions`, observer())).json
  assert.deepEqual(versions.map(v => v.name), ['After the 3rd meeting', 'Whole space'])

  const alt = await api(server, 'POST', `/api/spaces/${SPACE}/recommendations/c-1/alternatives`, member(), { label: 'B', text: 'The IGF must be funded by the UN.' })
  const altDiff = await api(server, 'GET', `/api/spaces/${SPACE}/diff?from=live:c-1&to=alt:c-1:${alt.json.id}`, observer())
  assert.deepEqual(altDiff.json.runs.filter(r => r.op !== 'equal').map(r => [r.op, r.text]), [['delete', 'all donors'], ['insert', 'the UN']])
  // A version cannot be edited over the websocket either.
  const versionCopy = client(t, server, SPACE, versionDoc(v1.json.id, 'c-1'), chair())
  await synced(versionCopy)
  versionCopy.text.insert(0, 'TAMPERED ')
  await sleep(300)
  const again = await api(server, 'GET', `/api/spaces/${SPACE}/diff?from=${v1.json.id}&to=live:c-1`, observer())
  assert.equal(again.json.runs[0].text, 'The IGF ')
})

test('governance actions are audited, and the untouched log verifies, on the embedded store', async t => {
  const store = tempDir(t)
  const server = await startServer(t, { store })
  await setUp(t, server, 'Text.')
  const id = (await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, member(), { title: 'P', text: 'q' })).json.id
  await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${id}/reject`, vice(), { reason: 'no' })
  await api(server, 'PUT', `/api/spaces/${SPACE}/recommendations/c-1/status`, chair(), { status: 'agreed', consensus: 'full' })
  const log = (await api(server, 'GET', `/api/spaces/${SPACE}/audit`, observer())).json
  assert.equal(log.intact, true)
  assert.deepEqual(log.entries.map(e => e.entry.action), ['space.created', 'recommendation.created', 'proposal.submitted', 'proposal.rejected', 'recommendation.status'])
  assert.ok(log.entries.every((e, i) => i === 0 || e.prev === log.entries[i - 1].hash))
  await server.kill('SIGTERM')
  const ok = spawnSync(BIN, ['audit', 'verify', '--store', store, '--space', SPACE])
  assert.equal(ok.status, 0, ok.stderr.toString())
  assert.match(ok.stdout.toString(), /intact: 5 entries/)
})

test('the audit log fails verification when an entry is altered or removed in Redis', async t => {
  const redis = await startRedis(t)
  await redis.start()
  const server = await startServer(t, { store: redis.url })
  await setUp(t, server, 'Text.')
  await api(server, 'POST', `/api/spaces/${SPACE}/versions`, vice(), { name: 'V1' })
  const key = `draftroom:{${SPACE}}:audit`
  const verify = () => spawnSync(BIN, ['audit', 'verify', '--store', redis.url, '--space', SPACE])
  assert.equal(verify().status, 0, verify().stderr.toString())

  // Alter entry 2 in place: rebuild the stream with its body changed and
  // its stored hashes kept, as someone with access to Redis could.
  const alter = `local entries = redis.call('XRANGE', KEYS[1], '-', '+')
    redis.call('DEL', KEYS[1])
    for i, e in ipairs(entries) do
      local v = e[2][2]
      if i == 2 then v = (string.gsub(v, 'Funding', 'Defunding')) end
      redis.call('XADD', KEYS[1], e[1], 'e', v)
    end
    return #entries`
  assert.equal(redisCli(redis.port, 'EVAL', alter, '1', key), '3')
  const altered = verify()
  assert.equal(altered.status, 1)
  assert.match(altered.stderr.toString(), /audit entry 2: was altered/)

  // Removed: the entry is gone from the stream.
  redisCli(redis.port, 'XDEL', key, '0-2')
  const removed = verify()
  assert.equal(removed.status, 1)
  assert.match(removed.stderr.toString(), /audit entry 2/)
})
