// Merges and numbers under racing, against two nodes on one Redis: a
// proposal closes once however many merge it at once, numbers are given
// once, a merge applies exactly what its preview shows, and a summary due
// when a document unloads still reaches the index. Real servers, stock Yjs
// clients, real Redis.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, tempDir, token, client, synced, waitFor, sleep, api } from './harness.mjs'
import { startRedis } from './redis.mjs'
import { ALTERNATIVE, DOCS, FIELDS, INDEX, ROOT } from '../../web/src/schema.js'

const SPACE = 'wg'
const chair = () => token(SPACE, 'carla', 'chair')
const vice = () => token(SPACE, 'victor', 'vice-chair')
const member = (user = 'mia') => token(SPACE, user, 'member')

async function space (server, text = 'The IGF should be funded.') {
  const made = await api(server, 'POST', '/api/spaces', chair(), { id: SPACE, title: 'WG', topics: [{ letter: 'C', title: 'Funding' }, { letter: 'D', title: 'Participation' }] })
  assert.equal(made.status, 201, made.text)
  const created = await api(server, 'POST', `/api/spaces/${SPACE}/recommendations`, chair(), { topic: 'C', title: 'Funding', text })
  assert.equal(created.status, 201, created.text)
  return created.json
}

async function twoNodes (t) {
  const redis = await startRedis(t)
  await redis.start()
  const a = await startServer(t, { store: redis.url })
  const b = await startServer(t, { store: redis.url })
  return { a, b }
}

const occurrences = (text, words) => text.split(words).length - 1
const audited = async (server, action) =>
  (await api(server, 'GET', `/api/spaces/${SPACE}/audit`, chair())).json.entries.filter(e => e.entry.action === action)

test('five merges of one proposal at once on two nodes: one goes in, once, and the audit log says just that', async t => {
  const { a, b } = await twoNodes(t)
  const rec = await space(a)
  for (const as of ['majority', 'new']) {
    const words = `Merged ${as} words.`
    const proposal = (await api(a, 'POST', `/api/spaces/${SPACE}/proposals`, member(), { title: `As ${as}`, text: words, topic: 'C' })).json
    const merges = await Promise.all([a, b, a, b, a].map(node =>
      api(node, 'POST', `/api/spaces/${SPACE}/proposals/${proposal.id}/merge`, vice(), { into: rec.id, as, topic: 'D' })))
    const statuses = merges.map(m => m.status).sort()
    assert.deepEqual(statuses, [200, 409, 409, 409, 409], `${as}: ${merges.map(m => m.text).join(' | ')}`)
    const spaceNow = (await api(b, 'GET', `/api/spaces/${SPACE}`, chair())).json
    if (as === 'majority') {
      const text = (await api(b, 'GET', `/api/spaces/${SPACE}/recommendations/${rec.id}`, chair())).json.text
      assert.equal(occurrences(text, words), 1, text)
    } else {
      assert.equal(spaceNow.recommendations.filter(r => r.topic === 'D').length, 1, 'one new recommendation')
    }
    const merged = (await audited(a, 'proposal.merged')).filter(e => e.entry.details.proposal === proposal.id)
    assert.equal(merged.length, 1)
    const stored = (await api(b, 'GET', `/api/spaces/${SPACE}/proposals/${proposal.id}`, vice())).json
    assert.equal(stored.status, 'merged')
    assert.equal(stored.merged_into.length, 1)
  }
})

test('a merge and a rejection at once on two nodes: exactly one happens, and the proposal says which', async t => {
  const { a, b } = await twoNodes(t)
  const rec = await space(a)
  for (let round = 0; round < 4; round++) {
    const words = `Round ${round} words.`
    const proposal = (await api(a, 'POST', `/api/spaces/${SPACE}/proposals`, member(), { title: `Round ${round}`, text: words })).json
    const [merge, reject] = await Promise.all([
      api(round % 2 ? a : b, 'POST', `/api/spaces/${SPACE}/proposals/${proposal.id}/merge`, vice(), { into: rec.id, as: 'majority' }),
      api(round % 2 ? b : a, 'POST', `/api/spaces/${SPACE}/proposals/${proposal.id}/reject`, vice(), { reason: 'No' })
    ])
    assert.deepEqual([merge.status, reject.status].sort(), [200, 409], `${merge.text} | ${reject.text}`)
    const status = (await api(a, 'GET', `/api/spaces/${SPACE}/proposals/${proposal.id}`, vice())).json.status
    const text = (await api(b, 'GET', `/api/spaces/${SPACE}/recommendations/${rec.id}`, chair())).json.text
    assert.equal(status, merge.status === 200 ? 'merged' : 'rejected')
    assert.equal(occurrences(text, words), merge.status === 200 ? 1 : 0, text)
  }
})

test('recommendations created at once on two nodes get numbers no other has', async t => {
  const { a, b } = await twoNodes(t)
  await space(a)
  const created = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    api(i % 2 ? a : b, 'POST', `/api/spaces/${SPACE}/recommendations`, chair(), { topic: 'D', title: `Rec ${i}`, text: `Text ${i}.` })))
  assert.deepEqual(created.map(c => c.status), Array(12).fill(201), created.map(c => c.text).join(' | '))
  const ids = created.map(c => c.json.id)
  assert.equal(new Set(ids).size, 12, ids.join(' '))
  for (const node of [a, b]) {
    let listed = []
    for (let tries = 0; tries < 100 && listed.length < 12; tries++) {
      if (tries > 0) await sleep(50)
      listed = (await api(node, 'GET', `/api/spaces/${SPACE}`, chair())).json.recommendations.filter(r => r.topic === 'D')
    }
    assert.deepEqual(listed.map(r => r.number).sort((x, y) => x - y), Array.from({ length: 12 }, (_, i) => i + 1))
  }
  // Each recommendation holds its own text.
  for (const [i, c] of created.entries()) {
    const read = await api(a, 'GET', `/api/spaces/${SPACE}/recommendations/${c.json.id}`, chair())
    assert.equal(read.json.text, `Text ${i}.`)
  }
})

test('a branch merge applies exactly what its preview shows: the majority text and the fields, never an alternative', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const rec = await space(server)
  const alt = await api(server, 'POST', `/api/spaces/${SPACE}/recommendations/${rec.id}/alternatives`, member('ben'), { label: 'Ben\'s', text: 'Voluntary funding only.' })
  assert.equal(alt.status, 201, alt.text)
  const branch = (await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, member('mia'), { title: 'Reword', branch_of: rec.id })).json
  const author = client(t, server, SPACE, branch.doc, member('mia'))
  await synced(author)
  const field = FIELDS[0]
  author.ydoc.transact(() => {
    author.text.insert(0, 'Agreed: ')
    author.ydoc.getText(field.key).insert(0, 'Ask UN DESA.')
    const alternatives = author.ydoc.getMap(ROOT.alternatives)
    for (const [, alternative] of alternatives) alternative.get(ALTERNATIVE.text).insert(0, 'HIJACKED ')
  })
  const preview = async () => (await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${branch.id}/preview`, vice(), { into: rec.id, as: 'majority' })).json
  let shown
  for (let tries = 0; tries < 100 && shown?.fields?.length !== 1; tries++) {
    if (tries > 0) await sleep(50)
    shown = await preview()
  }
  assert.deepEqual(shown.fields.map(f => [f.field, f.title]), [[field.key, field.title]])
  assert.ok(shown.runs.some(r => r.op === 'insert' && r.text.includes('Agreed:')))
  assert.ok(shown.fields[0].runs.some(r => r.op === 'insert' && r.text.includes('Ask UN DESA.')))
  assert.ok(!JSON.stringify(shown).includes('HIJACKED'), 'the preview shows no change to an alternative')
  const merged = await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${branch.id}/merge`, vice(), { into: rec.id, as: 'majority' })
  assert.equal(merged.status, 200, merged.text)
  const after = (await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/${rec.id}`, chair())).json
  assert.equal(after.text, 'Agreed: The IGF should be funded.')
  assert.equal(after.fields[field.key], 'Ask UN DESA.')
  assert.deepEqual(after.alternatives.map(a => a.text), ['Voluntary funding only.'])
  // And what the live clients of the recommendation hold agrees.
  const reader = client(t, server, SPACE, rec.doc, member('zoe'))
  await synced(reader)
  const [, alternative] = [...reader.ydoc.getMap(ROOT.alternatives)][0]
  assert.equal(alternative.get(ALTERNATIVE.text).toString(), 'Voluntary funding only.')
})

test('a summary due when its recommendation unloads still reaches the index', async t => {
  // Room for two documents: the index, held open by the dashboard's
  // client, and one more; opening a third evicts the recommendation at
  // once, before its summary's usual delay is over.
  const server = await startServer(t, { store: tempDir(t), args: ['--max-open-documents', '2'] })
  const rec = await space(server, 'No brackets yet.')
  const dashboard = client(t, server, SPACE, DOCS.index, member('dan'))
  await synced(dashboard)
  for (let round = 1; round <= 3; round++) {
    const writer = client(t, server, SPACE, rec.doc, member('mia'))
    const witness = client(t, server, SPACE, rec.doc, member('ben'))
    await Promise.all([synced(writer), synced(witness)])
    writer.text.insert(0, `[bracket ${round}] `)
    await waitFor('the edit to be applied', () => witness.text.toString().startsWith(`[bracket ${round}]`))
    writer.provider.destroy()
    witness.provider.destroy()
    const elsewhere = client(t, server, SPACE, `notes-${round}`, member('mia'))
    await synced(elsewhere)
    const summary = () => {
      const found = dashboard.ydoc.getMap(INDEX.recommendations).get(rec.id)
      return found?.open_brackets
    }
    await waitFor(`the index to count ${round} open brackets`, () => summary() === round, 5000)
    elsewhere.provider.destroy()
  }
})
