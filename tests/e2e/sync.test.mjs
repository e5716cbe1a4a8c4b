// Stock Yjs clients (yjs + y-websocket) co-editing through a real server.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import { spawnSync } from 'node:child_process'
import { BIN, SECRET, startServer, tempDir, token, client, synced, waitFor, sleep, closeOf } from './harness.mjs'
import { META, ROOT } from '../../web/src/schema.js'

const SPACE = 'wgigf'

test('three clients typing at once converge', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const clients = ['ana', 'bo', 'chen'].map(user => client(t, server, SPACE, 'rec-1', token(SPACE, user, 'member')))
  await Promise.all(clients.map(synced))
  for (let round = 0; round < 30; round++) {
    clients.forEach((c, i) => {
      // Insert between words only, so that no edit splits another.
      const text = c.text.toString()
      const boundaries = [0, ...[...text].flatMap((ch, at) => ch === ' ' ? [at + 1] : [])]
      c.text.insert(boundaries[Math.floor(Math.random() * boundaries.length)], `${'abc'[i]}${round} `)
      // Each client also types a marker and later deletes it again.
      if (round === 5) c.text.insert(0, `#${i}#`)
      if (round === 20) c.text.delete(c.text.toString().indexOf(`#${i}#`), 3)
    })
    await sleep(5)
  }
  await waitFor('convergence', () => {
    const texts = clients.map(c => c.text.toString())
    return texts.every(text => text === texts[0]) && texts[0].length > 0
  })
  const final = clients[0].text.toString()
  for (let i = 0; i < 3; i++) {
    for (let round = 0; round < 30; round++) assert.ok(final.includes(`${'abc'[i]}${round} `), `edit ${i}/${round} kept`)
    assert.ok(!final.includes(`#${i}#`), `marker ${i} deleted`)
  }
})

test('a late joiner gets the whole document from the server', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const writer = client(t, server, SPACE, 'topic-c/rec-2', token(SPACE, 'ana', 'member'))
  await synced(writer)
  writer.text.insert(0, 'The IGF Trust Fund should be open to all donors.')
  writer.ydoc.getMap(ROOT.meta).set(META.title, 'Funding')
  await sleep(200)
  writer.provider.destroy()
  const late = client(t, server, SPACE, 'topic-c/rec-2', token(SPACE, 'bo', 'member'))
  await synced(late)
  await waitFor('late joiner state', () => late.text.toString() === 'The IGF Trust Fund should be open to all donors.')
  assert.equal(late.ydoc.getMap(ROOT.meta).get(META.title), 'Funding')
})

test('newcomers to a document loaded from its snapshot get it whole, and after an edit, the edit too', async t => {
  const store = tempDir(t)
  const first = await startServer(t, { store })
  const writer = client(t, first, SPACE, 'rec-newcomers', token(SPACE, 'ana', 'member'))
  await synced(writer)
  writer.text.insert(0, 'Stable funding.')
  await sleep(200)
  writer.provider.destroy()
  // A clean stop writes the snapshot the next server loads.
  await first.kill('SIGTERM')
  const server = await startServer(t, { store })
  const [one, two] = ['bo', 'chen'].map(user => client(t, server, SPACE, 'rec-newcomers', token(SPACE, user, 'member')))
  await Promise.all([one, two].map(synced))
  await waitFor('both newcomers to hold the snapshot', () => [one, two].every(c => c.text.toString() === 'Stable funding.'))
  one.text.insert(0, 'Predictable and ')
  await waitFor('the edit to reach the other', () => two.text.toString() === 'Predictable and Stable funding.')
  const late = client(t, server, SPACE, 'rec-newcomers', token(SPACE, 'dan', 'member'))
  await synced(late)
  assert.equal(late.text.toString(), 'Predictable and Stable funding.', 'what a newcomer is sent follows the edit')
})

test('SIGKILL loses nothing that any client received', async t => {
  const store = tempDir(t)
  const first = await startServer(t, { store })
  const writer = client(t, first, SPACE, 'rec-durable', token(SPACE, 'ana', 'member'))
  const reader = client(t, first, SPACE, 'rec-durable', token(SPACE, 'bo', 'member'))
  await Promise.all([synced(writer), synced(reader)])
  for (let i = 0; i < 200; i++) writer.text.insert(writer.text.length, `${i},`)
  // Keep typing while the server dies: whatever the reader saw must survive.
  const typing = setInterval(() => writer.text.insert(writer.text.length, 'x'), 1)
  await waitFor('reader to see the first 200 edits', () => reader.text.toString().includes('199,'))
  await sleep(50)
  const { signal } = await first.kill('SIGKILL')
  clearInterval(typing)
  assert.equal(signal, 'SIGKILL')
  const seen = reader.text.toString()
  writer.provider.destroy()
  reader.provider.destroy()

  const second = await startServer(t, { store })
  const fresh = client(t, second, SPACE, 'rec-durable', token(SPACE, 'chen', 'member'))
  await synced(fresh)
  const restored = fresh.text.toString()
  assert.ok(restored.startsWith(seen), `restored text keeps all ${seen.length} characters the reader saw`)
})

test("an observer's edits reach no one, yet it sees every live edit", async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const member = client(t, server, SPACE, 'rec-obs', token(SPACE, 'ana', 'member'))
  const observer = client(t, server, SPACE, 'rec-obs', token(SPACE, 'olga', 'observer'))
  await Promise.all([synced(member), synced(observer)])
  member.text.insert(0, 'majority text')
  await waitFor('observer to see the member', () => observer.text.toString() === 'majority text')

  observer.text.insert(0, 'OBSERVER WAS HERE ')
  observer.ydoc.getMap(ROOT.meta).set(META.status, 'adopted')
  await sleep(300)
  member.text.insert(member.text.length, '.')
  await waitFor('observer to see the next edit', () => observer.text.toString().endsWith('majority text.'))
  assert.equal(member.text.toString(), 'majority text.')
  assert.equal(member.ydoc.getMap(ROOT.meta).get(META.status), undefined)

  // Nor did it reach the store: a newcomer sees the member's text only.
  const late = client(t, server, SPACE, 'rec-obs', token(SPACE, 'chen', 'member'))
  await synced(late)
  await waitFor('late joiner', () => late.text.toString() === 'majority text.')
  assert.equal(late.ydoc.getMap(ROOT.meta).get(META.status), undefined)
})

test('an observer coming back to a document with deletions is not told it may not edit: it sent nothing new', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const member = client(t, server, SPACE, 'rec-del', token(SPACE, 'ana', 'member'))
  await synced(member)
  member.text.insert(0, 'Some words, some of them struck.')
  member.text.delete(10, 21)
  const observer = client(t, server, SPACE, 'rec-del', token(SPACE, 'olga', 'observer'))
  await synced(observer)
  await waitFor('the observer to hold the text', () => observer.text.toString() === 'Some words.')
  // y-websocket says so only on the console.
  const warned = []
  const warn = console.warn
  console.warn = (...args) => { warned.push(args.join(' ')) }
  t.after(() => { console.warn = warn })
  observer.provider.disconnect()
  observer.provider.connect()
  await synced(observer)
  member.text.insert(0, 'Later: ')
  await waitFor('the next edit', () => observer.text.toString() === 'Later: Some words.')
  await sleep(300)
  assert.deepEqual(warned.filter(line => /Permission denied/.test(line)), [])
})

test('a refused message\'s close code and reason arrive even with the client\'s frames in flight', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const url = `${server.ws}/${SPACE}/rec-flight?token=${token(SPACE, 'ana', 'member')}`
  const filler = Buffer.alloc(64 * 1024, 7)
  for (let round = 0; round < 20; round++) {
    const ws = new WebSocket(url)
    ws.on('error', () => {})
    const closed = new Promise(resolve => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
    await new Promise(resolve => ws.on('open', resolve))
    // An unknown message type, then more the server will not read.
    ws.send(Buffer.from([0x7f, 1, 2, 3]))
    for (let i = 0; i < 40; i++) ws.send(Buffer.concat([Buffer.from([0x7f]), filler]))
    const { code, reason } = await closed
    assert.notEqual(code, 1006, `round ${round}: the connection was reset`)
    assert.ok(code >= 1000 && code !== 1005, `round ${round}: code ${code}`)
    assert.ok(reason.length > 0, `round ${round}: a reason`)
  }
})

test('a token asked for too long an age is an error that says so, not a crash', async t => {
  const ran = spawnSync(BIN, ['token', '--secret', SECRET, '--space', SPACE, '--user', 'ana', '--role', 'member', '--ttl', '18446744073709551615s'])
  assert.equal(ran.status, 1, ran.stderr.toString())
  assert.match(ran.stderr.toString(), /--ttl is too long/)
  assert.doesNotMatch(ran.stderr.toString(), /panicked/)
})

test('expired, forged, missing and other-space tokens are refused with a 44xx close stock clients stop on', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const url = tok => `${server.ws}/${SPACE}/rec-1${tok === undefined ? '' : `?token=${tok}`}`
  const good = token(SPACE, 'ana', 'member')
  assert.deepEqual(await closeOf(url(good)), { code: null })

  const missing = await closeOf(url(undefined))
  assert.equal(missing.code, 4401)
  assert.match(missing.reason, /token is required/)

  const stale = token(SPACE, 'ana', 'member', '1s')
  await sleep(2100)
  const expired = await closeOf(url(stale))
  assert.equal(expired.code, 4401)
  assert.match(expired.reason, /expired/)

  const [payload, signature] = good.split('.')
  const claims = JSON.parse(Buffer.from(payload, 'base64url'))
  const forgedPayload = Buffer.from(JSON.stringify({ ...claims, role: 'chair' })).toString('base64url')
  const forged = await closeOf(url(`${forgedPayload}.${signature}`))
  assert.equal(forged.code, 4401)
  assert.match(forged.reason, /signature/)

  const other = await closeOf(url(token('other-space', 'ana', 'chair')))
  assert.equal(other.code, 4403)
  assert.match(other.reason, /other-space/)
})

test('y-websocket stops reconnecting after a refused sign-in', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const forged = token(SPACE, 'ana', 'member').replace(/.$/, c => (c === 'A' ? 'B' : 'A'))
  const ydoc = new Y.Doc()
  const attempts = []
  const provider = new WebsocketProvider(`${server.ws}/${SPACE}`, 'rec-1', ydoc, {
    params: { token: forged },
    disableBc: true,
    WebSocketPolyfill: class extends WebSocket {
      constructor (...args) { super(...args); attempts.push(Date.now()) }
    }
  })
  // The awareness's timer stops only with its document.
  t.after(() => { provider.destroy(); ydoc.destroy() })
  const closes = []
  provider.on('connection-close', event => closes.push(event?.code))
  await waitFor('the refusal', () => closes.length > 0)
  await sleep(3000)
  assert.equal(closes[0], 4401)
  assert.equal(attempts.length, 1, `reconnected ${attempts.length - 1} times`)
  assert.equal(provider.shouldConnect, false)
})

test('awareness: clients see each other, and leave when they close', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const ana = client(t, server, SPACE, 'rec-aw', token(SPACE, 'ana', 'member'))
  const bo = client(t, server, SPACE, 'rec-aw', token(SPACE, 'bo', 'member'))
  await Promise.all([synced(ana), synced(bo)])
  ana.provider.awareness.setLocalStateField('user', { name: 'Ana' })
  await waitFor('bo to see ana', () => bo.provider.awareness.getStates().get(ana.ydoc.clientID)?.user?.name === 'Ana')
  ana.provider.disconnect()
  await waitFor('ana to leave', () => !bo.provider.awareness.getStates().has(ana.ydoc.clientID))
})

test('a client that joins later sees the awareness of those present', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const ana = client(t, server, SPACE, 'rec-aw2', token(SPACE, 'ana', 'member'))
  await synced(ana)
  ana.provider.awareness.setLocalStateField('user', { name: 'Ana' })
  await sleep(100)
  const late = client(t, server, SPACE, 'rec-aw2', token(SPACE, 'bo', 'observer'))
  await waitFor('late to see ana', () => late.provider.awareness.getStates().get(ana.ydoc.clientID)?.user?.name === 'Ana')
  assert.ok(Y.encodeStateAsUpdate(late.ydoc).length > 0)
})

test('SIGTERM closes clients with "going away", flushes, and exits cleanly', async t => {
  const store = tempDir(t)
  const server = await startServer(t, { store })
  const writer = client(t, server, SPACE, 'rec-term', token(SPACE, 'ana', 'member'))
  await synced(writer)
  writer.text.insert(0, 'kept across a clean stop')
  const watcher = new WebSocket(`${server.ws}/${SPACE}/rec-term?token=${token(SPACE, 'olga', 'observer')}`)
  await new Promise(resolve => watcher.on('open', resolve))
  const closed = new Promise(resolve => watcher.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  await sleep(200)
  server.proc.kill('SIGTERM')
  const { code, reason } = await closed
  assert.equal(code, 1001)
  assert.match(reason, /shutting down/)
  assert.equal((await server.exited).code, 0)
  writer.provider.destroy()

  const again = await startServer(t, { store })
  const reader = client(t, again, SPACE, 'rec-term', token(SPACE, 'bo', 'member'))
  await synced(reader)
  assert.equal(reader.text.toString(), 'kept across a clean stop')
})

test("observers hear a window's updates as one merged update, in order, while editors hear each at once", async t => {
  // A long window, so that the ten updates below fall in one.
  const server = await startServer(t, { store: tempDir(t), args: ['--watch-window', '1s'] })
  const [writer, editor, observer] = [['ana', 'member'], ['bo', 'member'], ['olga', 'observer']]
    .map(([user, role]) => client(t, server, SPACE, 'rec-watch', token(SPACE, user, role)))
  await Promise.all([writer, editor, observer].map(synced))
  // Sync updates (message type 0, step 2) each client receives from here on.
  const updatesHeard = c => {
    const heard = { frames: 0 }
    c.provider.ws.addEventListener('message', event => {
      const bytes = new Uint8Array(event.data)
      if (bytes[0] === 0 && bytes[1] === 2) heard.frames++
    })
    return heard
  }
  const [toEditor, toObserver] = [updatesHeard(editor), updatesHeard(observer)]
  for (let i = 0; i < 10; i++) {
    writer.text.insert(writer.text.length, `${i} `)
    await sleep(20)
  }
  const expected = writer.text.toString()
  await waitFor('the editor to hear each update', () => editor.text.toString() === expected)
  assert.ok(observer.text.toString().length < expected.length, 'the observer is still within the window')
  await waitFor('the observer to hear them all', () => observer.text.toString() === expected)
  assert.equal(expected, '0 1 2 3 4 5 6 7 8 9 ')
  assert.ok(toEditor.frames >= 5, `the editor heard ${toEditor.frames} updates`)
  assert.ok(toObserver.frames <= 2, `the observer heard ${toObserver.frames} frames`)
})
