// The browser's session, as an attacker on another origin would try it, in
// a real browser: a page on another port of the same host (same site, so
// the session cookie goes along) opens a websocket and posts a change with
// the victim's cookie, and navigates the victim to a sign-in link of its
// own. Also: one browser signed in to two spaces at once.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { resolve } from 'node:path'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { api, token } from './harness.mjs'
import { C1, SHOTS, browser, demoServer, majority, opened } from './browser.mjs'
import { ROOT } from '../../web/src/schema.js'

const SPACE = 'wgigf'

/** A page of another origin (another port of the host), serving `html`. */
async function otherOrigin (t, html) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end(html)
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  t.after(() => server.close())
  return `http://127.0.0.1:${server.address().port}/`
}

/** A Yjs sync update that puts `words` at the start of a recommendation's majority text. */
function planted (words) {
  const doc = new Y.Doc()
  doc.getText(ROOT.text).insert(0, words)
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc))
  return [...encoding.toUint8Array(encoder)]
}

const textOf = async server => (await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/c-1`, token(SPACE, 'carla', 'chair'))).json.text

test('a page of another origin cannot use the session: its websocket and its changes are refused', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const proposal = (await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, token(SPACE, 'mia', 'member'), { title: 'Mine', text: 'Keep it.' })).json
  const before = await textOf(server)
  // The victim signs in, and then visits the attacker's page.
  const victim = await opened(instance, `${server.http}${C1}?token=${token(SPACE, 'mia', 'member')}`)
  await majority(victim.page).waitFor()
  const attacker = await otherOrigin(t, '<!doctype html><title>Cute cats</title><p>Cute cats</p>')
  await victim.page.goto(attacker)
  const outcome = await victim.page.evaluate(async ([base, space, id, update]) => {
    const socket = await new Promise(resolve => {
      const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/${space}/r/c-1`)
      ws.binaryType = 'arraybuffer'
      let opened = false
      ws.onopen = () => { opened = true; ws.send(new Uint8Array(update)) }
      ws.onclose = event => resolve({ opened, code: event.code, reason: event.reason })
      setTimeout(() => { ws.close(); resolve({ opened, code: null }) }, 3000)
    })
    // A "simple" request, which the browser sends without asking first.
    await fetch(`${base}/api/spaces/${space}/proposals/${id}/withdraw`, { method: 'POST', credentials: 'include', mode: 'no-cors' })
    return socket
  }, [server.http, SPACE, proposal.id, planted('EVIL ')])
  assert.equal(outcome.code, 4403, `the websocket is refused: ${JSON.stringify(outcome)}`)
  assert.match(outcome.reason, /may not act with this browser's session/)
  const after = await api(server, 'GET', `/api/spaces/${SPACE}/proposals/${proposal.id}`, token(SPACE, 'mia', 'member'))
  assert.equal(after.json.status, 'submitted', 'the proposal was not withdrawn')
  assert.equal(await textOf(server), before, 'nothing was written')
  // The same session from the app's own pages still works.
  await victim.page.goto(`${server.http}${C1}`)
  await majority(victim.page).click()
  await victim.page.keyboard.press('Control+Home')
  await victim.page.keyboard.type('Agreed: ')
  for (let tries = 0; !(await textOf(server)).startsWith('Agreed: '); tries++) {
    assert.ok(tries < 100, 'the app\'s own edit is stored')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
})

test('a sign-in link planted by another site does not replace the session without asking; a browser keeps sessions in several spaces', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const victim = await opened(instance, `${server.http}/s/${SPACE}?token=${token(SPACE, 'mia', 'member')}`)
  await victim.page.locator('header .who', { hasText: 'mia' }).waitFor()
  // The attacker's page sends the victim to a link of the attacker's own.
  const mallorys = token(SPACE, 'mallory', 'member')
  const attacker = await otherOrigin(t, `<!doctype html><title>Cute cats</title><script>location.href = ${JSON.stringify(`${server.http}/s/${SPACE}?token=${mallorys}`)}</script>`)
  await victim.page.goto(attacker)
  const switching = victim.page.locator('[data-switch="mallory"]')
  await switching.waitFor()
  assert.match(await victim.page.locator('header .who').textContent(), /Signed in as mia/)
  assert.match(await switching.textContent(), /signs in as mallory/)
  await victim.page.screenshot({ path: resolve(SHOTS, 'switch-person.png'), fullPage: true })
  const me = async page => await page.evaluate(async space => (await (await fetch(`/api/spaces/${space}/me`)).json()).user, SPACE)
  assert.equal(await me(victim.page), 'mia', 'nothing changed before the person said so')
  // Staying drops the link from the address.
  await victim.page.getByRole('button', { name: 'Stay signed in as mia' }).click()
  await victim.page.waitForURL(url => !url.search.includes('token='))
  await victim.page.locator('tr[data-recommendation="c-1"]').waitFor()
  assert.equal(await me(victim.page), 'mia')

  // Someone who does mean to switch (a second role of their own, say) can.
  await victim.page.goto(`${server.http}/s/${SPACE}?token=${token(SPACE, 'mia-chair', 'chair')}`)
  await victim.page.getByRole('button', { name: 'Sign in as mia-chair' }).click()
  await victim.page.locator('header .who', { hasText: 'mia-chair' }).waitFor()
  assert.equal(await me(victim.page), 'mia-chair')

  // A second space, signed in beside the first.
  const other = 'wg-two'
  const chairOfOther = token(other, 'ola', 'chair')
  assert.equal((await api(server, 'POST', '/api/spaces', chairOfOther, { id: other, title: 'Second group', topics: [{ letter: 'A', title: 'Access' }] })).status, 201)
  await victim.page.goto(`${server.http}/s/${other}?token=${chairOfOther}`)
  await victim.page.locator('header .who', { hasText: 'ola' }).waitFor()
  await victim.page.goto(`${server.http}/s/${SPACE}`)
  await victim.page.locator('header .who', { hasText: 'mia-chair' }).waitFor()
  await victim.page.goto(`${server.http}/s/${other}`)
  await victim.page.locator('header .who', { hasText: 'ola' }).waitFor()
  assert.deepEqual(victim.errors, [])
})

test('a session cookie planted by a page on another port is not taken for the person\'s own', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const victim = await opened(instance, `${server.http}/s/${SPACE}?token=${token(SPACE, 'mia', 'member')}`)
  await victim.page.locator('header .who', { hasText: 'mia' }).waitFor()
  // Cookies do not keep ports apart: the attacker's page sets one of the
  // same name for a narrower path, which the browser sends first.
  const attacker = await otherOrigin(t, `<!doctype html><title>Cute cats</title><script>document.cookie = ${JSON.stringify(`draftroom_token.${SPACE}=${token(SPACE, 'mallory', 'member')}; Path=/api`)}</script>`)
  await victim.page.goto(attacker)
  await victim.page.goto(`${server.http}/s/${SPACE}`)
  await victim.page.locator('[data-problem="two-sessions"]').waitFor()
  const me = await victim.page.evaluate(async space => (await fetch(`/api/spaces/${space}/me`)).status, SPACE)
  assert.equal(me, 401, 'neither session is taken')
  await victim.page.screenshot({ path: resolve(SHOTS, 'two-sessions.png'), fullPage: true })
})
