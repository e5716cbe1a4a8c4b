// The drafting model through the HTTP API and live Yjs clients: spaces,
// recommendations, alternatives side by side, roles, adoption, exports.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import * as Y from 'yjs'
import WebSocket from 'ws'
import { validateAkn } from './akn.mjs'
import { BIN, SECRET, startServer, tempDir, token, client, synced, waitFor, sleep, api, closeOf } from './harness.mjs'
import { ALTERNATIVE, DOCS, FIELDS, INDEX, MAJORITY, META, ROOT, recommendationDoc } from '../../web/src/schema.js'

const SPACE = 'wg'
/** A structured field's root name; throws if the schema has no such field. */
const field = key => FIELDS.find(f => f.key === key).key
const TOPICS = [{ letter: 'A', title: 'Shaping outcomes' }, { letter: 'C', title: 'Funding of the IGF' }]

async function spaceWithRecommendation (t, server, { text = 'The IGF Trust Fund should be open to all donors.' } = {}) {
  const chair = token(SPACE, 'carla', 'chair')
  assert.equal((await api(server, 'POST', '/api/spaces', chair, { id: SPACE, title: 'Working group', topics: TOPICS })).status, 201)
  const created = await api(server, 'POST', `/api/spaces/${SPACE}/recommendations`, chair, { topic: 'C', title: 'Funding', text })
  assert.equal(created.status, 201)
  assert.deepEqual(created.json, { id: 'c-1', doc: recommendationDoc('c-1') })
  return created.json
}

test('a Yjs client writes the fields and an alternative; the JSON and every export show them', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const { doc } = await spaceWithRecommendation(t, server)
  const member = token(SPACE, 'mia', 'member')
  const alt = await api(server, 'POST', `/api/spaces/${SPACE}/recommendations/c-1/alternatives`, member, { label: 'Voluntary only', text: 'Voluntary funding' })
  assert.equal(alt.status, 201)
  assert.deepEqual(alt.json.proponents, ['mia'])

  const writer = client(t, server, SPACE, doc, member)
  await synced(writer)
  writer.ydoc.transact(() => {
    writer.ydoc.getText(field('tasks')).insert(0, 'Explore UN regular-budget funding.')
    writer.ydoc.getText(field('responsible')).insert(0, 'UN DESA')
    writer.ydoc.getText(field('monitoring')).insert(0, 'Annual report to the CSTD.')
    writer.ydoc.getMap(ROOT.alternatives).get(alt.json.id).get(ALTERNATIVE.text).insert(17, ' through the Trust Fund')
  })
  const reader = token(SPACE, 'olga', 'observer')
  let rec
  for (let i = 0; i < 100; i++) {
    rec = (await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/c-1`, reader)).json
    if (rec.fields.monitoring && rec.alternatives[0].text.includes('Trust Fund')) break
    await sleep(50)
  }
  assert.equal(rec.fields.tasks, 'Explore UN regular-budget funding.')
  assert.equal(rec.fields.responsible, 'UN DESA')
  assert.equal(rec.alternatives[0].text, 'Voluntary funding through the Trust Fund')
  assert.equal(rec.alternatives[0].stale, false)

  const md = await api(server, 'GET', `/api/spaces/${SPACE}/export?format=md`, reader)
  assert.equal(md.status, 200)
  assert.match(md.headers.get('content-disposition'), /attachment; filename="wg\.md"/)
  assert.match(md.text, /Explore UN regular-budget funding\./)
  assert.match(md.text, /Alternative recommendation 1: Voluntary only/)
  assert.match(md.text, /Proposed by mia\./)
  const html = await api(server, 'GET', `/api/spaces/${SPACE}/export?format=html`, reader)
  assert.match(html.text, /<section class="alternative">/)
  assert.match(html.text, /Voluntary funding through the Trust Fund/)
  const akn = await api(server, 'GET', `/api/spaces/${SPACE}/export?format=akn`, reader)
  const { targets } = validateAkn(t, akn.text)
  assert.equal(targets.length, 1)
  assert.match(akn.text, /<opinion type="dissenting" by="#person_0_mia">mia<\/opinion>/)

  // A changed majority marks the alternative stale, on the dashboard too.
  writer.text.insert(0, 'Agreed: ')
  let space
  for (let i = 0; i < 100; i++) {
    space = (await api(server, 'GET', `/api/spaces/${SPACE}`, reader)).json
    if (space.recommendations[0].stale_alternatives === 1) break
    await sleep(50)
  }
  assert.equal(space.recommendations[0].stale_alternatives, 1)
  assert.equal(space.recommendations[0].alternatives, 1)

  // A recommendation can start with its fields written.
  const withFields = await api(server, 'POST', `/api/spaces/${SPACE}/recommendations`, token(SPACE, 'carla', 'chair'), { topic: 'A', title: 'Messages', fields: { [field('timeline')]: 'From the next meeting.' } })
  assert.equal(withFields.status, 201, withFields.text)
  const started = (await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/${withFields.json.id}`, reader)).json
  assert.equal(started.fields[field('timeline')], 'From the next meeting.')
  assert.equal(started.fields[field('tasks')], '')
  const unknownField = await api(server, 'POST', `/api/spaces/${SPACE}/recommendations`, token(SPACE, 'carla', 'chair'), { topic: 'A', title: 'x', fields: { budget: 'y' } })
  assert.equal(unknownField.status, 400)
  assert.match(unknownField.json.error.message, /unknown field/)
})

test('the role matrix holds on every route', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  await spaceWithRecommendation(t, server)
  const alt = await api(server, 'POST', `/api/spaces/${SPACE}/recommendations/c-1/alternatives`, token(SPACE, 'mia', 'member'), { label: 'B', text: 'b' })
  const routes = [
    ['GET', `/api/spaces/${SPACE}`, undefined, 'observer', 200],
    ['GET', `/api/spaces/${SPACE}/recommendations/c-1`, undefined, 'observer', 200],
    ['GET', `/api/spaces/${SPACE}/export?format=akn`, undefined, 'observer', 200],
    ['POST', `/api/spaces/${SPACE}/recommendations/c-1/support`, { for: alt.json.id }, 'member', 200],
    // Each role's text its own: one that reads as another is refused.
    ['POST', `/api/spaces/${SPACE}/recommendations/c-1/alternatives`, role => ({ label: 'X', text: `x by ${role}` }), 'member', 201],
    ['PUT', `/api/spaces/${SPACE}/recommendations/c-1/status`, { status: 'bracketed', consensus: 'divergence' }, 'chair', 200],
    ['POST', `/api/spaces/${SPACE}/recommendations`, { topic: 'A', title: 'Another' }, 'chair', 201],
    ['POST', `/api/spaces/${SPACE}/links`, { user: 'Nadia', role: 'member' }, 'chair', 201],
    ['POST', `/api/spaces/${SPACE}/revocations`, { user: 'someone-else' }, 'chair', 200],
    ['GET', `/api/spaces/${SPACE}/revocations`, undefined, 'chair', 200],
    ['GET', `/api/spaces/${SPACE}/me`, undefined, 'observer', 200]
  ]
  const ranks = ['observer', 'member', 'vice-chair', 'chair']
  for (const [method, path, body, least, ok] of routes) {
    for (const role of ranks) {
      const allowed = ranks.indexOf(role) >= ranks.indexOf(least)
      const answer = await api(server, method, path, token(SPACE, `u-${role}`, role), typeof body === 'function' ? body(role) : body)
      assert.equal(answer.status, allowed ? ok : 403, `${role} ${method} ${path}: ${answer.text}`)
      if (!allowed) assert.equal(answer.json.error.code, 'forbidden')
    }
    const anonymous = await api(server, method, path, undefined, body)
    assert.equal(anonymous.status, 401, `no token ${method} ${path}`)
    assert.equal(anonymous.json.error.code, 'no-token')
    const other = await api(server, method, path, token('elsewhere', 'carla', 'chair'), body)
    assert.equal(other.status, 403, `other space ${method} ${path}`)
  }
  // Creating a space needs the chair of that very space.
  const body = { id: 'wg2', title: 'Second', topics: TOPICS }
  assert.equal((await api(server, 'POST', '/api/spaces', token('wg2', 'x', 'vice-chair'), body)).status, 403)
  assert.equal((await api(server, 'POST', '/api/spaces', token(SPACE, 'carla', 'chair'), body)).status, 403)
  assert.equal((await api(server, 'POST', '/api/spaces', token('wg2', 'x', 'chair'), body)).status, 201)
  assert.equal((await api(server, 'POST', '/api/spaces', token('wg2', 'x', 'chair'), body)).status, 409)
  // A minted link works for the user and role asked, in this space only,
  // for the days asked (1 to 366).
  const chair = token(SPACE, 'carla', 'chair')
  const link = await api(server, 'POST', `/api/spaces/${SPACE}/links`, chair, { user: ' Nadia ', role: 'observer', days: 2 })
  const minted = link.json.path.split('token=')[1]
  const me = await api(server, 'GET', `/api/spaces/${SPACE}/me`, minted)
  assert.deepEqual(me.json, { space: SPACE, user: 'Nadia', name: 'Nadia', delegation: '', role: 'observer', proposals_doc: null })
  assert.ok(Math.abs(link.json.expires_at - (Date.now() / 1000 + 2 * 86400)) < 60)
  assert.equal((await api(server, 'GET', '/api/spaces/elsewhere/me', minted)).status, 403)
  for (const bad of [{ user: '', role: 'member' }, { user: 'x', role: 'admin' }, { user: 'x', role: 'member', days: 0 }, { user: 'x', role: 'member', days: 400 }, { user: 'a\nb', role: 'member' }, { user: 'x'.repeat(65), role: 'member' }]) {
    const refused = await api(server, 'POST', `/api/spaces/${SPACE}/links`, chair, bad)
    assert.equal(refused.status, 400, JSON.stringify(bad))
    assert.ok(refused.json.error.message, 'with a reason')
  }
  // Errors are JSON with a code and a message.
  const bad = await api(server, 'PUT', `/api/spaces/${SPACE}/recommendations/c-1/status`, token(SPACE, 'carla', 'chair'), { status: 'final' })
  assert.equal(bad.status, 400)
  assert.match(bad.json.error.message, /unknown status/)
  const missing = await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/z-9`, token(SPACE, 'olga', 'observer'))
  assert.equal(missing.status, 404)
  assert.equal(missing.json.error.code, 'no-such-recommendation')
})

test('adopted text refuses websocket edits and REST changes until the chair moves it back', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const { doc } = await spaceWithRecommendation(t, server, { text: 'Final text.' })
  const chair = token(SPACE, 'carla', 'chair')
  const member = token(SPACE, 'mia', 'member')
  const adopt = await api(server, 'PUT', `/api/spaces/${SPACE}/recommendations/c-1/status`, chair, { status: 'adopted', consensus: 'full' })
  assert.equal(adopt.json.status, 'adopted')

  // A raw client, to hear the reason the server gives.
  const heard = []
  const raw = new WebSocket(`${server.ws}/${SPACE}/${doc}?token=${member}`)
  raw.binaryType = 'arraybuffer'
  raw.on('message', data => heard.push(new Uint8Array(data)))
  await new Promise(resolve => raw.on('open', resolve))
  t.after(() => raw.close())
  const watcher = client(t, server, SPACE, doc, token(SPACE, 'olga', 'observer'))
  await synced(watcher)
  // An edit of the raw client's own, as one update message.
  const local = new Y.Doc()
  Y.applyUpdate(local, Y.encodeStateAsUpdate(watcher.ydoc))
  local.getText(ROOT.text).insert(0, 'CHANGED ')
  const update = Y.encodeStateAsUpdate(local, Y.encodeStateVector(watcher.ydoc))
  raw.send(new Uint8Array([0, 2, ...encodeVarUint(update.length), ...update]))
  await waitFor('the reason', () => heard.some(m => m[0] === 2 && new TextDecoder().decode(m).includes('adopted')))
  // A stock client's edit is put back in its own copy too.
  const editor = client(t, server, SPACE, doc, member)
  await synced(editor)
  editor.text.insert(0, 'CHANGED ')
  await waitFor('the editor put right', () => editor.text.toString() === 'Final text.')
  await sleep(200)
  assert.equal(watcher.text.toString(), 'Final text.')
  const rec = await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/c-1`, member)
  assert.equal(rec.json.text, 'Final text.')
  const rest = await api(server, 'POST', `/api/spaces/${SPACE}/recommendations/c-1/alternatives`, member, { label: 'Late', text: 'x' })
  assert.equal(rest.status, 409)
  assert.equal(rest.json.error.code, 'frozen')
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/recommendations/c-1/support`, member, { for: 'majority' })).status, 409)

  // Moved back, the text is open again.
  assert.equal((await api(server, 'PUT', `/api/spaces/${SPACE}/recommendations/c-1/status`, chair, { status: 'agreed' })).status, 200)
  const later = client(t, server, SPACE, doc, member)
  await synced(later)
  later.text.insert(later.text.length, ' Amended.')
  await waitFor('the watcher to see the amendment', () => watcher.text.toString().endsWith('Amended.'))
})

test('a refused edit never comes back: a stock client that keeps its document across a restart and a reconnect', async t => {
  const store = tempDir(t)
  let server = await startServer(t, { store })
  const { doc } = await spaceWithRecommendation(t, server, { text: 'Final text.' })
  const chair = token(SPACE, 'carla', 'chair')
  const status = async (next, consensus) => assert.equal((await api(server, 'PUT', `/api/spaces/${SPACE}/recommendations/c-1/status`, chair, { status: next, consensus })).status, 200)
  await status('adopted', 'full')

  // A stock y-websocket client, whose document lives across reconnects.
  const stubborn = client(t, server, SPACE, doc, token(SPACE, 'mia', 'member'))
  await synced(stubborn)
  const heard = []
  stubborn.provider.ws.addEventListener('message', event => heard.push(new Uint8Array(event.data)))
  stubborn.text.insert(0, 'REFUSED ')
  // The server says why, and puts the text back in the client's copy too.
  await waitFor('the reason', () => heard.some(m => m[0] === 2 && new TextDecoder().decode(m).includes('adopted')))
  await waitFor('the text put back', () => stubborn.text.toString() === 'Final text.')

  // The server restarts; the chair moves the text back; the client, still
  // holding its document, reconnects and syncs everything it has.
  stubborn.provider.disconnect()
  await server.kill()
  server = await startServer(t, { store, listen: server.addr })
  await status('bracketed')
  stubborn.provider.connect()
  await synced(stubborn)
  stubborn.text.insert(stubborn.text.length, ' Amended.')
  const watcher = client(t, server, SPACE, doc, token(SPACE, 'olga', 'observer'))
  await waitFor('the amendment', () => watcher.text.toString().endsWith('Amended.'))
  assert.equal(watcher.text.toString(), 'Final text. Amended.')
  assert.equal((await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/c-1`, chair)).json.text, 'Final text. Amended.')
})

test("texts change only for those who may change them: an alternative's proponents, a branch's author, never a closed branch", async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const { doc } = await spaceWithRecommendation(t, server, { text: 'Majority.' })
  const ana = token(SPACE, 'ana', 'member')
  const mia = token(SPACE, 'mia', 'member')
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/recommendations/c-1/alternatives`, ana, { label: "Ana's", text: 'Alternative.' })).status, 201)
  const altText = c => [...c.ydoc.getMap(ROOT.alternatives).values()][0].get(ALTERNATIVE.text)

  // Mia edits the majority text and Ana's alternative: the first stays,
  // the second is put back for everyone.
  const miaClient = client(t, server, SPACE, doc, mia)
  const anaClient = client(t, server, SPACE, doc, ana)
  await Promise.all([synced(miaClient), synced(anaClient)])
  miaClient.ydoc.transact(() => {
    miaClient.text.insert(0, 'Mia: ')
    altText(miaClient).insert(0, 'Hijacked. ')
  })
  await waitFor("Mia's majority edit", () => anaClient.text.toString() === 'Mia: Majority.')
  await waitFor('the alternative put back', () => altText(miaClient).toString() === 'Alternative.')
  altText(anaClient).insert(altText(anaClient).length, ' By Ana.')
  await waitFor("Ana's own edit", () => altText(miaClient).toString() === 'Alternative. By Ana.')

  // Ana's branch: Mia may not even open it, the vice-chair changes it;
  // once Ana withdraws it, nobody can.
  const branch = (await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, ana, { title: 'Changes', branch_of: 'c-1' })).json
  assert.equal((await closeOf(`${server.ws}/${SPACE}/${branch.doc}?token=${mia}`)).code, 4404)
  const edits = {}
  for (const [who, tok] of [['vic', token(SPACE, 'vic', 'vice-chair')], ['ana', ana]]) {
    edits[who] = client(t, server, SPACE, branch.doc, tok)
    await synced(edits[who])
  }
  edits.vic.text.insert(edits.vic.text.length, ' Vice-chair.')
  await waitFor("the vice-chair's edit", () => edits.ana.text.toString() === 'Mia: Majority. Vice-chair.')
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${branch.id}/withdraw`, ana)).status, 200)
  await waitFor('the branch to say it is closed', () => edits.ana.ydoc.getMap(ROOT.meta).get(META.closed) !== undefined)
  edits.ana.text.insert(0, 'Too late. ')
  await waitFor("the author's late edit put back", () => edits.ana.text.toString() === 'Mia: Majority. Vice-chair.')
  assert.equal(edits.ana.ydoc.getMap(ROOT.meta).get(META.author), 'ana')
})

function encodeVarUint (n) {
  const out = []
  while (n >= 0x80) { out.push((n & 0x7f) | 0x80); n = Math.floor(n / 128) }
  out.push(n)
  return out
}

test("a member's client cannot change status, support or alternatives' provenance over the websocket", async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const { doc } = await spaceWithRecommendation(t, server)
  await api(server, 'POST', `/api/spaces/${SPACE}/recommendations/c-1/alternatives`, token(SPACE, 'mia', 'member'), { label: 'B', text: 'b' })
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/recommendations/c-1/support`, token(SPACE, 'mia', 'member'), { for: 'majority' })).status, 200)
  const watcher = client(t, server, SPACE, doc, token(SPACE, 'olga', 'observer'))
  await synced(watcher)
  const before = watcher.text.toString()

  // Writing a value into the record is refused whole, with the reason;
  // the text typed in the same transaction goes with it.
  const forger = client(t, server, SPACE, doc, token(SPACE, 'sam', 'member'))
  await synced(forger)
  const gaveUp = new Promise(resolve => forger.provider.on('closed', resolve))
  forger.ydoc.transact(() => {
    forger.ydoc.getMap(ROOT.meta).set(META.status, 'adopted')
    forger.ydoc.getMap(ROOT.support).set('sam', MAJORITY)
    const [altId] = [...forger.ydoc.getMap(ROOT.alternatives).keys()]
    forger.ydoc.getMap(ROOT.alternatives).get(altId).set(ALTERNATIVE.label, 'Hijacked')
    forger.text.insert(0, 'Riding along. ')
  })
  const closed = await gaveUp
  assert.equal(closed.code, 4422)
  assert.match(closed.reason, /takes only text/)

  // Deleting them is put back, and the honest edit beside it is kept.
  const sneaky = client(t, server, SPACE, doc, token(SPACE, 'sam', 'member'))
  await synced(sneaky)
  sneaky.ydoc.transact(() => {
    sneaky.ydoc.getMap(ROOT.meta).delete(META.status)
    sneaky.ydoc.getMap(ROOT.support).delete('mia')
    const [altId] = [...sneaky.ydoc.getMap(ROOT.alternatives).keys()]
    sneaky.ydoc.getMap(ROOT.alternatives).get(altId).delete(ALTERNATIVE.label)
    sneaky.text.insert(0, 'Honest edit. ')
  })
  await waitFor('the honest edit to arrive', () => watcher.text.toString() === `Honest edit. ${before}`)
  await waitFor('the sneaky client to be put right', () => sneaky.ydoc.getMap(ROOT.meta).get(META.status) === 'draft' &&
    sneaky.ydoc.getMap(ROOT.support).get('mia') === MAJORITY)
  assert.equal(watcher.ydoc.getMap(ROOT.meta).get(META.status), 'draft')
  assert.equal(watcher.ydoc.getMap(ROOT.support).get('sam'), undefined)
  const rec = (await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/c-1`, token(SPACE, 'olga', 'observer'))).json
  assert.equal(rec.status, 'draft')
  assert.deepEqual(rec.support, { mia: MAJORITY })
  assert.equal(rec.alternatives[0].label, 'B')
  assert.equal(rec.text, `Honest edit. ${before}`)
})

test('the space index is live for dashboards and read-only over the websocket', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  await spaceWithRecommendation(t, server)
  const dashboard = client(t, server, SPACE, DOCS.index, token(SPACE, 'carla', 'chair'))
  await synced(dashboard)
  const recs = dashboard.ydoc.getMap(INDEX.recommendations)
  await waitFor('the first recommendation', () => recs.has('c-1'))
  await api(server, 'POST', `/api/spaces/${SPACE}/recommendations`, token(SPACE, 'carla', 'chair'), { topic: 'A', title: 'Messages', text: '[all] of it' })
  await waitFor('the new recommendation to appear', () => recs.has('a-1'))
  assert.equal(recs.get('a-1').open_brackets, 1)
  assert.deepEqual(dashboard.ydoc.getArray(INDEX.topics).toJSON().map(topic => topic.letter), ['A', 'C'])
  // Even the chair cannot write the index directly.
  recs.delete('c-1')
  await sleep(300)
  const space = (await api(server, 'GET', `/api/spaces/${SPACE}`, token(SPACE, 'olga', 'observer'))).json
  assert.deepEqual(space.recommendations.map(r => r.id).sort(), ['a-1', 'c-1'])
})

test('every export of the demo space validates, from the API and from the command line', async t => {
  const store = tempDir(t)
  const server = await startServer(t, { store, args: ['--demo'] })
  const observer = token('wgigf', 'olga', 'observer')
  const space = (await api(server, 'GET', '/api/spaces/wgigf', observer)).json
  assert.deepEqual(space.topics.map(topic => topic.letter), ['A', 'B', 'C', 'D', 'E'])
  assert.equal(space.topics[2].title, 'Funding of the IGF')
  assert.ok(space.recommendations.some(r => r.alternatives > 0), 'a recommendation with a dissenting alternative')
  const akn = await api(server, 'GET', '/api/spaces/wgigf/export?format=akn', observer)
  assert.match(akn.headers.get('content-type'), /xml/)
  const { targets } = validateAkn(t, akn.text)
  assert.ok(targets.length >= 1)
  assert.doesNotMatch(akn.text, /name="comments"/, 'comments only when asked')
  const withComments = await api(server, 'GET', '/api/spaces/wgigf/export?format=akn&comments=true', observer)
  validateAkn(t, withComments.text)
  assert.match(withComments.text, /<hcontainer name="comments"[^]*Reply from Amina Diallo \(Senegal\)/)
  for (const format of ['md', 'html']) {
    const answer = await api(server, 'GET', `/api/spaces/wgigf/export?format=${format}`, observer)
    assert.equal(answer.status, 200)
    assert.match(answer.text, /Voluntary contributions only/)
    assert.match(answer.text, /Proposed by Senegal\./)
    assert.doesNotMatch(answer.text, /demo-/, 'people by name, not by user id')
  }
  assert.equal((await api(server, 'GET', '/api/spaces/wgigf/export?format=pdf', observer)).status, 400)
  await server.kill('SIGTERM')
  const fromCli = execFileSync(BIN, ['export', '--store', store, '--space', 'wgigf', '--format', 'akn', '--comments']).toString()
  validateAkn(t, fromCli)
  assert.match(fromCli, /Which mechanisms would make funding predictable/)
  assert.match(fromCli, /Stable and predictable funding/)
})

test('unicode, quotes, markup characters and empty fields export validly', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const chair = token(SPACE, 'carla', 'chair')
  const odd = 'Café «déjà» 中文 & <b>bold</b> "quoted" \'single\' ]]> \u0007'
  assert.equal((await api(server, 'POST', '/api/spaces', chair, { id: SPACE, title: odd, topics: [{ letter: 'A', title: odd }, { letter: 'B', title: 'Empty topic' }] })).status, 201)
  await api(server, 'POST', `/api/spaces/${SPACE}/recommendations`, chair, { topic: 'A', title: odd, text: '' })
  await api(server, 'POST', `/api/spaces/${SPACE}/recommendations/a-1/alternatives`, token(SPACE, 'Zoë <z@x> & co', 'member'), { label: odd, text: odd })
  const observer = token(SPACE, 'olga', 'observer')
  const akn = await api(server, 'GET', `/api/spaces/${SPACE}/export?format=akn`, observer)
  validateAkn(t, akn.text)
  assert.match(akn.text, /Café «déjà» 中文 &amp; &lt;b&gt;bold/)
  const html = await api(server, 'GET', `/api/spaces/${SPACE}/export?format=html`, observer)
  assert.ok(!html.text.includes('<b>bold</b>'), 'markup in texts is escaped')
  execFileSync('xmllint', ['--html', '--noout', '-'], { input: html.text })
})
