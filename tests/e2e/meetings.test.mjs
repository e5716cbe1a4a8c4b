// Meetings: the chair creates them with an agenda, documents and a
// deadline for proposals on their topics; after it, proposals on those
// topics are refused until the vice-chair reopens one; points of broad
// agreement reach every open client live. Real servers and stock Yjs
// clients.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { api, client, synced, token, waitFor } from './harness.mjs'
import { demoServer } from './browser.mjs'
import { DOCS, MEETINGS } from '../../web/src/schema.js'

const SPACE = 'wgigf'
const route = path => `/api/spaces/${SPACE}/meetings${path}`

test("a meeting's deadline refuses late proposals on its topics, saying when it passed, until the vice-chair reopens one", async t => {
  const server = await demoServer(t)
  const [chair, vic, mia] = [token(SPACE, 'demo-chair', 'chair'), token(SPACE, 'demo-vice-chair', 'vice-chair'), token(SPACE, 'mia', 'member')]
  const meeting = {
    number: 4,
    title: '4th meeting',
    starts: '2012-01-25',
    ends: '2012-01-27',
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
  assert.deepEqual(listed.map(m => m.id), [made.json.id])

  for (const late of [{ title: 'Late', text: 'A late text.', topic: 'C' }, { title: 'Late branch', branch_of: 'c-1' }]) {
    const refused = await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, mia, late)
    assert.equal(refused.status, 409, JSON.stringify(late))
    assert.equal(refused.json.error.code, 'deadline_passed')
    assert.match(refused.json.error.message, /topic C \(4th meeting\) passed on 20 January 2012 at 12:00 UTC; the vice-chair can reopen the topic/)
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
