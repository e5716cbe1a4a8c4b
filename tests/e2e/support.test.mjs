// Co-sponsors and support: members join or leave an alternative's
// proponents, an alternative that reads as another is refused with a
// pointer to it, support is withdrawn or changed, and the page names who
// supports what. Real servers, stock Yjs clients, and two browsers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { api, client, synced, token, waitFor } from './harness.mjs'
import { C1, SHOTS, browser, demoServer, signedIn } from './browser.mjs'
import { ALTERNATIVE, INDEX, DOCS, ROOT } from '../../web/src/schema.js'

const SPACE = 'wgigf'
const ALT = 'alt-voluntary'
const route = path => `/api/spaces/${SPACE}/recommendations/c-1${path}`

test('co-sponsors join and leave live, the last stays, and a second alternative reading the same is refused', async t => {
  const server = await demoServer(t)
  const [ana, bo] = [token(SPACE, 'ana', 'member'), token(SPACE, 'bo', 'member')]
  const watcher = client(t, server, SPACE, 'r/c-1', token(SPACE, 'olga', 'observer'))
  await synced(watcher)
  const proponents = () => watcher.ydoc.getMap(ROOT.alternatives).get(ALT).get(ALTERNATIVE.proponents).toArray()
  const before = proponents()
  const joined = await api(server, 'POST', route(`/alternatives/${ALT}/proponents`), ana)
  assert.equal(joined.status, 200, joined.text)
  assert.deepEqual(joined.json.proponents, [...before, 'ana'])
  await waitFor('the watcher to see ana join', () => proponents().includes('ana'))
  assert.equal((await api(server, 'POST', route(`/alternatives/${ALT}/proponents`), token(SPACE, 'olga', 'observer'))).status, 403)
  // Everyone else leaves; the last one stays.
  for (const user of before) assert.equal((await api(server, 'DELETE', route(`/alternatives/${ALT}/proponents`), token(SPACE, user, 'member'))).status, 200)
  const last = await api(server, 'DELETE', route(`/alternatives/${ALT}/proponents`), ana)
  assert.equal(last.status, 400)
  assert.match(last.json.error.message, /only proponent/)
  await waitFor('the watcher to see only ana', () => proponents().join() === 'ana')
  // The same text again is refused, naming the one there.
  const text = watcher.ydoc.getMap(ROOT.alternatives).get(ALT).get(ALTERNATIVE.text).toString()
  const again = await api(server, 'POST', route('/alternatives'), bo, { label: 'Mine', text: `  ${text} ` })
  assert.equal(again.status, 409)
  assert.equal(again.json.error.code, 'duplicate-alternative')
  assert.match(again.json.error.message, new RegExp(ALT))
  const audit = (await api(server, 'GET', `/api/spaces/${SPACE}/audit`, ana)).json.entries.map(e => e.entry.action)
  assert.ok(audit.includes('alternative.cosponsored') && audit.includes('alternative.left'))
})

test('support is changed or withdrawn, the page names who supports what, and the index tallies it, in two browsers', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const dashboard = client(t, server, SPACE, DOCS.index, token(SPACE, 'olga', 'observer'))
  await synced(dashboard)
  const tally = () => dashboard.ydoc.getMap(INDEX.recommendations).get('c-1')?.support ?? {}
  const ana = await signedIn(t, instance, server, C1, 'ana', 'member')
  const bo = await signedIn(t, instance, server, C1, 'bo', 'member')
  const button = (page, choice) => page.locator(`[data-support="${choice}"]`)
  const names = (page, choice) => page.locator(`[data-supporters="${choice}"]`)
  await button(ana.page, ALT).click()
  await names(bo.page, ALT).filter({ hasText: 'ana' }).waitFor()
  assert.equal(await button(ana.page, ALT).getAttribute('aria-pressed'), 'true')
  const alternativeCount = () => tally()[ALT] ?? 0
  const before = alternativeCount()
  // Changed: to the majority text.
  await button(ana.page, 'majority').click()
  await names(bo.page, 'majority').filter({ hasText: 'ana' }).waitFor()
  await names(bo.page, ALT).filter({ hasNotText: 'ana' }).waitFor()
  // Withdrawn: pressed again.
  await button(ana.page, 'majority').click()
  await names(bo.page, 'majority').filter({ hasNotText: 'ana' }).waitFor()
  assert.equal(await button(ana.page, 'majority').getAttribute('aria-pressed'), 'false')
  await waitFor('the index to tally it', () => alternativeCount() === before - 1)
  // Co-sponsoring, from the other browser.
  await bo.page.locator(`[data-cosponsor="${ALT}"]`).click()
  await ana.page.locator(`[data-column="${ALT}"] .proponents`, { hasText: 'bo' }).first().waitFor()
  await bo.page.screenshot({ path: resolve(SHOTS, 'support-names.png'), fullPage: true })
  const observer = await signedIn(t, instance, server, C1, 'olga', 'observer')
  await names(observer.page, ALT).waitFor()
  assert.equal(await observer.page.locator('[data-cosponsor]').count(), 0, 'observers co-sponsor nothing')
  for (const { errors } of [ana, bo, observer]) assert.deepEqual(errors, [])
})
