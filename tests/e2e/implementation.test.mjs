// Monitoring of implementation: once a recommendation is adopted its text
// stays frozen, and its responsible body's representatives (and the
// vice-chair and the chair) append reports on how its implementation goes,
// which every open client sees live, in the app too. Real servers, stock
// Yjs clients, and a browser.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { api, client, synced, token, waitFor } from './harness.mjs'
import { C1, SHOTS, browser, clearBrackets, demoServer, signedIn } from './browser.mjs'
import { ROOT } from '../../web/src/schema.js'
import { validateAkn } from './akn.mjs'
import { readDocx } from './docx.mjs'

const SPACE = 'wgigf'
const route = `/api/spaces/${SPACE}/recommendations/c-1/implementation`

test('an adopted text stays frozen while its responsible body appends implementation reports, live for every client', async t => {
  const server = await demoServer(t)
  const chair = token(SPACE, 'demo-chair', 'chair')
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/people`, chair, { user: 'desa', name: 'Dana Ek', delegation: 'UN DESA' })).status, 201)
  const [desa, brazil] = [token(SPACE, 'desa', 'member'), token(SPACE, 'demo-brazil', 'member')]
  const entry = { status: 'in-progress', note: 'Multi-year pledges received from three donors.', evidence: 'https://unctad.org/igf-trust-fund', as_of: '2012-09-30' }
  const early = await api(server, 'POST', route, desa, entry)
  assert.equal(early.status, 409)
  assert.equal(early.json.error.code, 'not_adopted')

  await clearBrackets(server)
  assert.equal((await api(server, 'PUT', `/api/spaces/${SPACE}/recommendations/c-1/status`, chair, { status: 'adopted', consensus: 'consensus' })).status, 200)
  const watchers = [client(t, server, SPACE, 'r/c-1', token(SPACE, 'olga', 'observer')), client(t, server, SPACE, 'r/c-1', token(SPACE, 'demo-member', 'member'))]
  await Promise.all(watchers.map(synced))
  const adopted = watchers[0].text.toString()

  const added = await api(server, 'POST', route, desa, entry)
  assert.equal(added.status, 201, added.text)
  const refused = await api(server, 'POST', route, brazil, { ...entry, status: 'implemented' })
  assert.equal(refused.status, 403)
  assert.match(refused.json.error.message, /responsible body/)
  assert.equal((await api(server, 'POST', route, token(SPACE, 'olga', 'observer'), entry)).status, 403)
  assert.equal((await api(server, 'POST', route, chair, { ...entry, as_of: 'last year' })).status, 400)
  await waitFor('both clients to see the report', () => watchers.every(c => c.ydoc.getMap(ROOT.implementationReports).has(added.json.id)))

  // The text stays frozen: a member's edit is put back, while reports go on.
  watchers[1].text.insert(0, 'Changed after adoption. ')
  assert.equal((await api(server, 'POST', route, chair, { status: 'implemented', as_of: '2013-03-01' })).status, 201)
  await waitFor('the edit to be put back and the second report to arrive', () =>
    watchers.every(c => c.text.toString() === adopted && c.ydoc.getMap(ROOT.implementationReports).size === 2))
  const listed = (await api(server, 'GET', route, token(SPACE, 'olga', 'observer'))).json
  assert.deepEqual(listed.map(e => [e.status, e.as_of, e.by]), [['in-progress', '2012-09-30', 'desa'], ['implemented', '2013-03-01', 'demo-chair']])
  const audit = (await api(server, 'GET', `/api/spaces/${SPACE}/audit`, chair)).json.entries.map(e => e.entry)
  assert.equal(audit.filter(entry => entry.action === 'implementation.reported' && entry.details.recommendation === 'c-1').length, 2)

  // The report on implementation says where things stood on the date asked.
  const report = async query => {
    const answer = await fetch(`${server.http}/api/spaces/${SPACE}/implementation-report?${query}`, { headers: { authorization: `Bearer ${token(SPACE, 'olga', 'observer')}` } })
    assert.equal(answer.status, 200, query)
    return answer
  }
  const end2012 = await (await report('format=md&as_of=2012-12-31')).text()
  assert.match(end2012, /# Report on implementation as of 31 December 2012/)
  assert.match(end2012, /### C\.1 Stable and predictable funding/)
  assert.match(end2012, /\*Responsible body: UN DESA and the IGF Secretariat\.\*/)
  assert.match(end2012, /\*Status on 31 December 2012: in progress\.\*/)
  assert.match(end2012, /\*\*30 September 2012:\*\* in progress\. Multi-year pledges received from three donors\. Evidence: https:\/\/unctad\.org\/igf-trust-fund\. Reported by Dana Ek \(UN DESA\)\./)
  assert.doesNotMatch(end2012, /implemented\./, 'what was reported for a later date is left out')
  assert.doesNotMatch(end2012, /Messages from each annual meeting/, 'only adopted recommendations')
  assert.match(await (await report('format=md&as_of=2013-06-01')).text(), /Status on 1 June 2013: implemented\./)
  assert.match(await (await report('format=md&as_of=2012-01-01')).text(), /Nothing reported by 1 January 2012\./)
  validateAkn(t, await (await report('format=akn&as_of=2013-06-01')).text())
  const answer = await report('format=docx&as_of=2013-06-01')
  assert.match(answer.headers.get('content-disposition'), /filename="wgigf-implementation\.docx"/)
  const word = readDocx(t, Buffer.from(await answer.arrayBuffer()))
  assert.deepEqual(word.paragraphs.filter(p => p.style === 'Title').map(p => p.text), ['Report on implementation as of 1 June 2013'])
  assert.ok(word.paragraphs.some(p => p.style === 'Standing' && p.text === 'Status on 1 June 2013: implemented.'))
  assert.equal((await api(server, 'GET', `/api/spaces/${SPACE}/implementation-report?as_of=June`, chair)).status, 400)
})

test('on an adopted recommendation, the responsible body reports in the app and everyone sees its history live; others only read', async t => {
  const server = await demoServer(t)
  const chair = token(SPACE, 'demo-chair', 'chair')
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/people`, chair, { user: 'desa', name: 'Dana Ek', delegation: 'UN DESA' })).status, 201)
  await clearBrackets(server)
  assert.equal((await api(server, 'PUT', `/api/spaces/${SPACE}/recommendations/c-1/status`, chair, { status: 'adopted', consensus: 'consensus' })).status, 200)
  const instance = await browser(t)
  const desa = await signedIn(t, instance, server, C1, 'desa', 'member')
  const observer = await signedIn(t, instance, server, C1, 'olga', 'observer')
  const brazil = await signedIn(t, instance, server, C1, 'demo-brazil', 'member')
  await observer.page.getByText('Nothing has been reported on its implementation yet.').waitFor()
  for (const reader of [observer, brazil]) {
    await reader.page.locator('section.implementation').waitFor()
    assert.equal(await reader.page.getByRole('form', { name: 'Report on its implementation' }).count(), 0, 'only those who report have the form')
  }

  const form = desa.page.getByRole('form', { name: 'Report on its implementation' })
  await form.locator('select[name="implementation-status"]').selectOption('in-progress')
  await form.locator('input[name="as-of"]').fill('2012-09-30')
  await form.locator('input[name="note"]').fill('Multi-year pledges received.')
  await form.locator('input[name="evidence"]').fill('https://unctad.org/igf-trust-fund')
  await form.getByRole('button', { name: 'Report' }).click()
  await form.locator('.outcome', { hasText: 'Reported' }).waitFor()
  // A link that is not one is refused, said beside the form.
  await form.locator('input[name="evidence"]').fill('ftp://files.example/report')
  await form.getByRole('button', { name: 'Report' }).click()
  await form.locator('.outcome.error', { hasText: 'a link is an http(s) address' }).waitFor()

  const history = observer.page.locator('section.implementation')
  await history.locator('.implementation-status', { hasText: 'Latest: in progress, as of' }).waitFor()
  await history.locator('li', { hasText: 'Multi-year pledges received.' }).locator('.who', { hasText: 'Reported by Dana Ek (UN DESA).' }).waitFor()
  assert.equal(await observer.page.locator('[contenteditable="true"]').count(), 0, 'the adopted text stays frozen')
  await observer.page.screenshot({ path: resolve(SHOTS, 'implementation.png'), fullPage: true })
  for (const { errors } of [desa, observer, brazil]) assert.deepEqual(errors.filter(error => !/40[0-9]/.test(error)), [])
})
