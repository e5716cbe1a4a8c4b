// Who may see and do what, on every path: the live documents show each
// role what the API shows it, documents take edits only once the server
// made them, websockets close when their token stops holding (it expires,
// or the chair revokes its person's access, on any node), and the server's
// answers carry the headers a browser needs. Real servers, stock Yjs
// clients, real Redis.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, tempDir, token, client, synced, waitFor, sleep, api, closeOf } from './harness.mjs'
import { startRedis } from './redis.mjs'
import { DOCS, FIELDS, branchDoc, recommendationDoc } from '../../web/src/schema.js'

const SPACE = 'wg'
const chair = () => token(SPACE, 'carla', 'chair')
const vice = () => token(SPACE, 'victor', 'vice-chair')
const member = (user = 'mia') => token(SPACE, user, 'member')
const observer = () => token(SPACE, 'olga', 'observer')

async function space (server) {
  const made = await api(server, 'POST', '/api/spaces', chair(), { id: SPACE, title: 'WG', topics: [{ letter: 'A', title: 'Access' }, { letter: 'C', title: 'Funding' }] })
  assert.equal(made.status, 201, made.text)
  const created = await api(server, 'POST', `/api/spaces/${SPACE}/recommendations`, chair(), { topic: 'C', title: 'Funding', text: 'The IGF should be funded.' })
  assert.equal(created.status, 201, created.text)
  return created.json
}

const wsUrl = (server, doc, tok) => `${server.ws}/${SPACE}/${doc}?token=${tok}`

test('the live proposals documents show each role what the API shows it', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  await space(server)
  const mine = await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, member('mia'), { title: 'Fund it', text: 'A secret compromise text.' })
  assert.equal(mine.status, 201)
  const me = tok => api(server, 'GET', `/api/spaces/${SPACE}/me`, tok)
  // The API: observers see none, members their own, the vice-chair all.
  assert.deepEqual((await api(server, 'GET', `/api/spaces/${SPACE}/proposals`, observer())).json, [])
  assert.deepEqual((await api(server, 'GET', `/api/spaces/${SPACE}/proposals`, member('ben'))).json, [])
  // The websocket: the whole inbox is the vice-chair's and the chair's.
  for (const [who, tok] of [['an observer', observer()], ['a member', member('ben')], ['its own author', member('mia')]]) {
    const closed = await closeOf(wsUrl(server, DOCS.proposals, tok))
    assert.equal(closed.code, 4403, `${who} is refused the inbox: ${JSON.stringify(closed)}`)
  }
  assert.equal((await me(observer())).json.proposals_doc, null)
  assert.equal((await me(vice())).json.proposals_doc, DOCS.proposals)
  const inbox = client(t, server, SPACE, DOCS.proposals, vice())
  await synced(inbox)
  assert.ok(inbox.ydoc.getMap(DOCS.proposals).has(mine.json.id))
  // Each author follows their own, and nobody else's.
  const miasDoc = (await me(member('mia'))).json.proposals_doc
  const bensDoc = (await me(member('ben'))).json.proposals_doc
  assert.notEqual(miasDoc, bensDoc)
  assert.equal((await closeOf(wsUrl(server, miasDoc, member('ben')))).code, 4403, 'ben may not follow mia\'s proposals')
  assert.equal((await closeOf(wsUrl(server, miasDoc, observer()))).code, 4403)
  const mia = client(t, server, SPACE, miasDoc, member('mia'))
  const ben = client(t, server, SPACE, bensDoc, member('ben'))
  await Promise.all([synced(mia), synced(ben)])
  assert.deepEqual([...mia.ydoc.getMap(DOCS.proposals).keys()], [mine.json.id])
  assert.equal(ben.ydoc.getMap(DOCS.proposals).size, 0)
  // Live: the author hears the vice-chair's step; nothing reaches ben.
  const rejected = await api(server, 'POST', `/api/spaces/${SPACE}/proposals/${mine.json.id}/reject`, vice(), { reason: 'Out of scope' })
  assert.equal(rejected.status, 200)
  await waitFor('the author to hear the rejection', () => mia.ydoc.getMap(DOCS.proposals).get(mine.json.id)?.status === 'rejected')
  assert.equal(ben.ydoc.getMap(DOCS.proposals).size, 0)
  // No summary anywhere holds a proposal's text.
  assert.ok(!JSON.stringify(inbox.ydoc.getMap(DOCS.proposals).toJSON()).includes('secret'))
  // The audit log says what happened to it, and tells its title and
  // reason only to those who see the proposal.
  const logged = async tok => (await api(server, 'GET', `/api/spaces/${SPACE}/audit`, tok)).json.entries
    .map(e => e.entry).filter(e => e.details.proposal === mine.json.id)
  for (const tok of [observer(), member('ben')]) {
    const entries = await logged(tok)
    assert.deepEqual(entries.map(e => [e.action, e.redacted]), [['proposal.submitted', true], ['proposal.rejected', true]])
    assert.ok(!JSON.stringify(entries).includes('Fund it') && !JSON.stringify(entries).includes('Out of scope'))
  }
  assert.ok(JSON.stringify(await logged(member('mia'))).includes('Out of scope'))
  assert.equal((await api(server, 'GET', `/api/spaces/${SPACE}/audit`, observer())).json.intact, true)
})

test('a branch is read by its author, the vice-chair and the chair only, on the websocket as on the API', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  const rec = await space(server)
  const branch = await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, member('mia'), { title: 'Reword', branch_of: rec.id })
  assert.equal(branch.status, 201)
  const doc = branchDoc(branch.json.id)
  for (const [who, tok] of [['an observer', observer()], ['another member', member('ben')]]) {
    const closed = await closeOf(wsUrl(server, doc, tok))
    assert.equal(closed.code, 4404, `${who} is refused the branch: ${JSON.stringify(closed)}`)
    const diff = await api(server, 'GET', `/api/spaces/${SPACE}/diff?from=live:${rec.id}&to=proposal:${branch.json.id}`, tok)
    assert.equal(diff.status, 404, `${who} gets no diff of it either`)
  }
  for (const tok of [member('mia'), vice(), chair()]) {
    const reader = client(t, server, SPACE, doc, tok)
    await synced(reader)
    assert.equal(reader.text.toString(), 'The IGF should be funded.')
  }
})

test('a recommendation takes no client edit before the chair creates it, and the planted text never shows', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  await space(server)
  // A-1 is the next recommendation under topic A; a member plants text in
  // its majority text and a field before it exists (anything but text is
  // refused outright, as in any recommendation).
  const doc = recommendationDoc('a-1')
  const planter = client(t, server, SPACE, doc, member('eve'))
  await synced(planter)
  // y-websocket tells of a refusal only on the console.
  let refused = ''
  const warn = console.warn
  console.warn = (...args) => { refused += args.join(' ') }
  t.after(() => { console.warn = warn })
  planter.ydoc.transact(() => {
    planter.text.insert(0, 'PLANTED majority. ')
    planter.ydoc.getText(FIELDS[0].key).insert(0, 'PLANTED field. ')
  })
  const bystander = client(t, server, SPACE, doc, member('ben'))
  await synced(bystander)
  await waitFor('the planter to be told', () => refused !== '')
  assert.match(refused, /does not exist yet/)
  const created = await api(server, 'POST', `/api/spaces/${SPACE}/recommendations`, chair(), { topic: 'A', title: 'Open access', text: 'Access for all.' })
  assert.equal(created.status, 201)
  assert.equal(created.json.id, 'a-1')
  const read = await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/a-1`, chair())
  assert.equal(read.json.text, 'Access for all.')
  assert.equal(read.json.title, 'Open access')
  assert.ok(!JSON.stringify(read.json).includes('PLANTED'), JSON.stringify(read.json))
  // The planter's client, still connected, hears the server's text, and
  // its own words stay gone: it sends them again on reconnect, in vain.
  await waitFor('the planter to converge', () => planter.text.toString() === 'Access for all.')
  planter.provider.disconnect()
  planter.provider.connect()
  await synced(planter)
  const newcomer = client(t, server, SPACE, doc, observer())
  await synced(newcomer)
  await sleep(300)
  assert.equal(newcomer.text.toString(), 'Access for all.')
  assert.equal(bystander.text.toString(), 'Access for all.')
})

/** A client whose token lasts `ttl`, and a watcher of the same recommendation, both synced. */
async function shortLived (t, ttl) {
  const server = await startServer(t, { store: tempDir(t) })
  const rec = await space(server)
  const tok = token(SPACE, 'temp', 'member', ttl)
  const writer = client(t, server, SPACE, rec.doc, tok)
  const watcher = client(t, server, SPACE, rec.doc, member('ben'))
  await Promise.all([synced(writer), synced(watcher)])
  return { server, rec, tok, writer, watcher }
}

test('an open websocket closes when its token expires, as the API refuses it', async t => {
  const { server, tok, writer, watcher } = await shortLived(t, '3s')
  let closed = null
  writer.provider.on('connection-close', event => { closed ??= event })
  writer.text.insert(0, 'In time. ')
  await waitFor('the watcher to hear the edit in time', () => watcher.text.toString().startsWith('In time. '))
  await waitFor('the expired token to close its websocket', () => closed !== null, 12000)
  assert.equal(closed.code, 4401)
  assert.match(closed.reason, /expired/)
  const refused = await api(server, 'GET', `/api/spaces/${SPACE}/me`, tok)
  assert.equal(refused.status, 401)
  assert.equal(refused.json.error.code, 'token-expired')
})

test('an edit sent after the token expired is not applied, even before the keepalive notices', async t => {
  const { server, rec, writer, watcher } = await shortLived(t, '2s')
  // Just past the expiry, and at once.
  await sleep(2100)
  writer.text.insert(0, 'Too late. ')
  await sleep(1500)
  assert.ok(!watcher.text.toString().includes('Too late'), watcher.text.toString())
  const read = await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/${rec.id}`, chair())
  assert.ok(!read.json.text.includes('Too late'))
})

/** Revokes `user` as the chair, through the API. */
async function revoke (server, user) {
  const revoked = await api(server, 'POST', `/api/spaces/${SPACE}/revocations`, chair(), { user })
  assert.equal(revoked.status, 200, revoked.text)
  return revoked.json
}

test('the chair revokes a person: their calls fail, their websockets close on every node, and it holds after a restart', async t => {
  const redis = await startRedis(t)
  await redis.start()
  const a = await startServer(t, { store: redis.url })
  const b = await startServer(t, { store: redis.url })
  const rec = await space(a)
  const eves = member('eve')
  const onA = client(t, a, SPACE, rec.doc, eves)
  const onB = client(t, b, SPACE, rec.doc, eves)
  const others = client(t, b, SPACE, rec.doc, member('ben'))
  await Promise.all([onA, onB, others].map(synced))
  const closes = []
  for (const c of [onA, onB]) c.provider.on('connection-close', event => { if (event) closes.push(event.code) })
  // Only the chair revokes.
  assert.equal((await api(b, 'POST', `/api/spaces/${SPACE}/revocations`, vice(), { user: 'eve' })).status, 403)
  assert.equal((await api(a, 'GET', `/api/spaces/${SPACE}/me`, eves)).status, 200)
  const listed = await revoke(a, 'eve')
  assert.deepEqual(listed.map(r => r.user), ['eve'])
  // At once on the node that revoked; within seconds on the others.
  const refused = await api(a, 'GET', `/api/spaces/${SPACE}/me`, eves)
  assert.equal(refused.status, 401)
  assert.equal(refused.json.error.code, 'revoked')
  let onOther
  for (let tries = 0; tries < 50 && onOther?.status !== 401; tries++) {
    if (tries > 0) await sleep(100)
    onOther = await api(b, 'GET', `/api/spaces/${SPACE}/me`, eves)
  }
  assert.equal(onOther.json.error.code, 'revoked')
  await waitFor('both of eve\'s websockets to close', () => closes.length >= 2, 8000)
  assert.deepEqual(closes, [4401, 4401])
  // Others carry on.
  others.text.insert(0, 'Still here. ')
  const newcomer = client(t, a, SPACE, rec.doc, member('zoe'))
  await synced(newcomer)
  await waitFor('others to carry on', () => newcomer.text.toString().startsWith('Still here. '))
  // A link minted for eve afterwards works.
  const minted = await api(a, 'POST', `/api/spaces/${SPACE}/links`, chair(), { user: 'eve', role: 'member', days: 1 })
  assert.equal(minted.status, 201)
  assert.equal((await api(b, 'GET', `/api/spaces/${SPACE}/me`, minted.json.token)).status, 200)
  // The revocation is audited, and survives both nodes restarting.
  const audit = await api(a, 'GET', `/api/spaces/${SPACE}/audit`, chair())
  assert.ok(audit.json.entries.some(e => e.entry.action === 'access.revoked' && e.entry.details.user === 'eve'))
  await a.kill()
  const again = await startServer(t, { store: redis.url })
  assert.equal((await api(again, 'GET', `/api/spaces/${SPACE}/me`, eves)).status, 401)
  assert.equal((await closeOf(wsUrl(again, rec.doc, eves))).code, 4401)
})

test('every answer carries the headers that keep a browser safe, and the cookie is Secure behind https', async t => {
  const server = await startServer(t, { store: tempDir(t) })
  await space(server)
  for (const path of ['/', '/api/spaces/wg/me', '/healthz', '/nowhere']) {
    const res = await fetch(`${server.http}${path}`)
    const csp = res.headers.get('content-security-policy') ?? ''
    assert.match(csp, /script-src 'self'/, path)
    assert.match(csp, /frame-ancestors 'none'/, path)
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path)
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path)
  }
  const cookieOf = async server => {
    const signIn = await fetch(`${server.http}/s/${SPACE}?token=${member()}`, { redirect: 'manual' })
    assert.equal(signIn.status, 303)
    return signIn.headers.get('set-cookie')
  }
  const plain = await cookieOf(server)
  assert.match(plain, new RegExp(`^draftroom_token\\.${SPACE}=`))
  assert.match(plain, /HttpOnly/)
  assert.doesNotMatch(plain, /Secure/)
  // Behind https, a name no other origin may set, not even another port.
  const behindTls = await startServer(t, { store: tempDir(t), args: ['--public-url', 'https://drafts.example'] })
  const secure = await cookieOf(behindTls)
  assert.match(secure, new RegExp(`^__Host-draftroom_token\\.${SPACE}=`))
  assert.match(secure, /; Secure/)
})
