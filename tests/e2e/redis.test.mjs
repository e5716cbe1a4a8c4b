// Several draftroom nodes on one Redis (or a Redis Cluster), with real Yjs clients.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, token, client, synced, waitFor, sleep, rawConnect } from './harness.mjs'
import { startRedis, startCluster, freePort } from './redis.mjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const SPACE = 'wgigf'

async function twoNodesConverge (t, store) {
  const a = await startServer(t, { store })
  const b = await startServer(t, { store })
  const clients = [
    client(t, a, SPACE, 'rec-multi', token(SPACE, 'ana', 'member')),
    client(t, a, SPACE, 'rec-multi', token(SPACE, 'bo', 'member')),
    client(t, b, SPACE, 'rec-multi', token(SPACE, 'chen', 'member')),
    client(t, b, SPACE, 'rec-multi', token(SPACE, 'dara', 'member'))
  ]
  await Promise.all(clients.map(synced))
  for (let round = 0; round < 20; round++) {
    clients.forEach((c, i) => c.text.insert(0, `${i}:${round} `))
    await sleep(5)
  }
  await waitFor('all four to converge', () => {
    const texts = clients.map(c => c.text.toString())
    return texts.every(text => text === texts[0]) && texts[0].split(' ').length === 81
  })
}

/** Two nodes on one durable Redis, with a synced client on each of `doc`. */
async function twoNodesOnRedis (t, doc) {
  const redis = await startRedis(t)
  await redis.start()
  const a = await startServer(t, { store: redis.url })
  const b = await startServer(t, { store: redis.url })
  const onA = client(t, a, SPACE, doc, token(SPACE, 'ana', 'member'))
  const onB = client(t, b, SPACE, doc, token(SPACE, 'bo', 'member'))
  await Promise.all([synced(onA), synced(onB)])
  return { redis, a, b, onA, onB }
}

test('clients on two nodes of one Redis converge', async t => {
  const redis = await startRedis(t)
  await redis.start()
  await twoNodesConverge(t, redis.url)
})

test('clients on two nodes of a Redis Cluster converge', async t => {
  const cluster = await startCluster(t)
  await twoNodesConverge(t, cluster.url)
})

test('a node killed mid-edit loses nothing that was broadcast; its clients go on through another', async t => {
  const { a, b, onA: writer, onB: reader } = await twoNodesOnRedis(t, 'rec-failover')
  let n = 0
  const typing = setInterval(() => writer.text.insert(writer.text.length, `${n++},`), 2)
  await waitFor('the reader to see 100 edits', () => reader.text.toString().includes('100,'))
  await a.kill('SIGKILL')
  const seen = reader.text.toString()
  await sleep(50)
  clearInterval(typing)
  // The writer's client moves to node B, as behind a load balancer.
  writer.provider.destroy()
  const provider = new WebsocketProvider(`${b.ws}/${SPACE}`, 'rec-failover', writer.ydoc, {
    params: { token: token(SPACE, 'ana', 'member') }, WebSocketPolyfill: WebSocket, disableBc: true
  })
  t.after(() => provider.destroy())
  const final = writer.text.toString()
  await waitFor('the reader to get all the writer typed', () => reader.text.toString() === final)
  assert.ok(final.startsWith(seen), 'what the reader saw before the kill is kept')
  assert.ok(final.includes(`${n - 1},`))
})

test('Redis killed and restarted mid-edit: clients resync and nothing is lost', async t => {
  const { redis, a, b, onA: ana, onB: bo } = await twoNodesOnRedis(t, 'rec-redis-crash')
  let n = 0
  const typing = setInterval(() => {
    ana.text.insert(ana.text.length, `a${n},`)
    bo.text.insert(0, `b${n},`)
    n++
  }, 5)
  await waitFor('some edits across', () => bo.text.toString().includes('a20,'))
  await redis.kill()
  await sleep(300)
  await redis.start()
  await sleep(300)
  clearInterval(typing)
  await waitFor('both to converge after the restart', () => {
    const text = ana.text.toString()
    return text === bo.text.toString() && text.includes(`a${n - 1},`) && text.includes(`b${n - 1},`)
  }, 30000)
  assert.equal(a.proc.exitCode, null, 'node A still runs')
  assert.equal(b.proc.exitCode, null, 'node B still runs')
  // And it is all in Redis: a newcomer gets every edit.
  const late = client(t, b, SPACE, 'rec-redis-crash', token(SPACE, 'chen', 'observer'))
  await synced(late)
  await waitFor('the newcomer', () => late.text.toString() === ana.text.toString())
})

test('Redis down at start: not ready, connections refused with the reason, then it recovers', async t => {
  const port = await freePort()
  const redis = await startRedis(t, { port })
  const server = await startServer(t, { store: redis.url })
  const ready = await fetch(`${server.http}/readyz`)
  assert.equal(ready.status, 503)
  assert.match(await ready.text(), /store unavailable/)
  const refused = await rawConnect(`${server.ws}/${SPACE}/rec-1?token=${token(SPACE, 'ana', 'member')}`)
  assert.equal(refused.status, 503)
  assert.match(refused.body, /store (is )?unavailable/)

  await redis.start()
  let status = 0
  for (let i = 0; i < 100 && status !== 200; i++) {
    status = (await fetch(`${server.http}/readyz`)).status
    if (status !== 200) await sleep(100)
  }
  assert.equal(status, 200)
  const ana = client(t, server, SPACE, 'rec-1', token(SPACE, 'ana', 'member'))
  await synced(ana)
})

test('a Redis that may evict keys is refused at start; weak durability is warned of', async t => {
  const evicting = await startRedis(t, { policy: 'allkeys-lru' })
  await evicting.start()
  await assert.rejects(startServer(t, { store: evicting.url }), /allkeys-lru/)

  const weak = await startRedis(t, { durable: false })
  await weak.start()
  const server = await startServer(t, { store: weak.url, env: { RUST_LOG: 'warn' } })
  await waitFor('the warning', () => server.stderr().includes('appendonly no'))
})
