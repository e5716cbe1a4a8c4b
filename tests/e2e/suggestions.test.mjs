// Suggestions accepted one by one, and branches merged in part: a
// suggestion accepted while others type elsewhere lands exactly where it
// was made; one whose words changed underneath says so and is still
// decided; the vice-chair takes some of a branch's changes and leaves the
// rest. Real servers, stock Yjs clients, and browsers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { api, client, synced, token, waitFor } from './harness.mjs'
import { C1, MAJORITY_TEXT, SHOTS, browser, demoServer, majority, signedIn } from './browser.mjs'
import { DOCS, ROOT, branchDoc } from '../../web/src/schema.js'

const SPACE = 'wgigf'
const route = path => `/api/spaces/${SPACE}/recommendations/c-1${path}`
const [ana, bo, vic, olga] = ['ana', 'bo', 'vic', 'olga'].map((user, i) => token(SPACE, user, ['member', 'member', 'vice-chair', 'observer'][i]))

test('a suggestion accepted while a member types elsewhere lands exactly where suggested; one changed underneath says so', async t => {
  const server = await demoServer(t)
  const typist = client(t, server, SPACE, 'r/c-1', bo)
  const watcher = client(t, server, SPACE, 'r/c-1', olga)
  await Promise.all([synced(typist), synced(watcher)])
  const text = typist.text.toString()
  const from = text.indexOf('stable')
  const made = await api(server, 'POST', route('/suggestions'), ana, { location: 'text', from, to: from + 'stable'.length, quote: 'stable', text: 'secure' })
  assert.equal(made.status, 201, made.text)
  assert.equal(made.json.kind, 'replace')
  const id = made.json.id
  await waitFor('the suggestion to reach a stock client', () => watcher.ydoc.getMap(ROOT.suggestions).get(id)?.status === 'pending')
  assert.equal(watcher.text.toString(), text, 'a suggestion is not an edit')

  // Bo types at both ends while the vice-chair accepts.
  let typing = true
  const typed = (async () => {
    for (let i = 0; typing && i < 200; i++) {
      typist.text.insert(0, `${i} `)
      typist.text.insert(typist.text.length, ` ${i}`)
      await new Promise(resolve => setTimeout(resolve, 3))
    }
  })()
  await new Promise(resolve => setTimeout(resolve, 30))
  const accepted = await api(server, 'POST', route(`/suggestions/${id}/accept`), vic)
  typing = false
  await typed
  assert.equal(accepted.status, 200, accepted.text)
  assert.equal(accepted.json.status, 'accepted')
  await waitFor('both to converge', () => typist.text.toString() === watcher.text.toString() && watcher.text.toString().includes('secure'))
  const now = watcher.text.toString()
  assert.ok(now.includes('funded in a secure, sustainable and predictable manner'), now)
  assert.ok(!now.includes('stable'))

  // Changed underneath: still decided, and said.
  const at = now.indexOf('sustainable')
  const second = (await api(server, 'POST', route('/suggestions'), ana, { location: 'text', from: at, to: at + 'sustainable'.length, text: 'lasting' })).json
  typist.text.insert(at + 4, 'XX')
  const changed = async () => (await api(server, 'GET', route('/suggestions'), olga)).json.suggestions.find(s => s.id === second.id)
  await waitFor('the edit to arrive', () => watcher.text.toString().includes('sustXXainable'))
  const seen = await changed()
  assert.equal(seen.changed, true)
  assert.equal(seen.passage, 'sustXXainable')
  assert.equal((await api(server, 'POST', route(`/suggestions/${second.id}/reject`), ana)).status, 403, 'members do not decide')
  assert.equal((await api(server, 'POST', route(`/suggestions/${second.id}/withdraw`), bo)).status, 403, 'only its author withdraws it')
  assert.equal((await api(server, 'POST', route(`/suggestions/${second.id}/accept`), vic)).status, 200)
  await waitFor('the accepted change', () => watcher.text.toString().includes('secure, lasting and predictable'))

  // All of one author's at once, in the audit log by author.
  for (const word of ['IGF', 'funded']) {
    const where = watcher.text.toString().indexOf(word)
    await api(server, 'POST', route('/suggestions'), bo, { location: 'text', from: where, to: where + word.length, text: word.toUpperCase() })
  }
  const all = await api(server, 'POST', route('/suggestions/reject'), vic, { author: 'bo' })
  assert.equal(all.json.suggestions.length, 2)
  const audit = (await api(server, 'GET', `/api/spaces/${SPACE}/audit`, olga)).json.entries.map(e => e.entry)
  const acceptedEntry = audit.find(e => e.action === 'suggestion.accepted')
  assert.equal(acceptedEntry.details.author, 'ana')
  assert.equal(acceptedEntry.actor, 'vic')
  assert.equal(audit.filter(e => e.action === 'suggestion.rejected').length, 2)
  assert.equal((await api(server, 'POST', route('/suggestions'), olga, { location: 'text', from: 0, to: 1, text: 'x' })).status, 403)
})

test('a branch merged in part applies only the accepted hunks', async t => {
  const server = await demoServer(t)
  const branch = (await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, ana, { title: 'Two changes', branch_of: 'c-1' })).json
  const editor = client(t, server, SPACE, branch.doc, ana)
  await synced(editor)
  const text = editor.text.toString()
  editor.ydoc.transact(() => {
    const at = text.indexOf('should')
    editor.text.delete(at, 'should'.length)
    editor.text.insert(at, 'must')
  })
  editor.text.insert(editor.text.toString().indexOf('.'), ', every year')
  const live = client(t, server, SPACE, 'r/c-1', bo)
  await synced(live)
  live.text.insert(0, 'Agreed: ')
  const proposal = route => `/api/spaces/${SPACE}/proposals/${branch.id}${route}`
  let preview
  for (let i = 0; i < 100; i++) {
    preview = (await api(server, 'POST', proposal('/preview'), vic, { into: 'c-1', as: 'majority' })).json
    if (preview.hunks?.length === 2) break
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  assert.deepEqual(preview.hunks.map(h => [h.deleted, h.inserted]), [['should', 'must'], ['', ', every year']])
  const merged = await api(server, 'POST', proposal('/merge'), vic, { into: 'c-1', as: 'majority', hunks: [preview.hunks[1]] })
  assert.equal(merged.status, 200, merged.text)
  assert.equal(merged.json.status, 'partially-merged')
  assert.deepEqual(merged.json.merged_into[0].hunks, [preview.hunks[1]])
  await waitFor('the live text', () => live.text.toString().includes(', every year'))
  const now = live.text.toString()
  assert.ok(now.startsWith('Agreed: The IGF should be funded'), now)
  assert.ok(now.includes('United Nations], every year.'), now)
})

test('in the browser, a member types suggestions, everyone sees them marked, the vice-chair accepts one and rejects the rest, and an observer only sees', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const member = await signedIn(t, instance, server, C1, 'ana', 'member')
  const vice = await signedIn(t, instance, server, C1, 'vic', 'vice-chair')
  const observer = await signedIn(t, instance, server, C1, 'olga', 'observer')
  const stored = async () => (await api(server, 'GET', route(''), olga)).json.text
  const before = await stored()
  assert.equal(await observer.page.locator('[data-action="suggest"]').count(), 0, 'observers suggest nothing')

  // Ana suggests: she selects "stable" and types over it, then adds words at the end.
  await member.page.locator('[data-action="suggest"]').click()
  await majority(member.page).click()
  await member.page.keyboard.press('Control+Home')
  const start = before.indexOf('stable')
  for (let i = 0; i < start; i++) await member.page.keyboard.press('ArrowRight')
  for (let i = 0; i < 'stable'.length; i++) await member.page.keyboard.press('Shift+ArrowRight')
  await member.page.keyboard.type('secure')
  await majority(member.page).locator('.draft.inserted', { hasText: 'secure' }).waitFor()
  await member.page.keyboard.press('Control+End')
  await member.page.keyboard.type(' Reviewed yearly.')
  // Both are sent (the first when she moved on, the second when she paused).
  const item = (page, text) => page.locator('[data-suggestion-item]', { hasText: text })
  await item(vice.page, 'replacing').waitFor()
  await item(vice.page, 'Reviewed yearly.').waitFor()
  await majority(observer.page).locator('.suggestion.inserted', { hasText: 'secure' }).waitFor()
  await majority(observer.page).locator('.suggestion:not(.inserted)', { hasText: 'stable' }).waitFor()
  assert.equal(await stored(), before, 'nothing typed in suggesting mode changed the text')
  assert.equal(await observer.page.locator('.suggestion-list button:not(.link)').count(), 0)
  await vice.page.screenshot({ path: resolve(SHOTS, 'suggestions.png'), fullPage: true })
  // The dashboard counts the suggestions waiting.
  await observer.page.goto(`${server.http}/s/${SPACE}`)
  await observer.page.locator('tr[data-recommendation="c-1"] [data-suggestions]', { hasText: '2' }).waitFor()
  await observer.page.goto(`${server.http}${C1}`)
  await majority(observer.page).waitFor()

  // The vice-chair accepts the first and rejects the rest of Ana's.
  const first = await item(vice.page, 'replacing').getAttribute('data-suggestion-item')
  await vice.page.locator(`[data-accept="${first}"]`).click()
  await member.page.waitForFunction(selector => document.querySelector(selector)?.textContent?.includes('a secure, sustainable'), MAJORITY_TEXT)
  await vice.page.locator('[data-reject-all="ana"]').click()
  await member.page.locator('.suggestion-list', { hasText: 'No suggestion is waiting.' }).waitFor()
  const after = await stored()
  assert.ok(after.includes('a secure, sustainable') && !after.includes('Reviewed yearly.'), after)
  for (const { errors } of [member, vice, observer]) assert.deepEqual(errors, [])
})

test('in the inbox, the vice-chair takes some of a branch\'s changes and leaves the rest', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const branch = (await api(server, 'POST', `/api/spaces/${SPACE}/proposals`, ana, { title: 'Two changes', branch_of: 'c-1' })).json
  const author = await signedIn(t, instance, server, `/s/${SPACE}/${branchDoc(branch.id)}`, 'ana', 'member')
  await majority(author.page).click()
  await author.page.keyboard.press('Control+Home')
  await author.page.keyboard.type('Indeed, ')
  await author.page.keyboard.press('Control+End')
  await author.page.keyboard.type(' Reviewed yearly.')
  await author.page.locator('.save[data-state="saved"]').waitFor()
  const vice = await signedIn(t, instance, server, `/s/${SPACE}/${DOCS.proposals}`, 'vic', 'vice-chair')
  const proposal = vice.page.locator(`[data-proposal="${branch.id}"]`)
  await proposal.locator('[data-action="preview"]').click()
  await proposal.locator('.hunk', { hasText: 'Reviewed yearly.' }).waitFor()
  await proposal.locator('.hunk', { hasText: 'Indeed,' }).locator('input').uncheck()
  await vice.page.screenshot({ path: resolve(SHOTS, 'inbox-hunks.png'), fullPage: true })
  await proposal.locator('[data-action="merge-hunks"]').click()
  await vice.page.locator(`[data-proposal="${branch.id}"]`).waitFor({ state: 'detached' })
  const merged = (await api(server, 'GET', `/api/spaces/${SPACE}/proposals/${branch.id}`, vic)).json
  assert.equal(merged.status, 'partially-merged')
  const text = (await api(server, 'GET', route(''), olga)).json.text
  assert.ok(text.endsWith('Reviewed yearly.') && !text.startsWith('Indeed'), text)
  for (const { errors } of [author, vice]) assert.deepEqual(errors, [])
})
