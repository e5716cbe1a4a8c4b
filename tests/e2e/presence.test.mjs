// Presence (Yjs awareness) that one client can send without hurting the
// others: states must be JSON objects of bounded size and nesting (a deep
// one crashes every Yjs client that compares it), what one connection and
// one document hold is capped, and a client id stays with the user who
// first spoke for it. Real servers, real y-websocket clients, the web app
// in chromium.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import * as Y from 'yjs'
import WebSocket from 'ws'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { WebsocketProvider } from 'y-websocket'
import { client, rss, sleep, startServer, synced, tempDir, token, waitFor } from './harness.mjs'
import { C1, SHOTS, browser, demoServer, majority, signedIn } from './browser.mjs'
import { ROOT, recommendationDoc } from '../../web/src/schema.js'

const SPACE = 'wgigf'
const MESSAGE_AWARENESS = 1
const MESSAGE_AUTH = 2

/** An awareness message saying `json` of each `{ client, clock, json }`. */
function awarenessMessage (entries) {
  const update = encoding.createEncoder()
  encoding.writeVarUint(update, entries.length)
  for (const { client, clock, json } of entries) {
    encoding.writeVarUint(update, client)
    encoding.writeVarUint(update, clock)
    encoding.writeVarString(update, json)
  }
  const message = encoding.createEncoder()
  encoding.writeVarUint(message, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(message, encoding.toUint8Array(update))
  return encoding.toUint8Array(message)
}

/**
 * A raw websocket on `doc`: the permission-denied reasons it is sent, and
 * the close the server ends it with.
 */
async function rawSocket (server, doc, tok) {
  const ws = new WebSocket(`${server.ws}/${SPACE}/${doc}?token=${tok}`)
  const denied = []
  ws.on('message', data => {
    const decoder = decoding.createDecoder(new Uint8Array(data))
    if (decoding.readVarUint(decoder) === MESSAGE_AUTH && decoding.readVarUint(decoder) === 0) {
      denied.push(decoding.readVarString(decoder))
    }
  })
  const closed = new Promise(resolve => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  ws.on('error', () => {})
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('unexpected-response', reject) })
  // A send the server closed the connection on meanwhile is not an error here.
  const send = message => new Promise(resolve => ws.send(message, () => resolve()))
  return { ws, closed, denied, send }
}

/** A stock client that says who it is, as the web app does. */
function present (t, server, doc, user, role) {
  const c = client(t, server, SPACE, doc, token(SPACE, user, role))
  c.provider.awareness.setLocalStateField('user', { name: user })
  return c
}

/** The names `c` sees in the document's awareness, its own included. */
function names (c) {
  return [...c.provider.awareness.getStates().values()].map(state => state.user?.name).filter(Boolean).sort()
}

test('a state nested too deep, or not an object, closes its sender alone with the reason; nothing of it reaches anyone', { timeout: 60000 }, async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const ana = present(t, server, 'notes', 'ana', 'member')
  const bo = present(t, server, 'notes', 'bo', 'observer')
  await Promise.all([synced(ana), synced(bo)])
  await waitFor('each to see the other', () => names(ana).length === 2 && names(bo).length === 2)
  const closes = []
  for (const c of [ana, bo]) c.provider.on('connection-close', event => closes.push(event?.code))

  const deep = depth => `{"user":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`
  const refusals = [
    // Deep enough to overflow the stack of every Yjs client that compares it.
    [deep(30000), /nested deeper than 32 levels/],
    [deep(33), /nested deeper than 32 levels/],
    // As the issue sent it: a million levels, 2 MB.
    [`{"a":${'['.repeat(1e6)}${']'.repeat(1e6)}}`, /over the limit of 65536 bytes/],
    ['[{"user":{"name":"mallory"}}]', /not a JSON object/],
    ['"mallory"', /not a JSON object/]
  ]
  for (const [json, reason] of refusals) {
    const mallory = await rawSocket(server, 'notes', token(SPACE, 'mallory', 'observer'))
    await mallory.send(awarenessMessage([{ client: 666, clock: 1, json }]))
    const closed = await mallory.closed
    assert.equal(closed.code, 4422)
    assert.match(closed.reason, reason)
  }
  // As deep as the limit is fine.
  const fine = await rawSocket(server, 'notes', token(SPACE, 'fay', 'observer'))
  await fine.send(awarenessMessage([{ client: 667, clock: 1, json: deep(32) }]))
  await waitFor('the state at the limit', () => ana.provider.awareness.getStates().has(667))
  fine.ws.close()

  assert.equal(ana.provider.awareness.getStates().has(666), false)
  assert.equal(bo.provider.awareness.getStates().has(666), false)
  const late = present(t, server, 'notes', 'lea', 'observer')
  await synced(late)
  await waitFor('the newcomer to see everyone', () => names(late).join() === 'ana,bo,lea')
  assert.equal(late.provider.awareness.getStates().has(666), false)
  ana.provider.awareness.setLocalStateField('cursor', { at: 1 })
  await waitFor('bo to hear ana move', () => [...bo.provider.awareness.getStates().values()].some(s => s.cursor?.at === 1))
  assert.deepEqual(closes, [], 'nobody else was closed')
})

test('a stock client whose state grows past the limit is closed with the reason and stops; nobody sees the state', { timeout: 60000 }, async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const ana = present(t, server, 'notes', 'ana', 'member')
  const bo = present(t, server, 'notes', 'bo', 'member')
  await Promise.all([synced(ana), synced(bo)])
  await waitFor('bo to see ana', () => names(bo).includes('ana'))
  const gaveUp = new Promise(resolve => ana.provider.on('closed', resolve))
  ana.provider.awareness.setLocalStateField('blob', 'x'.repeat(70 * 1024))
  const closed = await gaveUp
  assert.equal(closed.code, 4422)
  assert.match(closed.reason, /over the limit of 65536 bytes/)
  assert.equal(ana.provider.shouldConnect, false)
  await waitFor('ana to be gone from bo\'s awareness', () => !names(bo).includes('ana'))
  assert.ok([...bo.provider.awareness.getStates().values()].every(state => state.blob === undefined))
})

test('what one connection and one document hold in presence is capped, and the server\'s memory stays bounded', { timeout: 60000 }, async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const started = Date.now()
  const before = rss(server)
  const state = JSON.stringify({ user: { name: 'x'.repeat(60000) } })

  // The attack of the issue: 40 observers, 8 ids each, 1.9 MB each. Every
  // state is refused, and its sender closed, before anything is held.
  const huge = JSON.stringify({ user: { name: 'x'.repeat(1900000) } })
  const attackers = await Promise.all(Array.from({ length: 40 }, (_, i) =>
    rawSocket(server, 'notes', token(SPACE, `attacker${i}`, 'observer'))))
  await Promise.all(attackers.map(async (socket, i) => {
    for (let id = 0; id < 8 && socket.ws.readyState === WebSocket.OPEN; id++) {
      await socket.send(awarenessMessage([{ client: 100 + i * 8 + id, clock: 1, json: huge }]))
      await Promise.race([socket.closed, sleep(100)])
    }
  }))
  for (const socket of attackers) assert.equal((await socket.closed).code, 4422)

  // One connection holds four 60 KB states; the fifth would take it past
  // 256 KiB and closes it.
  const greedy = await rawSocket(server, 'solo', token(SPACE, 'greedy', 'observer'))
  for (let id = 0; id < 8; id++) await greedy.send(awarenessMessage([{ client: 900 + id, clock: 1, json: state }]))
  const closed = await greedy.closed
  assert.equal(closed.code, 4422)
  assert.match(closed.reason, /more awareness state than one connection may hold \(262144 bytes\)/)

  // 40 connections of four states each would be 9.6 MB: the document takes
  // what fits in 4 MiB, shows no more, and closes nobody.
  const watcher = present(t, server, 'notes', 'wes', 'observer')
  await synced(watcher)
  const holders = await Promise.all(Array.from({ length: 40 }, (_, i) =>
    rawSocket(server, 'notes', token(SPACE, `holder${i}`, 'observer'))))
  await Promise.all(holders.map(async (socket, i) => {
    for (let id = 0; id < 4; id++) await socket.send(awarenessMessage([{ client: 5000 + i * 4 + id, clock: 1, json: state }]))
  }))
  const fits = Math.floor(4 * 1024 * 1024 / state.length)
  await waitFor('the document to fill', () => watcher.provider.awareness.getStates().size === fits + 1)
  await sleep(500)
  assert.equal(watcher.provider.awareness.getStates().size, fits + 1, 'and no more')
  // Not told by a permission-denied, which clients read as a refused edit.
  assert.deepEqual(holders.flatMap(socket => socket.denied), [])
  assert.equal(await Promise.race([holders[0].closed, sleep(300).then(() => 'open')]), 'open', 'refused, not closed')
  const grown = rss(server) - before
  assert.ok(grown < 128 * 1024 * 1024, `RSS grew by ${Math.round(grown / 1024)} KB`)
  t.diagnostic(`RSS grew by ${Math.round(grown / 1024)} KB`)

  // All of it goes with its connections.
  for (const socket of holders) socket.ws.close()
  await waitFor('the holders to be gone', () => watcher.provider.awareness.getStates().size === 1)
  const late = present(t, server, 'notes', 'lea', 'observer')
  await synced(late)
  await waitFor('the newcomer to see who is here', () => names(late).join() === 'lea,wes')
  assert.ok(Date.now() - started < 60000, 'bounded in time')
})

/** A stock client that speaks under the client id `id`. */
function impostor (t, server, doc, user, id) {
  const ydoc = new Y.Doc()
  ydoc.clientID = id
  const provider = new WebsocketProvider(`${server.ws}/${SPACE}`, doc, ydoc, {
    params: { token: token(SPACE, user, 'member') },
    WebSocketPolyfill: WebSocket,
    disableBc: true
  })
  t.after(() => { provider.destroy(); ydoc.destroy() })
  return { ydoc, provider }
}

test('a client id spoken for by one user is never taken from another: not while they are here, nor once they left', { timeout: 60000 }, async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const ana = present(t, server, 'notes', 'ana', 'member')
  const bo = present(t, server, 'notes', 'bo', 'observer')
  await Promise.all([synced(ana), synced(bo)])
  const id = ana.ydoc.clientID
  await waitFor('bo to see ana', () => bo.provider.awareness.getStates().get(id)?.user?.name === 'ana')
  const seen = []
  bo.provider.awareness.on('change', () => seen.push(bo.provider.awareness.getStates().get(id)?.user?.name))

  const mallory = impostor(t, server, 'notes', 'mallory', id)
  await synced(mallory)
  mallory.provider.awareness.setLocalStateField('user', { name: 'mallory' })
  await sleep(500)
  assert.equal(bo.provider.awareness.getStates().get(id)?.user?.name, 'ana', 'ana is still shown')

  // Ana leaves; her id stays hers.
  ana.provider.disconnect()
  await waitFor('ana to be gone', () => !bo.provider.awareness.getStates().has(id))
  for (let i = 0; i < 3; i++) {
    mallory.provider.awareness.setLocalStateField('user', { name: 'mallory', at: i })
    await sleep(200)
  }
  const late = present(t, server, 'notes', 'lea', 'observer')
  await synced(late)
  await sleep(300)
  assert.equal(late.provider.awareness.getStates().has(id), false, 'a newcomer sees nobody under ana\'s id')

  // Ana comes back and is shown again, to everyone.
  ana.provider.connect()
  await synced(ana)
  ana.provider.awareness.setLocalStateField('user', { name: 'ana', back: true })
  await waitFor('bo to see ana again', () => bo.provider.awareness.getStates().get(id)?.user?.back === true)
  await waitFor('lea to see ana', () => late.provider.awareness.getStates().get(id)?.user?.name === 'ana')
  assert.ok(!seen.includes('mallory'), `bo saw ${seen}`)
  assert.equal(mallory.provider.shouldConnect, true, 'her relays are ignored, not punished')
})

test('the web app shows another person\'s colour only if it is a plain colour; anything else gets one from the palette', { timeout: 60000 }, async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const bo = await signedIn(t, instance, server, C1, 'bo', 'member')
  const ana = await signedIn(t, instance, server, C1, 'ana', 'member')
  await Promise.all([majority(bo.page).waitFor(), majority(ana.page).waitFor()])
  const outside = []
  bo.page.on('request', request => { if (!request.url().startsWith(server.http)) outside.push(request.url()) })

  // Ana's own page gives her a palette colour: it is shown as it is.
  await majority(ana.page).click()
  await ana.page.keyboard.press('Control+End')
  await bo.page.locator('.cm-ySelectionCaret').first().waitFor()
  const anaColour = await bo.page.locator('.cm-ySelectionCaret').first().evaluate(caret => getComputedStyle(caret).backgroundColor)

  // Mallory's client says her colour is a style of its own, or huge.
  const hostile = [
    `red;background:url(${server.http.replace('127.0.0.1', 'localhost')}/leak);position:fixed;inset:0`,
    '#' + '0'.repeat(20000)
  ]
  const mallory = client(t, server, SPACE, recommendationDoc('c-1'), token(SPACE, 'mallory', 'member'))
  await synced(mallory)
  const text = mallory.ydoc.getText(ROOT.text)
  const at = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, 0))
  for (const color of hostile) {
    mallory.provider.awareness.setLocalState({ user: { name: 'mallory', color, colorLight: color }, cursor: { anchor: at, head: at } })
    const caret = bo.page.locator('.cm-ySelectionCaret', { has: bo.page.locator('.cm-ySelectionInfo', { hasText: 'mallory' }) })
    await caret.waitFor()
    const styles = await bo.page.evaluate(() => [...document.querySelectorAll('[style]')].map(node => node.getAttribute('style')))
    assert.ok(styles.every(style => !style.includes('url(') && !style.includes('position') && style.length < 1000), 'no hostile style on the page')
    const colour = await caret.evaluate(node => getComputedStyle(node).backgroundColor)
    assert.match(colour, /^rgb\(\d+, \d+, \d+\)$/)
    assert.notEqual(colour, 'rgb(255, 0, 0)')
  }
  await bo.page.screenshot({ path: resolve(SHOTS, 'presence-hostile-colour.png') })
  assert.deepEqual(outside, [], 'the page fetched nothing from elsewhere')
  assert.match(anaColour, /^rgb\(\d+, \d+, \d+\)$/)
  const anaCaret = bo.page.locator('.cm-ySelectionCaret', { has: bo.page.locator('.cm-ySelectionInfo', { hasText: 'ana' }) })
  assert.equal(await anaCaret.evaluate(node => getComputedStyle(node).backgroundColor), anaColour, 'a plain colour is kept')
  for (const { errors } of [ana, bo]) assert.deepEqual(errors, [])
})
