// Brackets as objects: each bracketed passage keeps its identity and its
// holders through concurrent edits before and inside it, members hold and
// release, the vice-chair and the chair change its state and clear it, and
// adoption waits for every bracket unless the chair overrides, on the
// record. Real servers, stock Yjs clients, and browsers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import * as Y from 'yjs'
import { api, client, synced, token, waitFor } from './harness.mjs'
import { C1, SHOTS, browser, demoServer, majority, signedIn } from './browser.mjs'
import { DOCS, INDEX, ROOT } from '../../web/src/schema.js'

const SPACE = 'wgigf'
const route = path => `/api/spaces/${SPACE}/recommendations/c-1${path}`
const PASSAGE = '[, including through the regular budget of the United Nations]'

/** A bracket's id as any Yjs client reads it: the id of its `[`. */
function bracketId (text, index) {
  const { item } = Y.createRelativePositionFromTypeIndex(text, index)
  return `${item.client}-${item.clock}`
}

test('a bracket keeps its identity and holders through concurrent insertions before and inside it', async t => {
  const server = await demoServer(t)
  const [ana, bo, vic] = [token(SPACE, 'ana', 'member'), token(SPACE, 'bo', 'member'), token(SPACE, 'vic', 'vice-chair')]
  const one = client(t, server, SPACE, 'r/c-1', ana)
  const two = client(t, server, SPACE, 'r/c-1', bo)
  await Promise.all([synced(one), synced(two)])
  const listed = (await api(server, 'GET', route('/brackets'), bo)).json.brackets
  const [bracket] = listed
  assert.equal(listed.length, 1)
  assert.equal(bracket.passage, PASSAGE)
  assert.equal(bracket.location, 'text')
  assert.deepEqual(bracket.holders, ['demo-member'], 'the demo member holds it')
  assert.equal(bracketId(one.text, one.text.toString().indexOf('[')), bracket.id, 'a stock client reads the same id')
  const held = await api(server, 'PATCH', route(`/brackets/${bracket.id}`), ana, { hold: true, reason: 'Not before the budget talks' })
  assert.equal(held.status, 200, held.text)
  assert.deepEqual(held.json.holders, ['demo-member', 'ana'])

  // Both insert at once, neither having seen the other: one before the
  // bracket, one inside it.
  one.text.insert(0, 'Member States agree that ')
  const inside = two.text.toString().indexOf('[') + 1
  two.text.insert(inside, ' where possible and')
  const expected = `[ where possible and, including through the regular budget of the United Nations]`
  await waitFor('both clients to converge', () => one.text.toString() === two.text.toString() && one.text.toString().includes(expected))
  const after = (await api(server, 'GET', route('/brackets'), bo)).json.brackets
  assert.equal(after.length, 1)
  assert.equal(after[0].id, bracket.id, 'the same bracket')
  assert.equal(after[0].passage, expected)
  assert.deepEqual(after[0].holders, ['demo-member', 'ana'])
  assert.equal(after[0].reason, 'Not before the budget talks')
  assert.equal(bracketId(two.text, two.text.toString().indexOf('[')), bracket.id)

  // A member changes only their own hold; the vice-chair changes the rest.
  assert.equal((await api(server, 'PATCH', route(`/brackets/${bracket.id}`), bo, { state: 'ad-referendum' })).status, 403)
  assert.equal((await api(server, 'PATCH', route(`/brackets/${bracket.id}`), bo, { holders: [] })).status, 403)
  assert.equal((await api(server, 'PATCH', route(`/brackets/${bracket.id}`), token(SPACE, 'olga', 'observer'), { hold: true })).status, 403)
  const pending = await api(server, 'PATCH', route(`/brackets/${bracket.id}`), vic, { state: 'pending', pending: 'Brazil' })
  assert.equal(pending.status, 200, pending.text)
  assert.equal(pending.json.pending, 'Brazil')
  assert.equal((await api(server, 'PATCH', route('/brackets/1-1'), vic, { state: 'open' })).json.error.code, 'no-such-bracket')
  // A stock client cannot remove a record: the server's part is put back.
  const records = one.ydoc.getMap(ROOT.brackets)
  await waitFor('the record to arrive', () => records.get(bracket.id)?.state === 'pending')
  records.delete(bracket.id)
  await waitFor('the record to be put back', () => records.get(bracket.id)?.state === 'pending')
  // The index summary names the holders.
  const index = client(t, server, SPACE, DOCS.index, bo)
  await synced(index)
  const summary = index.ydoc.getMap(INDEX.recommendations).get('c-1')
  assert.equal(summary.open_brackets, 1)
  assert.deepEqual(summary.bracket_holders, ['ana', 'demo-member'])
})

test('adoption with an open bracket is refused, and goes ahead with an override the audit log keeps', async t => {
  const server = await demoServer(t)
  const chair = token(SPACE, 'carla', 'chair')
  const refused = await api(server, 'PUT', route('/status'), chair, { status: 'adopted' })
  assert.equal(refused.status, 409)
  assert.equal(refused.json.error.code, 'open_brackets')
  assert.match(refused.json.error.message, /1 bracket is not cleared: \[, including through/)
  assert.equal(refused.json.error.brackets.length, 1)
  assert.deepEqual(refused.json.error.brackets[0].holders, ['demo-member'])
  // Only the chair sets a status at all.
  assert.equal((await api(server, 'PUT', route('/status'), token(SPACE, 'vic', 'vice-chair'), { status: 'adopted', override: 'x' })).status, 403)
  const adopted = await api(server, 'PUT', route('/status'), chair, { status: 'adopted', override: 'Agreed in plenary on 3 May' })
  assert.equal(adopted.status, 200, adopted.text)
  assert.equal(adopted.json.status, 'adopted')
  const entries = (await api(server, 'GET', `/api/spaces/${SPACE}/audit`, chair)).json.entries.map(e => e.entry)
  const last = entries.at(-1)
  assert.equal(last.action, 'recommendation.status')
  assert.equal(last.details.override, 'Agreed in plenary on 3 May')
  assert.equal(last.details.open_brackets[0].passage, PASSAGE)
  // Frozen now: no bracket changes, over the API or the websocket.
  const bracket = (await api(server, 'GET', route('/brackets'), chair)).json.brackets[0]
  assert.equal((await api(server, 'PATCH', route(`/brackets/${bracket.id}`), chair, { state: 'cleared' })).json.error.code, 'frozen')
  // Thawed and cleared, the text keeps the chosen option and adoption needs no override.
  await api(server, 'PUT', route('/status'), chair, { status: 'agreed' })
  const cleared = await api(server, 'PATCH', route(`/brackets/${bracket.id}`), chair, { state: 'cleared', remove: true })
  assert.equal(cleared.status, 200, cleared.text)
  const reading = client(t, server, SPACE, 'r/c-1', chair)
  await synced(reading)
  assert.equal(reading.text.toString(), 'The IGF should be funded in a stable, sustainable and predictable manner.')
  assert.equal((await api(server, 'PUT', route('/status'), chair, { status: 'adopted' })).status, 200)
  const actions = (await api(server, 'GET', `/api/spaces/${SPACE}/audit`, chair)).json.entries.map(e => e.entry.action)
  assert.ok(actions.includes('bracket.cleared'))
})
