// What happened, from the audit log: a meeting's Chair's summary lists
// exactly the actions of its days, and the chair finishes it in a document
// only the chair writes (over the websocket as over HTTP); a
// recommendation's lineage tells a merged proposal, who supports which
// text, a version and the adoption in order. Real servers, stock Yjs clients, and a browser.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { api, client, startServer, synced, tempDir, token, waitFor, sleep } from './harness.mjs'
import { SHOTS, browser, clearBrackets, demoServer, signedIn } from './browser.mjs'
import { AUDIT_ACTIONS, DOCS, MEETINGS, recommendationDoc, summaryDoc } from '../../web/src/schema.js'

const SPACE = 'wg'
const route = path => `/api/spaces/${SPACE}${path}`
const chair = token(SPACE, 'carla', 'chair')
const vic = token(SPACE, 'vic', 'vice-chair')
const mia = token(SPACE, 'mia', 'member')
const olga = token(SPACE, 'olga', 'observer')

/** The actions a Chair's summary tells of. */
const SUMMARIZED = [AUDIT_ACTIONS.recommendationCreated, AUDIT_ACTIONS.proposalMerged, AUDIT_ACTIONS.proposalRejected, AUDIT_ACTIONS.recommendationStatus, AUDIT_ACTIONS.bracketCleared, AUDIT_ACTIONS.versionNamed]

/** A fresh space where a recommendation is created, a proposal merged into it and another rejected, a bracket cleared, a version named and the text adopted, with actions no summary tells of between them. */
async function drafted (t) {
  const server = await startServer(t, { store: tempDir(t) })
  assert.equal((await api(server, 'POST', '/api/spaces', chair, { id: SPACE, title: 'WG', topics: [{ letter: 'C', title: 'Funding' }] })).status, 201)
  assert.equal((await api(server, 'POST', route('/people'), chair, { user: 'mia', name: 'Mia Berg', delegation: 'Sweden' })).status, 201)
  const made = await api(server, 'POST', route('/recommendations'), chair, { topic: 'C', title: 'Stable funding', text: 'The IGF should be funded [through the UN budget].' })
  assert.equal(made.status, 201, made.text)
  const merged = await api(server, 'POST', route('/proposals'), mia, { title: 'Multi-year pledges', text: 'Donors should pledge for several years.', topic: 'C' })
  assert.equal((await api(server, 'POST', route(`/proposals/${merged.json.id}/merge`), vic, { into: 'c-1', as: 'majority' })).status, 200)
  assert.equal((await api(server, 'POST', route('/recommendations/c-1/support'), mia, { for: 'majority' })).status, 200)
  const rejected = await api(server, 'POST', route('/proposals'), mia, { title: 'A levy on domains', text: 'A levy on every domain name.', topic: 'C' })
  assert.equal((await api(server, 'POST', route(`/proposals/${rejected.json.id}/reject`), vic, { reason: 'Outside the mandate.' })).status, 200)
  assert.equal((await api(server, 'POST', route('/recommendations/c-1/comments'), mia, { location: 'text', from: 0, to: 7, quote: 'The IGF', body: 'Which IGF?' })).status, 201)
  const { brackets } = (await api(server, 'GET', route('/recommendations/c-1/brackets'), vic)).json
  assert.equal((await api(server, 'PATCH', route(`/recommendations/c-1/brackets/${brackets[0].id}`), vic, { state: 'cleared', keep: 0 })).status, 200)
  const version = await api(server, 'POST', route('/versions'), vic, { name: 'Before adoption' })
  assert.equal(version.status, 201, version.text)
  assert.equal((await api(server, 'PUT', route('/recommendations/c-1/status'), chair, { status: 'adopted', consensus: 'full' })).status, 200)
  return { server, merged: merged.json.id, rejected: rejected.json.id, version: version.json.id }
}

const today = () => new Date().toISOString().slice(0, 10)

test("a Chair's summary lists exactly the actions between the meeting's dates, and only the chair writes it, over the websocket as over HTTP", async t => {
  const { server } = await drafted(t)
  const meeting = async (title, day) => (await api(server, 'POST', route('/meetings'), chair, { title, starts: day, ends: day, venue: 'Geneva', agenda: [{ topic: 'C' }] })).json
  // Day boundaries are UTC: a test run across midnight would straddle two.
  const now = await meeting('Today', today())
  const long = await meeting('Long ago', '2012-01-25')
  assert.equal((await api(server, 'POST', route(`/meetings/${now.id}/points`), vic, { topic: 'C', text: 'Funding should be predictable.', attribution: 'summary of discussions by Sweden' })).status, 201)

  // The activity of its days is the log's summarized entries, every one, in order.
  const { entries } = (await api(server, 'GET', route('/audit'), chair)).json
  const expected = entries.filter(e => SUMMARIZED.includes(e.entry.action)).map(e => e.seq)
  const activity = (await api(server, 'GET', route(`/meetings/${now.id}/activity`), olga)).json
  assert.deepEqual(activity.happened.map(h => h.seq), expected)
  assert.deepEqual(activity.happened.map(h => h.kind), ['created', 'merged', 'rejected', 'bracket-cleared', 'version', 'status'])
  assert.equal(activity.happened.find(h => h.kind === 'rejected').title, '', "an observer is not told a rejected proposal's title")
  assert.deepEqual(activity.points.map(p => p.text), ['Funding should be predictable.'])
  assert.deepEqual((await api(server, 'GET', route(`/meetings/${long.id}/activity`), olga)).json.happened, [])
  assert.equal((await api(server, 'GET', route('/meetings/m-none/activity'), olga)).status, 404)

  // The chair drafts it; nobody else may.
  for (const who of [vic, mia, olga]) assert.equal((await api(server, 'POST', route(`/meetings/${now.id}/summary`), who, {})).status, 403)
  const draft = await api(server, 'POST', route(`/meetings/${now.id}/summary`), chair, {})
  assert.equal(draft.status, 200, draft.text)
  const text = draft.json.text
  assert.equal(draft.json.doc, summaryDoc(now.id))
  for (const line of [
    "# Chair's summary: Today",
    '## Recommendations created\n\n- C.1 “Stable funding”',
    '## Proposals merged\n\n- “Multi-year pledges”, proposed by Mia Berg (Sweden), merged into C.1 “Stable funding”.',
    '## Proposals rejected\n\n- “A levy on domains”: Outside the mandate.',
    '## Status changes\n\n- C.1 “Stable funding”: adopted (full consensus).',
    '## Brackets cleared\n\n- C.1 “Stable funding”: “[through the UN budget]”',
    '## Versions named\n\n- “Before adoption”.',
    '### Topic C. Funding\n\n- Funding should be predictable. (summary of discussions by Sweden)'
  ]) assert.ok(text.includes(line), `${line}\n---\n${text}`)
  assert.doesNotMatch(text, /Which IGF|Mia Berg \(Sweden\) added/, 'comments and the roster are no part of it')
  const again = await api(server, 'POST', route(`/meetings/${now.id}/summary`), chair, {})
  assert.equal(again.status, 409)
  assert.equal(again.json.error.code, 'summary-begun')

  // Live: the chair's words reach a member's client; a member's and an
  // observer's edits are not applied, and never come back.
  const [carla, member, watcher] = [chair, mia, olga].map(tok => client(t, server, SPACE, summaryDoc(now.id), tok))
  await Promise.all([carla, member, watcher].map(synced))
  const summaryOf = c => c.ydoc.getText(MEETINGS.summary)
  assert.equal(summaryOf(member).toString(), text)
  summaryOf(carla).insert(summaryOf(carla).length, '\nThe Chair thanked the delegations.\n')
  await waitFor('the chair\'s words to reach the member', () => summaryOf(member).toString().endsWith('The Chair thanked the delegations.\n'))
  summaryOf(member).insert(0, 'MEMBER WAS HERE ')
  summaryOf(watcher).insert(0, 'OBSERVER WAS HERE ')
  await sleep(500)
  const fresh = client(t, server, SPACE, summaryDoc(now.id), chair)
  await synced(fresh)
  assert.doesNotMatch(summaryOf(fresh).toString(), /WAS HERE/)
  assert.doesNotMatch(summaryOf(carla).toString(), /WAS HERE/)

  // Only a meeting there is has a summary document.
  await assert.rejects(synced(client(t, server, SPACE, summaryDoc('m-none'), chair)), /refused with 4404/)

  // Its exports, for anyone in the space, hold what the chair wrote.
  const md = await api(server, 'GET', route(`/meetings/${now.id}/summary?format=md`), olga)
  assert.equal(md.status, 200)
  assert.match(md.text, /^# Chair's summary: Today$/m)
  assert.match(md.text, /The Chair thanked the delegations\./)
  const html = await api(server, 'GET', route(`/meetings/${now.id}/summary?format=html`), olga)
  assert.match(html.text, /<h2>Proposals merged<\/h2>\n<ul>\n<li>“Multi-year pledges”/)
  assert.equal((await api(server, 'GET', route(`/meetings/${long.id}/summary?format=md`), olga)).status, 404, 'not begun')
  // Drafting again, when asked, replaces it.
  assert.equal((await api(server, 'POST', route(`/meetings/${now.id}/summary`), chair, { replace: true })).status, 200)
  await waitFor('the draft to replace the text', () => summaryOf(fresh).toString() === text)
})

test('a lineage lists a merged proposal, a version and the adoption in order, then the implementation reports', async t => {
  const { server, merged, version } = await drafted(t)
  assert.equal((await api(server, 'POST', route('/recommendations/c-1/implementation'), chair, { status: 'in-progress', note: 'Pledges received.', evidence: '', as_of: '2013-01-31' })).status, 201)
  const lineage = await api(server, 'GET', route('/recommendations/c-1/lineage'), olga)
  assert.equal(lineage.status, 200, lineage.text)
  const steps = lineage.json.steps
  assert.deepEqual(steps.map(s => s.kind), ['created', 'merged', 'support', 'bracket-cleared', 'version', 'status', 'implementation'])
  assert.deepEqual([steps[2].by, steps[2].choice], ['mia', 'majority'])
  const [mergedStep, versionStep, adoption] = ['merged', 'version', 'status'].map(kind => steps.find(s => s.kind === kind))
  assert.deepEqual([mergedStep.proposal, mergedStep.title, mergedStep.author, mergedStep.as, mergedStep.by], [merged, 'Multi-year pledges', 'mia', 'majority', 'vic'])
  assert.deepEqual([versionStep.version, versionStep.name, versionStep.status], [version, 'Before adoption', 'draft'])
  assert.deepEqual([adoption.status, adoption.consensus], ['adopted', 'full'])
  const times = steps.map(s => s.at)
  assert.deepEqual(times, [...times].sort(), 'in time order')
  assert.equal((await api(server, 'GET', route('/recommendations/c-9/lineage'), olga)).status, 404)
})

test("the meetings page: the chair drafts a meeting's summary and finishes it while an observer reads it live and exports it", async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const page = `/s/wgigf/${DOCS.meetings}`
  const [lena, tomas] = [await signedIn(t, instance, server, page, 'demo-chair', 'chair'), await signedIn(t, instance, server, page, 'demo-observer', 'observer')]
  // The 3rd meeting's days are long past: its summary is its points.
  const third = p => p.locator('section.meeting').filter({ has: p.locator('h2', { hasText: '3rd meeting' }) })
  await third(lena.page).locator('details.chairs-summary summary').click()
  await third(tomas.page).locator('details.chairs-summary summary').click()
  await third(tomas.page).locator('.who', { hasText: 'The chair has not begun this summary.' }).waitFor()
  await third(lena.page).getByRole('button', { name: 'Draft it from what happened' }).click()
  const theirs = third(tomas.page).locator('.summary-text .cm-content')
  await theirs.locator('.cm-line', { hasText: 'Funding of the IGF should be stable, sustainable and predictable. (summary of discussions by Portugal)' }).waitFor()
  assert.equal(await theirs.getAttribute('contenteditable'), 'false', 'an observer reads it only')
  assert.equal(await third(tomas.page).getByRole('button', { name: /Draft it/ }).count(), 0)

  // The chair writes on; the observer sees it as it is typed.
  const mine = third(lena.page).locator('.summary-text .cm-content')
  await mine.locator('.cm-line').last().click()
  await lena.page.keyboard.press('End')
  await lena.page.keyboard.type('\nThe Chair thanked the Government of Switzerland.')
  await theirs.locator('.cm-line', { hasText: 'The Chair thanked the Government of Switzerland.' }).waitFor()

  // Drafting again asks first, and keeping what is written keeps it.
  await third(lena.page).getByRole('button', { name: 'Draft it again from what happened' }).click()
  await third(lena.page).locator('[role="alert"]', { hasText: 'This replaces everything written in the summary.' }).waitFor()
  await third(lena.page).getByRole('button', { name: 'Keep what is written' }).click()
  await mine.locator('.cm-line', { hasText: 'The Chair thanked the Government of Switzerland.' }).waitFor()

  // The observer exports it.
  const [download] = await Promise.all([tomas.page.waitForEvent('download'), third(tomas.page).getByRole('link', { name: 'Markdown' }).click()])
  const md = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8')
  assert.match(md, /^# Chair's summary: 3rd meeting$/m)
  assert.match(md, /The Chair thanked the Government of Switzerland\./)
  await third(tomas.page).screenshot({ path: resolve(SHOTS, 'chairs-summary.png') })
  for (const { errors } of [lena, tomas]) assert.deepEqual(errors, [])
})

test('the timeline on a recommendation page: an observer sees its lineage, and its adoption joins it live', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const tomas = await signedIn(t, instance, server, `/s/wgigf/${recommendationDoc('b-1')}`, 'demo-observer', 'observer')
  const steps = tomas.page.locator('section.timeline ol.lineage > li')
  await steps.first().waitFor()
  assert.deepEqual(await steps.evaluateAll(items => items.map(item => item.dataset.kind)), ['created', 'status', 'implementation', 'implementation'])
  await steps.filter({ hasText: 'Adopted (consensus); moved by Lena Kovács.' }).waitFor()
  await steps.filter({ hasText: 'Implementation reported by Kwame Asante (UN DESA): implemented as of March 31, 2013.' }).waitFor()
  await tomas.page.locator('section.timeline').screenshot({ path: resolve(SHOTS, 'timeline.png') })

  // On C.1, the adoption joins an open page's timeline without a reload.
  await tomas.page.goto(`${server.http}/s/wgigf/${recommendationDoc('c-1')}`)
  await tomas.page.locator('section.timeline ol.lineage > li[data-kind="alternative"]', { hasText: 'Alternative “Voluntary contributions only” added by Amina Diallo (Senegal).' }).waitFor()
  await clearBrackets(server)
  assert.equal((await api(server, 'PUT', '/api/spaces/wgigf/recommendations/c-1/status', token('wgigf', 'demo-chair', 'chair'), { status: 'adopted', consensus: 'consensus' })).status, 200)
  await tomas.page.locator('section.timeline li[data-kind="bracket-cleared"]').first().waitFor()
  await tomas.page.locator('section.timeline li[data-kind="status"]').last().filter({ hasText: 'Adopted (consensus)' }).waitFor()
  assert.deepEqual(tomas.errors, [])
})

test('the implementation page: an observer sees each adopted recommendation by responsible body or topic, its latest status and history, and exports the report as of a date', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const tomas = await signedIn(t, instance, server, '/s/wgigf/implementation', 'demo-observer', 'observer')
  const group = tomas.page.locator('section.implementation-group', { hasText: 'UN DESA, on the advice of the IGF Secretariat.' })
  const mag = group.locator('article[data-recommendation="b-1"]')
  await mag.locator('h3', { hasText: 'B.1 Transparent selection of MAG members' }).waitFor()
  await mag.locator('.implementation-status[data-status="implemented"]', { hasText: 'Latest: implemented.' }).waitFor()
  // Dates as the browser's locale (here en-US) writes them.
  assert.deepEqual(await mag.locator('ol.history li strong').allTextContents(), ['July 31, 2012: in progress.', 'March 31, 2013: implemented.'])
  assert.equal(await tomas.page.locator('main form, main button').count(), 0, 'an observer reports nothing here')
  await tomas.page.screenshot({ path: resolve(SHOTS, 'implementation-page.png'), fullPage: true })

  await tomas.page.locator('select[name="grouping"]').selectOption('topic')
  await tomas.page.locator('section.implementation-group[data-group="Topic B"] article[data-recommendation="b-1"] .who', { hasText: 'Responsible body: UN DESA' }).waitFor()

  // The report as of a date between the two reports says where it stood then.
  await tomas.page.locator('input[name="as-of"]').fill('2012-12-31')
  const [download] = await Promise.all([tomas.page.waitForEvent('download'), tomas.page.getByRole('link', { name: 'Markdown' }).click()])
  const md = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8')
  assert.match(md, /Status on 31 December 2012: in progress\./)
  assert.doesNotMatch(md, /Outside|implemented\. One third/)
  assert.deepEqual(tomas.errors, [])
})
