// Brackets as objects: each bracketed passage keeps its identity and its
// holders through concurrent edits before and inside it, members hold and
// release, the vice-chair and the chair change its state and clear it, and
// adoption waits for every bracket unless the chair overrides, on the
// record. Real servers, stock Yjs clients, and browsers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import * as Y from 'yjs'
import { api, client, synced, token, waitFor } from './harness.mjs'
import { C1, SHOTS, browser, demoServer, majority, signedIn } from './browser.mjs'
import { DOCS, INDEX, ROOT } from '../../web/src/schema.js'

const SPACE = 'wgigf'
const route = path => `/api/spaces/${SPACE}/recommendations/c-1${path}`
const PASSAGE = '[, including through the regular budget of the United Nations]'

/** A bracket's id as any Yjs client reads it: the id of its `[`. */
function bracketId (text, index) {
  const { item } = Y.createRelativePositionFromTypeIndex(text, index)
  return `${item.client}-${item.clock}`
}

test('a bracket keeps its identity and holders through concurrent insertions before and inside it', async t => {
  const server = await demoServer(t)
  const [ana, bo, vic] = [token(SPACE, 'ana', 'member'), token(SPACE, 'bo', 'member'), token(SPACE, 'vic', 'vice-chair')]
  const one = client(t, server, SPACE, 'r/c-1', ana)
  const two = client(t, server, SPACE, 'r/c-1', bo)
  await Promise.all([synced(one), synced(two)])
  const listed = (await api(server, 'GET', route('/brackets'), bo)).json.brackets
  const [bracket] = listed
  assert.equal(listed.length, 1)
  assert.equal(bracket.passage, PASSAGE)
  assert.equal(bracket.location, 'text')
  assert.deepEqual(bracket.holders, ['demo-member'], 'the demo member holds it')
  assert.equal(bracketId(one.text, one.text.toString().indexOf('[')), bracket.id, 'a stock client reads the same id')
  // A member holds it too; the reason the demo member gave stays theirs to keep.
  const replaced = await api(server, 'PATCH', route(`/brackets/${bracket.id}`), ana, { hold: true, reason: 'Not before the budget talks' })
  assert.equal(replaced.status, 400)
  assert.match(replaced.json.error.message, /has a reason already/)
  const held = await api(server, 'PATCH', route(`/brackets/${bracket.id}`), ana, { hold: true })
  assert.equal(held.status, 200, held.text)
  assert.equal(held.json.reason, bracket.reason)
  assert.deepEqual(held.json.holders, ['demo-member', 'ana'])

  // Both insert at once, neither having seen the other: one before the
  // bracket, one inside it.
  one.text.insert(0, 'Member States agree that ')
  const inside = two.text.toString().indexOf('[') + 1
  two.text.insert(inside, ' where possible and')
  const expected = `[ where possible and, including through the regular budget of the United Nations]`
  await waitFor('both clients to converge', () => one.text.toString() === two.text.toString() && one.text.toString().includes(expected))
  const after = (await api(server, 'GET', route('/brackets'), bo)).json.brackets
  assert.equal(after.length, 1)
  assert.equal(after[0].id, bracket.id, 'the same bracket')
  assert.equal(after[0].passage, expected)
  assert.deepEqual(after[0].holders, ['demo-member', 'ana'])
  assert.equal(after[0].reason, bracket.reason)
  assert.equal(bracketId(two.text, two.text.toString().indexOf('[')), bracket.id)

  // A member changes only their own hold; the vice-chair changes the rest.
  assert.equal((await api(server, 'PATCH', route(`/brackets/${bracket.id}`), bo, { state: 'ad-referendum' })).status, 403)
  assert.equal((await api(server, 'PATCH', route(`/brackets/${bracket.id}`), bo, { holders: [] })).status, 403)
  assert.equal((await api(server, 'PATCH', route(`/brackets/${bracket.id}`), token(SPACE, 'olga', 'observer'), { hold: true })).status, 403)
  const pending = await api(server, 'PATCH', route(`/brackets/${bracket.id}`), vic, { state: 'pending', pending: 'Brazil' })
  assert.equal(pending.status, 200, pending.text)
  assert.equal(pending.json.pending, 'Brazil')
  assert.equal((await api(server, 'PATCH', route('/brackets/1-1'), vic, { state: 'open' })).json.error.code, 'no-such-bracket')
  // A stock client cannot remove a record: the server's part is put back.
  const records = one.ydoc.getMap(ROOT.brackets)
  await waitFor('the record to arrive', () => records.get(bracket.id)?.state === 'pending')
  records.delete(bracket.id)
  await waitFor('the record to be put back', () => records.get(bracket.id)?.state === 'pending')
  // The index summary names the holders.
  const index = client(t, server, SPACE, DOCS.index, bo)
  await synced(index)
  const summary = index.ydoc.getMap(INDEX.recommendations).get('c-1')
  assert.equal(summary.open_brackets, 1)
  assert.deepEqual(summary.bracket_holders, ['ana', 'demo-member'])
})

test('adoption with an open bracket is refused, and goes ahead with an override the audit log keeps', async t => {
  const server = await demoServer(t)
  const chair = token(SPACE, 'carla', 'chair')
  const refused = await api(server, 'PUT', route('/status'), chair, { status: 'adopted' })
  assert.equal(refused.status, 409)
  assert.equal(refused.json.error.code, 'open_brackets')
  assert.match(refused.json.error.message, /1 bracket is not cleared: \[, including through/)
  assert.equal(refused.json.error.brackets.length, 1)
  assert.deepEqual(refused.json.error.brackets[0].holders, ['demo-member'])
  // Only the chair sets a status at all.
  assert.equal((await api(server, 'PUT', route('/status'), token(SPACE, 'vic', 'vice-chair'), { status: 'adopted', override: 'x' })).status, 403)
  const adopted = await api(server, 'PUT', route('/status'), chair, { status: 'adopted', override: 'Agreed in plenary on 3 May' })
  assert.equal(adopted.status, 200, adopted.text)
  assert.equal(adopted.json.status, 'adopted')
  const entries = (await api(server, 'GET', `/api/spaces/${SPACE}/audit`, chair)).json.entries.map(e => e.entry)
  const last = entries.at(-1)
  assert.equal(last.action, 'recommendation.status')
  assert.equal(last.details.override, 'Agreed in plenary on 3 May')
  assert.equal(last.details.open_brackets[0].passage, PASSAGE)
  // Frozen now: no bracket changes, over the API or the websocket.
  const bracket = (await api(server, 'GET', route('/brackets'), chair)).json.brackets[0]
  assert.equal((await api(server, 'PATCH', route(`/brackets/${bracket.id}`), chair, { state: 'cleared' })).json.error.code, 'frozen')
  // Thawed and cleared, the text keeps the chosen option and adoption needs no override.
  await api(server, 'PUT', route('/status'), chair, { status: 'agreed' })
  const cleared = await api(server, 'PATCH', route(`/brackets/${bracket.id}`), chair, { state: 'cleared', remove: true })
  assert.equal(cleared.status, 200, cleared.text)
  const reading = client(t, server, SPACE, 'r/c-1', chair)
  await synced(reading)
  assert.equal(reading.text.toString(), 'The IGF should be funded in a stable, sustainable and predictable manner.')
  assert.equal((await api(server, 'PUT', route('/status'), chair, { status: 'adopted' })).status, 200)
  const actions = (await api(server, 'GET', `/api/spaces/${SPACE}/audit`, chair)).json.entries.map(e => e.entry.action)
  assert.ok(actions.includes('bracket.cleared'))
})

test('in the browser, brackets are marked and listed live; members hold them, the vice-chair changes and clears them, the chair adopts over one with a reason, and an observer only sees', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const ana = await signedIn(t, instance, server, C1, 'ana', 'member')
  const vic = await signedIn(t, instance, server, C1, 'vic', 'vice-chair')
  const olga = await signedIn(t, instance, server, C1, 'olga', 'observer')
  const item = page => page.locator('[data-bracket-item]').first()
  const mark = page => majority(page).locator('.bracket').first()
  for (const { page } of [ana, vic, olga]) {
    await item(page).locator('[data-holders]', { hasText: 'held by Amina Diallo' }).waitFor()
    assert.equal(await mark(page).getAttribute('data-state'), 'open')
  }
  const id = await item(ana.page).getAttribute('data-bracket-item')
  assert.equal(await mark(ana.page).getAttribute('data-bracket'), id, 'the mark and the list name the same bracket')

  // A member holds it; the vice-chair sees it at once.
  await ana.page.locator(`[data-hold="${id}"]`).click()
  await item(ana.page).getByRole('button', { name: 'Hold it' }).click()
  await item(vic.page).locator('[data-holders]', { hasText: 'Amina Diallo, ana' }).waitFor()
  await item(vic.page).locator('.reason', { hasText: 'Assessed contributions' }).waitFor()
  assert.equal(await ana.page.locator(`[data-release="${id}"]`).count(), 1)
  assert.equal(await ana.page.locator(`[data-change-bracket="${id}"]`).count(), 0, 'members change only their own hold')

  // The vice-chair marks it pending one delegation; every page shows it.
  await vic.page.locator(`[data-change-bracket="${id}"]`).click()
  await item(vic.page).locator('select[name="state"]').selectOption('pending')
  await item(vic.page).locator('input[name="pending"]').fill('Brazil')
  await item(vic.page).getByRole('button', { name: 'Save the bracket' }).click()
  for (const { page } of [ana, olga]) {
    await item(page).locator('.badge', { hasText: 'pending Brazil' }).waitFor()
    await majority(page).locator('.bracket[data-state="pending"]').waitFor()
  }
  // An observer sees everything and has no control.
  assert.equal(await olga.page.locator('.bracket-list button:not(.link)').count(), 0)
  // The passage shows in its text.
  await item(ana.page).locator('button.link').click()
  const selected = await ana.page.evaluate(() => document.getSelection()?.toString())
  assert.match(selected, /^\[, including through/)
  await ana.page.screenshot({ path: resolve(SHOTS, 'brackets-member.png'), fullPage: true })

  // The chair is refused adoption, then adopts over the bracket with a reason.
  const carla = await signedIn(t, instance, server, C1, 'carla', 'chair')
  await carla.page.locator('select[name="status"]').selectOption('adopted')
  await carla.page.locator('[data-action="set-status"]').click()
  await carla.page.locator('[data-action="confirm-adopt"]').click()
  await carla.page.locator('.outcome.error', { hasText: '1 bracket is not cleared' }).waitFor()
  await carla.page.screenshot({ path: resolve(SHOTS, 'brackets-adoption-refused.png'), fullPage: true })
  await carla.page.locator('input[name="override"]').fill('Agreed in plenary on 3 May')
  await carla.page.locator('[data-action="adopt-over-brackets"]').click()
  await ana.page.locator('.status-line .badge', { hasText: 'adopted' }).waitFor()
  assert.equal(await ana.page.locator(`[data-release="${id}"]`).count(), 0, 'adopted: no changes')
  const audit = (await api(server, 'GET', `/api/spaces/${SPACE}/audit`, token(SPACE, 'olga', 'observer'))).json.entries.map(e => e.entry)
  assert.equal(audit.at(-1).details.override, 'Agreed in plenary on 3 May')

  // Back to agreed, the vice-chair clears it, keeping nothing of it.
  await carla.page.locator('select[name="status"]').selectOption('agreed')
  await carla.page.locator('[data-action="set-status"]').click()
  await vic.page.locator(`[data-clear="${id}"]`).click()
  await item(vic.page).locator('select[name="keep"]').selectOption('remove')
  await vic.page.locator('[data-action="clear-bracket"]').click()
  await majority(ana.page).filter({ hasText: 'predictable manner.' }).waitFor()
  await ana.page.locator('.bracket-list', { hasText: 'No text is in brackets.' }).waitFor()
  await ana.page.locator('[data-cleared]', { hasText: 'removed' }).waitFor({ state: 'attached' })
  // The dashboard says C has no bracket open now.
  await olga.page.goto(`${server.http}/s/${SPACE}`)
  await olga.page.locator('[data-topic-brackets="C"]', { hasText: '0 open brackets' }).waitFor()
  for (const { errors } of [ana, vic, olga]) assert.deepEqual(errors, [])
  // The chair's one refusal is the browser's to log, and nothing else.
  assert.deepEqual(carla.errors.filter(error => !error.includes('409')), [])
})
