// What one client can make the server hold, and what it can do to the
// others: refused edits close their sender alone, with a reason stock
// clients see and stop on; documents stop growing at their cap; reads of
// documents that do not exist load nothing; the live proposals document
// stays small; shutdown is bounded under load.
// Real servers, real y-websocket clients, the web app in chromium.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import * as Y from 'yjs'
import WebSocket from 'ws'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { api, client, closeOf, rss, sleep, startServer, synced, tempDir, token, waitFor } from './harness.mjs'
import { C1, SHOTS, browser, demoServer, majority, signedIn } from './browser.mjs'
import { ALTERNATIVE, DOCS, ROOT, recommendationDoc } from '../../web/src/schema.js'

const SPACE = 'wgigf'
const MESSAGE_SYNC = 0

async function metric (server, name) {
  const text = await (await fetch(`${server.http}/metrics`)).text()
  return Number(text.match(new RegExp(`^${name} (\\d+)$`, 'm'))[1])
}

/** Counts the ways a client's connection ended, and whether it gave up. */
function watchCloses (c) {
  const closes = []
  c.provider.on('connection-close', event => closes.push({ code: event?.code, reason: event?.reason }))
  return closes
}

/** A raw websocket on `doc`, and the close the server ends it with. */
async function rawSocket (server, doc, tok) {
  const ws = new WebSocket(`${server.ws}/${SPACE}/${doc}?token=${tok}`)
  const closed = new Promise(resolve => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  ws.on('error', () => {})
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('unexpected-response', reject) })
  return { ws, closed }
}

function updateMessage (update) {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

test('an edit that depends on edits the server has not seen closes its sender alone', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const ana = client(t, server, SPACE, 'notes', token(SPACE, 'ana', 'member'))
  const bo = client(t, server, SPACE, 'notes', token(SPACE, 'bo', 'member'))
  await Promise.all([synced(ana), synced(bo)])
  const anaCloses = watchCloses(ana)
  const boCloses = watchCloses(bo)

  // An update that builds on one the server never got.
  const elsewhere = new Y.Doc()
  elsewhere.getText(ROOT.text).insert(0, 'never sent')
  const before = Y.encodeStateVector(elsewhere)
  elsewhere.getText(ROOT.text).insert(10, ' depends on it')
  const dependent = Y.encodeStateAsUpdate(elsewhere, before)
  for (let round = 0; round < 3; round++) {
    const sender = await rawSocket(server, 'notes', token(SPACE, 'mallory', 'member'))
    sender.ws.send(updateMessage(dependent))
    const closed = await sender.closed
    assert.equal(closed.code, 1013)
    assert.match(closed.reason, /has not seen/)
  }

  ana.text.insert(0, 'Still here. ')
  await waitFor('bo to hear ana', () => bo.text.toString() === 'Still here. ')
  assert.deepEqual([anaCloses, boCloses], [[], []], 'nobody else was closed')
})

test('a document stops growing at its cap: the edit that would cross it is refused with the reason, and the writer stops', async t => {
  const cap = 256 * 1024
  const server = await startServer(t, { store: tempDir(t), args: ['--max-document-bytes', String(cap)] })
  const writer = client(t, server, SPACE, 'notes', token(SPACE, 'wes', 'member'))
  const reader = client(t, server, SPACE, 'notes', token(SPACE, 'rita', 'observer'))
  await Promise.all([synced(writer), synced(reader)])
  const readerCloses = watchCloses(reader)
  let gaveUp
  writer.provider.on('closed', event => { gaveUp = event })
  const chunk = 'x'.repeat(48 * 1024)
  for (let i = 0; i < 12 && gaveUp === undefined; i++) {
    writer.text.insert(writer.text.length, chunk)
    await sleep(300)
  }
  await waitFor('the refusal', () => gaveUp !== undefined)
  assert.equal(gaveUp.code, 4413)
  assert.match(gaveUp.reason, /as large as it may grow/)
  assert.equal(writer.provider.shouldConnect, false, 'a stock client stops reconnecting')

  // What was taken before the cap stays, for everyone, and under the cap.
  const late = client(t, server, SPACE, 'notes', token(SPACE, 'lea', 'observer'))
  await synced(late)
  const kept = late.text.length
  assert.ok(kept >= 3 * chunk.length && kept < cap, `kept ${kept}`)
  assert.equal(reader.text.length, kept)
  assert.deepEqual(readerCloses, [])
})

test('a recommendation takes only text, in its texts: an XML paragraph, a root of its own or text among proponents is refused to its sender', async t => {
  const server = await startServer(t, { store: tempDir(t), args: ['--demo'] })
  const doc = recommendationDoc('c-1')
  const bystander = client(t, server, SPACE, doc, token(SPACE, 'bo', 'member'))
  await synced(bystander)
  const before = bystander.text.toString()
  const bystanderCloses = watchCloses(bystander)

  const shapes = [
    [ydoc => ydoc.getText(ROOT.text).insertEmbed(0, new Y.XmlElement('paragraph')), /takes only text/],
    [ydoc => ydoc.getText('paragraphs').insert(0, 'Hidden.'), /no text named "paragraphs"/]
  ]
  for (const [change, reason] of shapes) {
    const sender = client(t, server, SPACE, doc, token(SPACE, 'mallory', 'member'))
    await synced(sender)
    const gaveUp = new Promise(resolve => sender.provider.on('closed', resolve))
    change(sender.ydoc)
    const closed = await gaveUp
    assert.equal(closed.code, 4422)
    assert.match(closed.reason, reason)
  }

  // No Yjs call puts text in an array, but a crafted update can: a
  // string item whose left neighbour is an alternative's first proponent.
  // yrs reads such text at lengths that disagree, and its next walk of the
  // list never ended: one message hung the document for everyone.
  const added = await api(server, 'POST', `/api/spaces/${SPACE}/recommendations/c-1/alternatives`, token(SPACE, 'mia', 'member'), { label: 'Mia', text: 'Hers.' })
  assert.equal(added.status, 201)
  const proponents = () => bystander.ydoc.getMap(ROOT.alternatives).get(added.json.id)?.get(ALTERNATIVE.proponents)
  await waitFor('the alternative', () => proponents()?.length === 1)
  const beside = proponents()._start.id
  const crafted = encoding.createEncoder()
  for (const n of [1, 1, 4242, 0]) encoding.writeVarUint(crafted, n) // one client, one item, its id
  encoding.writeUint8(crafted, 0x80 | 4) // a left neighbour, string content
  encoding.writeVarUint(crafted, beside.client)
  encoding.writeVarUint(crafted, beside.clock)
  encoding.writeVarString(crafted, 'é😀 smuggled')
  encoding.writeVarUint(crafted, 0) // no deletions
  const smuggler = await rawSocket(server, doc, token(SPACE, 'mallory', 'member'))
  smuggler.ws.send(updateMessage(encoding.toUint8Array(crafted)))
  const closed = await smuggler.closed
  assert.equal(closed.code, 4422)
  assert.match(closed.reason, /takes text only in its texts/)
  const alternative = async () => (await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/c-1`, token(SPACE, 'lea', 'observer'))).json.alternatives.find(a => a.id === added.json.id)
  assert.deepEqual((await alternative()).proponents, ['mia'])

  bystander.text.insert(0, 'Fine. ')
  const late = client(t, server, SPACE, doc, token(SPACE, 'lea', 'observer'))
  await synced(late)
  await waitFor('the bystander\'s edit', () => late.text.toString() === `Fine. ${before}`)
  assert.ok(late.text.toDelta().every(op => typeof op.insert === 'string'), 'nothing but text')
  assert.equal(late.ydoc.share.has('paragraphs'), false)
  assert.deepEqual(late.ydoc.getMap(ROOT.alternatives).get(added.json.id).get(ALTERNATIVE.proponents).toArray(), ['mia'])
  assert.deepEqual((await alternative()).proponents, ['mia'])
  assert.deepEqual(bystanderCloses, [])
})

test('reading recommendations that do not exist loads nothing and holds no memory', async t => {
  const server = await startServer(t, { store: tempDir(t), args: ['--demo'] })
  const observer = token(SPACE, 'olga', 'observer')
  await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/c-1`, observer)
  const loaded = await metric(server, 'draftroom_documents_loaded')
  const before = rss(server)
  const reads = 3000
  for (let i = 0; i < reads; i += 50) {
    const statuses = await Promise.all(Array.from({ length: 50 }, (_, j) =>
      api(server, 'GET', `/api/spaces/${SPACE}/recommendations/x-${i + j}`, observer).then(r => r.status)))
    assert.ok(statuses.every(status => status === 404), statuses.join())
  }
  assert.equal(await metric(server, 'draftroom_documents_loaded'), loaded, 'no document was loaded for them')
  const grown = rss(server) - before
  // Each loaded document held about 80 KB: 3,000 of them, about 240 MB.
  assert.ok(grown < 40 * 1024 * 1024, `RSS grew by ${Math.round(grown / 1024)} KB`)
  t.diagnostic(`RSS grew by ${Math.round(grown / 1024)} KB`)
})

test('the live proposals document holds small summaries, however long the proposals; the full ones only the API reads', async t => {
  const server = await startServer(t, { store: tempDir(t), args: ['--demo'] })
  const vice = token(SPACE, 'victor', 'vice-chair')
  const inbox = client(t, server, SPACE, DOCS.proposals, vice)
  await synced(inbox)
  const listed = inbox.ydoc.getMap(DOCS.proposals)
  const before = listed.size

  const long = 'A proposed text that goes on. '.repeat(6000) // 180 KB
  const ids = []
  for (let i = 0; i < 12; i++) {
    const made = await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, token(SPACE, 'mia', 'member'), { title: `Long ${i}`, text: long })
    assert.equal(made.status, 201)
    ids.push(made.json.id)
  }
  await waitFor('every summary', () => listed.size === before + ids.length)
  const late = client(t, server, SPACE, DOCS.proposals, token(SPACE, 'carla', 'chair'))
  await synced(late)
  const held = Y.encodeStateAsUpdate(late.ydoc).length
  assert.ok(held < 20000, `the live document is ${held} bytes`)
  for (const id of ids) assert.deepEqual(Object.keys(late.ydoc.getMap(DOCS.proposals).get(id)).sort(), ['id', 'status', 'steps'])

  // The API still gives each person the proposals they may see, in full.
  const all = (await api(server, 'GET', `/api/spaces/${SPACE}/proposals`, vice)).json
  assert.equal(all.filter(p => ids.includes(p.id) && p.text === long).length, ids.length)
  const others = (await api(server, 'GET', `/api/spaces/${SPACE}/proposals`, token(SPACE, 'bo', 'member'))).json
  assert.equal(others.filter(p => ids.includes(p.id)).length, 0)

  // A step taken shows in the summary, which is what followers wait on.
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${ids[0]}/reject`, vice, { reason: 'Too long.' })).status, 200)
  await waitFor('the rejection to show', () => late.ydoc.getMap(DOCS.proposals).get(ids[0]).status === 'rejected')

  // Nobody opens the full records over the websocket, whatever their role.
  for (const role of ['chair', 'observer']) {
    const refused = await closeOf(`${server.ws}/${SPACE}/proposal-records?token=${token(SPACE, 'carla', role)}`)
    assert.equal(refused.code, 4403)
    assert.match(refused.reason, /read it through the API/)
  }
})

test('SIGTERM under a flood of large updates exits within the shutdown grace, keeping what was acknowledged', async t => {
  const store = tempDir(t)
  const server = await startServer(t, { store })
  const writer = client(t, server, SPACE, 'flood', token(SPACE, 'wes', 'member'))
  await synced(writer)
  writer.text.insert(0, 'Acknowledged. ')
  const observer = client(t, server, SPACE, 'flood', token(SPACE, 'rita', 'observer'))
  await synced(observer)
  await waitFor('the first edit to be served', () => observer.text.length > 0)
  // Frames of 1.5 MB, as fast as the socket takes them.
  const flood = []
  for (let i = 0; i < 4; i++) {
    const sender = await rawSocket(server, 'flood', token(SPACE, `flood-${i}`, 'member'))
    const ydoc = new Y.Doc()
    const frames = setInterval(() => {
      if (sender.ws.readyState !== WebSocket.OPEN || sender.ws.bufferedAmount > 8e6) return
      const before = Y.encodeStateVector(ydoc)
      ydoc.getText('bulk').insert(0, 'y'.repeat(1.5e6))
      sender.ws.send(updateMessage(Y.encodeStateAsUpdate(ydoc, before)))
    }, 20)
    flood.push(() => { clearInterval(frames); sender.ws.terminate() })
  }
  t.after(() => flood.forEach(stop => stop()))
  await sleep(2000)
  const started = Date.now()
  server.proc.kill('SIGTERM')
  const { code } = await server.exited
  const took = Date.now() - started
  flood.forEach(stop => stop())
  assert.equal(code, 0)
  // The documented bound: ten seconds' grace for connections and documents.
  assert.ok(took < 12000, `shutdown took ${took} ms`)

  const again = await startServer(t, { store })
  const late = client(t, again, SPACE, 'flood', token(SPACE, 'lea', 'observer'))
  await synced(late)
  assert.ok(late.text.toString().startsWith('Acknowledged. '))
})

test('in the app, an edit past the document\'s cap says it was not saved and why, and the page says the server stopped', async t => {
  const server = await demoServer(t, ['--max-document-bytes', String(64 * 1024)])
  const instance = await browser(t)
  const mia = await signedIn(t, instance, server, C1, 'mia', 'member')
  const editor = majority(mia.page)
  await editor.waitFor()
  await editor.click()
  await mia.page.keyboard.press('End')
  await mia.page.keyboard.insertText(' ' + 'lorem ipsum '.repeat(9000))
  const indicator = mia.page.locator('.save[role="status"]')
  await mia.page.locator('.save[data-state="refused"]').waitFor()
  assert.match(await indicator.textContent(), /^Not saved: the document is as large as it may grow/)
  const notice = mia.page.locator('[data-refused]')
  await notice.waitFor()
  assert.match(await notice.textContent(), /stopped sending this page live changes: the document is as large as it may grow.*Reload the page to follow it again/)
  await mia.page.screenshot({ path: resolve(SHOTS, 'document-full.png') })

  // Nothing of it was stored.
  const stored = await api(server, 'GET', '/api/spaces/wgigf/recommendations/c-1', token(SPACE, 'olga', 'observer'))
  assert.ok(!stored.json.text.includes('lorem ipsum'))
})

test('in the app, a proposal past one\'s allowance or too long is refused with a reason next to the button, and nothing is kept', async t => {
  const server = await demoServer(t, ['--creations-per-minute', '1', '--max-text-bytes', '64'])
  const instance = await browser(t)
  const { page, errors } = await signedIn(t, instance, server, '/s/wgigf/proposals', 'mia', 'member')
  const title = page.getByRole('textbox', { name: 'Title' })
  const text = page.getByRole('textbox', { name: 'Proposed text' })
  const submit = page.getByRole('button', { name: 'Submit a proposal' })
  await title.waitFor()

  await title.fill('Too long')
  await text.fill('A proposed text longer than the sixty-four bytes this server takes in one go.')
  await submit.click()
  await page.getByText(/the text is 77 bytes long; at most 64 are taken/).waitFor()

  await text.fill('Short.')
  await submit.click()
  await page.getByText('Submitted.').waitFor()
  await title.fill('Again')
  await text.fill('Short again.')
  await submit.click()
  const refusal = page.getByText(/as many things as one person may in a minute \(1\); try again in \d+ s/)
  await refusal.waitFor()
  await page.screenshot({ path: resolve(SHOTS, 'proposal-allowance.png'), fullPage: true })
  const mine = (await api(server, 'GET', '/api/spaces/wgigf/proposals', token(SPACE, 'mia', 'member'))).json
  assert.deepEqual(mine.map(p => p.title), ['Too long'])
  assert.deepEqual(errors.filter(e => !/status of 4(13|29)/.test(e)), [])
})
