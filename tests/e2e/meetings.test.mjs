// Meetings: the chair creates them with an agenda, documents and a
// deadline for proposals on their topics; after it, proposals on those
// topics are refused until the vice-chair reopens one; points of broad
// agreement reach every open client live; the meetings page shows it all
// and offers each role its controls. Real servers, stock Yjs clients, and
// a browser.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { api, client, synced, token, waitFor } from './harness.mjs'
import { SHOTS, browser, demoServer, signedIn } from './browser.mjs'
import { DOCS, MEETINGS } from '../../web/src/schema.js'

const SPACE = 'wgigf'
const route = path => `/api/spaces/${SPACE}/meetings${path}`

test("a meeting's deadline refuses late proposals on its topics, saying when it passed, until the vice-chair reopens one", async t => {
  const server = await demoServer(t)
  const [chair, vic, mia] = [token(SPACE, 'demo-chair', 'chair'), token(SPACE, 'demo-vice-chair', 'vice-chair'), token(SPACE, 'mia', 'member')]
  const meeting = {
    number: 6,
    title: '6th meeting',
    starts: '2012-06-25',
    ends: '2012-06-27',
    venue: 'Geneva',
    agenda: [{ topic: 'C' }, { topic: 'E' }, { title: 'Schedule of the 5th meeting' }],
    documents: [{ title: 'Summary of the 3rd meeting', link: 'https://unctad.org/wgigf/3rd-meeting-summary' }],
    deadline: '2012-01-20T12:00:00Z'
  }
  assert.equal((await api(server, 'POST', route(''), vic, meeting)).status, 403)
  const bad = await api(server, 'POST', route(''), chair, { ...meeting, deadline: 'next week' })
  assert.equal(bad.status, 400)
  assert.match(bad.json.error.message, /deadline/)
  const made = await api(server, 'POST', route(''), chair, meeting)
  assert.equal(made.status, 201, made.text)
  assert.deepEqual(made.json.agenda.map(item => item.title), ['Funding of the IGF', 'Linking the IGF to other related processes/mechanisms/bodies', 'Schedule of the 5th meeting'])
  const listed = (await api(server, 'GET', route(''), token(SPACE, 'olga', 'observer'))).json
  assert.deepEqual(listed.map(m => m.number), [3, 4, 5, 6], 'the demo meetings, then this one, by number')

  for (const late of [{ title: 'Late', text: 'A late text.', topic: 'C' }, { title: 'Late branch', branch_of: 'c-1' }]) {
    const refused = await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, mia, late)
    assert.equal(refused.status, 409, JSON.stringify(late))
    assert.equal(refused.json.error.code, 'deadline_passed')
    assert.match(refused.json.error.message, /topic C \(6th meeting\) passed on 20 January 2012 at 12:00 UTC; the vice-chair can reopen the topic/)
  }
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, mia, { title: 'On time', text: 'A text.', topic: 'A' })).status, 201, 'A is not on its agenda')

  assert.equal((await api(server, 'POST', route(`/${made.json.id}/reopen`), mia, { topic: 'C' })).status, 403)
  const reopened = await api(server, 'POST', route(`/${made.json.id}/reopen`), vic, { topic: 'C' })
  assert.equal(reopened.status, 200, reopened.text)
  assert.deepEqual(reopened.json.reopened.map(r => [r.topic, r.by]), [['C', 'demo-vice-chair']])
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, mia, { title: 'Let in', text: 'A text.', topic: 'C' })).status, 201)
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, mia, { title: 'Still late', text: 'A text.', topic: 'E' })).status, 409, 'E stays closed')

  const audit = (await api(server, 'GET', `/api/spaces/${SPACE}/audit`, chair)).json.entries.map(e => e.entry.action)
  assert.ok(audit.includes('meeting.created') && audit.includes('meeting.reopened'))
})

test('points of broad agreement reach every open client live, and only the chair and vice-chair add them', async t => {
  const server = await demoServer(t)
  const [chair, vic] = [token(SPACE, 'demo-chair', 'chair'), token(SPACE, 'demo-vice-chair', 'vice-chair')]
  const made = (await api(server, 'POST', route(''), chair, { title: '3rd meeting', number: 3, starts: '2011-10-31', ends: '2011-11-02', agenda: [{ topic: 'A' }, { topic: 'B' }] })).json
  const watchers = [client(t, server, SPACE, DOCS.meetings, token(SPACE, 'olga', 'observer')), client(t, server, SPACE, DOCS.meetings, token(SPACE, 'mia', 'member'))]
  await Promise.all(watchers.map(synced))
  const points = c => [...c.ydoc.getMap(MEETINGS.points).values()]
  assert.ok(watchers.every(c => c.ydoc.getMap(MEETINGS.meetings).has(made.id)), 'the meeting is there on open')

  const point = { topic: 'A', text: 'The IGF should produce messages from each annual meeting.', attribution: 'summary of discussions by Portugal' }
  assert.equal((await api(server, 'POST', route(`/${made.id}/points`), token(SPACE, 'mia', 'member'), point)).status, 403)
  const added = await api(server, 'POST', route(`/${made.id}/points`), vic, point)
  assert.equal(added.status, 201, added.text)
  await waitFor('both clients to see the point', () => watchers.every(c => points(c).some(p => p.id === added.json.id && p.attribution === point.attribution)))
  assert.equal((await api(server, 'POST', route(`/${made.id}/points`), vic, { ...point, topic: 'C' })).status, 400, 'C is not on its agenda')

  // The document is the server's: a member's write to it is put back.
  watchers[1].ydoc.getMap(MEETINGS.points).set('forged', { id: 'forged', meeting: made.id, topic: 'A', text: 'Forged', by: 'mia', at: '' })
  const fresh = client(t, server, SPACE, DOCS.meetings, token(SPACE, 'olga', 'observer'))
  await synced(fresh)
  await new Promise(resolve => setTimeout(resolve, 300))
  assert.equal(fresh.ydoc.getMap(MEETINGS.points).has('forged'), false)
  const listed = (await api(server, 'GET', route(`/${made.id}/points`), token(SPACE, 'olga', 'observer'))).json
  assert.deepEqual(listed.map(p => p.text), [point.text])
})

test('the meetings page: the chair creates a meeting, everyone sees it live with its deadline counting down, the vice-chair adds a point and reopens a topic, and an observer only reads', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const page = `/s/${SPACE}/${DOCS.meetings}`
  const chair = await signedIn(t, instance, server, page, 'demo-chair', 'chair')
  const observer = await signedIn(t, instance, server, page, 'olga', 'observer')
  // The demo's meetings, the 3rd with its points of broad agreement.
  await observer.page.locator('section.meeting', { hasText: '3rd meeting' }).locator('[data-points="C"] li', { hasText: '(summary of discussions by Portugal)' }).waitFor()
  assert.equal(await observer.page.locator('summary', { hasText: 'New meeting' }).count(), 0, 'only the chair creates meetings')

  // The chair creates the 6th meeting, its deadline a day ahead.
  await chair.page.locator('summary', { hasText: 'New meeting' }).click()
  await chair.page.locator('input[name="number"]').fill('6')
  await chair.page.locator('input[name="title"]').fill('6th meeting')
  await chair.page.locator('input[name="starts"]').fill('2031-02-20')
  await chair.page.locator('input[name="ends"]').fill('2031-02-22')
  await chair.page.locator('input[name="venue"]').fill('Geneva')
  await chair.page.locator('input[name="topic-C"]').check()
  await chair.page.locator('textarea[name="others"]').fill('Finalize the text')
  await chair.page.locator('textarea[name="documents"]').fill('Draft of the report | https://unctad.org/wgigf/draft-report')
  const tomorrow = new Date(Date.now() + 26 * 3600 * 1000)
  const local = new Date(tomorrow.getTime() - tomorrow.getTimezoneOffset() * 60000).toISOString().slice(0, 16)
  await chair.page.locator('input[name="deadline"]').fill(local)
  await chair.page.getByRole('button', { name: 'Create the meeting' }).click()
  await chair.page.locator('.outcome', { hasText: 'Created' }).waitFor()

  // The observer's page shows it at once, counting down.
  const section = observer.page.locator('section.meeting', { hasText: '6th meeting' })
  await section.locator('.deadline[data-deadline="open"]', { hasText: /Proposals on topic C close on .*: in 1 day 1 h/ }).waitFor()
  await section.locator('[data-agenda="C"]', { hasText: 'C. Funding of the IGF' }).waitFor()
  await section.locator('a', { hasText: 'Draft of the report' }).waitFor()
  assert.equal(await section.locator('form, button').count(), 0, 'an observer reads only')

  // The vice-chair adds a point of broad agreement; the observer sees it live.
  const vice = await signedIn(t, instance, server, page, 'demo-vice-chair', 'vice-chair')
  const viceSection = vice.page.locator('section.meeting', { hasText: '6th meeting' })
  await viceSection.locator('input[name^="point-"]').fill('Funding should be stable and predictable.')
  await viceSection.locator('input[name^="attribution-"]').fill('summary of discussions by Portugal')
  await viceSection.getByRole('button', { name: 'Add the point on topic C' }).click()
  await section.locator('[data-points="C"] li', { hasText: 'Funding should be stable and predictable. (summary of discussions by Portugal)' }).waitFor()

  // A meeting whose deadline has passed offers the vice-chair to reopen its topic.
  const chairToken = token(SPACE, 'demo-chair', 'chair')
  const past = await api(server, 'POST', route(''), chairToken, { title: '7th meeting', number: 7, starts: '2012-01-25', ends: '2012-01-27', agenda: [{ topic: 'E' }], deadline: '2012-01-20T12:00:00Z' })
  assert.equal(past.status, 201)
  const closed = vice.page.locator(`section[data-meeting="${past.json.id}"]`)
  await closed.locator('.deadline[data-deadline="passed"]', { hasText: 'Proposals on topic E closed on' }).waitFor()
  await closed.getByRole('button', { name: 'Reopen topic E for proposals' }).click()
  await closed.locator('.deadline', { hasText: 'Topic E reopened by Joaquim Santos.' }).waitFor()
  assert.equal(await closed.getByRole('button', { name: 'Reopen topic E for proposals' }).count(), 0)
  await observer.page.locator(`section[data-meeting="${past.json.id}"] .deadline`, { hasText: 'Topic E reopened' }).waitFor()
  // The meetings are listed by number.
  assert.deepEqual(await observer.page.locator('section.meeting h2').allTextContents(), ['3rd meeting', '4th meeting', '5th meeting', '6th meeting', '7th meeting'])
  await observer.page.screenshot({ path: resolve(SHOTS, 'meetings.png'), fullPage: true })
  await vice.page.screenshot({ path: resolve(SHOTS, 'meetings-vice-chair.png'), fullPage: true })
  for (const { errors } of [chair, observer, vice]) assert.deepEqual(errors, [])
})
