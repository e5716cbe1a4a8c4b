// Frozen text in the browser: an edit the server refused is put back on
// the page that made it, is never called saved, and never comes back,
// not even when that page reconnects after the text is open again.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { api, token } from './harness.mjs'
import { ADOPTED, C1, MAJORITY_TEXT, SHOTS, browser, demoServer, majority, signedIn, clearBrackets } from './browser.mjs'

const status = async (server, next) =>
  assert.equal((await api(server, 'PUT', '/api/spaces/wgigf/recommendations/c-1/status', token('wgigf', 'carla', 'chair'), { status: next })).status, 200)
const stored = async server =>
  (await api(server, 'GET', '/api/spaces/wgigf/recommendations/c-1', token('wgigf', 'olga', 'observer'))).json.text

test('an edit that reaches the server after adoption is put back, never shown as saved, and never comes back', async t => {
  const server = await demoServer(t)
  // C.1's bracket is cleared first: adoption waits for brackets, and this test is about adopted text.
  await clearBrackets(server)
  const instance = await browser(t)
  // Ana's page talks to the server through a relay that can hold what
  // the page sends, as a slow network would, and drop the connection.
  const context = await instance.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  let holding = false
  const held = []
  const sockets = []
  await page.routeWebSocket(/\/ws\//, ws => {
    const upstream = ws.connectToServer()
    sockets.push(ws)
    ws.onMessage(message => { if (holding) held.push([upstream, message]); else upstream.send(message) })
  })
  await page.goto(`${server.http}${C1}?token=${token('wgigf', 'ana', 'member')}`)
  const bo = await signedIn(t, instance, server, C1, 'bo', 'member')
  await majority(page).waitFor()
  await majority(bo.page).waitFor()

  await majority(page).click()
  await page.keyboard.press('Control+End')
  await page.keyboard.type(' Kept.')
  await page.locator('.save[data-state="saved"]').waitFor()
  const kept = await stored(server)
  assert.ok(kept.endsWith(' Kept.'))

  // Ana types while her edit is on its way; meanwhile the chair adopts.
  holding = true
  await page.keyboard.type(' REFUSED')
  await status(server, ADOPTED)
  await page.locator('.status-line .badge', { hasText: ADOPTED }).waitFor()
  assert.equal(await page.locator('[contenteditable="true"]').count(), 0, 'the page turns read-only')
  holding = false
  for (const [upstream, message] of held.splice(0)) upstream.send(message)

  // The server puts her words back, on her page too, and says why.
  await page.waitForFunction(([selector, text]) => document.querySelector(selector)?.textContent === text, [MAJORITY_TEXT, kept])
  await page.locator('.save', { hasText: /adopted/ }).waitFor()
  assert.notEqual(await page.locator('.save').getAttribute('data-state'), 'saved')
  await page.screenshot({ path: resolve(SHOTS, 'recommendation-refused-edit.png'), fullPage: true })
  assert.equal(await stored(server), kept)

  // The chair moves it back; Ana's page reconnects and sends all it has.
  await status(server, 'bracketed')
  await page.locator('[data-column="majority"] [contenteditable="true"]').waitFor()
  for (const ws of sockets) await ws.close()
  await page.locator('.save', { hasText: 'saved' }).or(page.locator('.status-line')).first().waitFor()
  await majority(page).click()
  await page.keyboard.press('Control+End')
  await page.keyboard.type(' Later.')
  await bo.page.waitForFunction(selector => document.querySelector(selector)?.textContent?.includes('Later.'), MAJORITY_TEXT)
  const final = await stored(server)
  assert.equal(final, `${kept} Later.`)
  assert.ok(!(await majority(bo.page).textContent()).includes('REFUSED'))
})
