// Comments anchored to passages: the anchor follows its sentence through
// others' concurrent edits and a restart, a deleted passage leaves its
// comment marked with the words it was about, threads are replied to,
// resolved and reopened, observers read them, versions keep those of their
// time, and exports include them only when asked. Real servers, stock Yjs
// clients, and browsers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import * as Y from 'yjs'
import { api, client, synced, token, waitFor } from './harness.mjs'
import { C1, SHOTS, browser, demoServer, majority, signedIn } from './browser.mjs'
import { ROOT, versionDoc } from '../../web/src/schema.js'

const SPACE = 'wgigf'
const route = path => `/api/spaces/${SPACE}/recommendations/c-1${path}`
const SENTENCE = 'stable, sustainable and predictable manner'

/** Where a stock Yjs client finds a comment's passage in its own copy. */
function passageIn (ydoc, comment) {
  const at = encoded => Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(encoded, 'base64')), ydoc)
  const [start, end] = [at(comment.start), at(comment.end)]
  return start.type.toString().slice(start.index, end.index)
}

/** Resolves with what `read` finds once it finds something; fails after `timeout` ms. */
async function until (what, read, timeout = 10000) {
  const start = Date.now()
  for (;;) {
    const found = await read()
    if (found) return found
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

test('a comment stays on its sentence while another client types before it, and after a restart; deleted, it stays with its words', async t => {
  let server = await demoServer(t)
  const [ana, bo, olga] = [token(SPACE, 'ana', 'member'), token(SPACE, 'bo', 'member'), token(SPACE, 'olga', 'observer')]
  const typist = client(t, server, SPACE, 'r/c-1', bo)
  const watcher = client(t, server, SPACE, 'r/c-1', olga)
  await Promise.all([synced(typist), synced(watcher)])
  const from = typist.text.toString().indexOf(SENTENCE)
  // Bo types before the sentence while Ana's comment is on its way.
  const typing = (async () => {
    for (const word of ['Member ', 'States ', 'agree: ']) {
      typist.text.insert(0, word)
      await new Promise(resolve => setTimeout(resolve, 5))
    }
  })()
  const made = await api(server, 'POST', route('/comments'), ana, { location: 'text', from, to: from + SENTENCE.length, quote: SENTENCE, body: 'Which budget lines?' })
  await typing
  assert.equal(made.status, 201, made.text)
  assert.equal(made.json.passage, SENTENCE)
  assert.equal(made.json.author, 'ana')
  const id = made.json.id
  // Live: the observer's stock client sees it, and finds the sentence itself.
  await waitFor('the comment to reach the observer', () => watcher.ydoc.getMap(ROOT.comments).has(id))
  await waitFor('the typing to arrive', () => watcher.text.toString().startsWith('agree: States Member '))
  assert.equal(passageIn(watcher.ydoc, watcher.ydoc.getMap(ROOT.comments).get(id)), SENTENCE)
  const listed = (await api(server, 'GET', route('/comments'), olga)).json.comments
  assert.equal(listed.find(c => c.id === id).passage, SENTENCE)
  assert.equal((await api(server, 'POST', route('/comments'), olga, { location: 'text', from: 0, to: 3, body: 'x' })).status, 403, 'observers read only')
  // Nor can a member's stock client remove it: the server puts it back.
  const records = typist.ydoc.getMap(ROOT.comments)
  await waitFor('the comment to reach the typist', () => records.has(id))
  records.delete(id)
  await waitFor('the comment to be put back', () => records.has(id))

  // It survives a restart, and goes on following the text.
  await server.kill()
  server = await demoServer(t, [], server)
  const again = client(t, server, SPACE, 'r/c-1', bo)
  await synced(again)
  again.text.insert(0, 'Indeed, ')
  const after = (await api(server, 'GET', route('/comments'), olga)).json.comments.find(c => c.id === id)
  assert.equal(after.passage, SENTENCE)
  assert.equal(passageIn(again.ydoc, again.ydoc.getMap(ROOT.comments).get(id)), SENTENCE)

  // Deleted, the comment stays, marked, with the words it was about.
  const text = again.text.toString()
  again.text.delete(text.indexOf(SENTENCE), SENTENCE.length)
  const gone = await until('the comment to be marked deleted', async () =>
    (await api(server, 'GET', route('/comments'), olga)).json.comments.find(c => c.id === id && c.deleted))
  assert.equal(gone.passage, '')
  assert.equal(gone.quote, SENTENCE)
})

test('threads are replied to, resolved and reopened by those who may; versions keep the comments of their time; exports include them only when asked', async t => {
  const server = await demoServer(t)
  const [ana, bo, vic, olga] = [token(SPACE, 'ana', 'member'), token(SPACE, 'bo', 'member'), token(SPACE, 'vic', 'vice-chair'), token(SPACE, 'olga', 'observer')]
  const reader = client(t, server, SPACE, 'r/c-1', olga)
  await synced(reader)
  const alternative = reader.ydoc.getMap(ROOT.alternatives).get('alt-voluntary').get('text').toString()
  const made = await api(server, 'POST', route('/comments'), ana, { location: 'alternatives/alt-voluntary', from: 0, to: alternative.indexOf(' should'), body: 'Who is “the IGF” here?' })
  assert.equal(made.status, 201, made.text)
  assert.equal(made.json.passage, 'The IGF')
  const id = made.json.id
  // A member who does not propose the alternative deletes it: the server
  // puts the words back, and the comment stays on them.
  const other = client(t, server, SPACE, 'r/c-1', bo)
  await synced(other)
  const theirs = other.ydoc.getMap(ROOT.alternatives).get('alt-voluntary').get('text')
  theirs.delete(0, theirs.length)
  await waitFor('the words to be put back', () => theirs.toString() === alternative)
  const kept = (await api(server, 'GET', route('/comments'), olga)).json.comments.find(c => c.id === id)
  assert.equal(kept.deleted, false)
  assert.equal(kept.passage, 'The IGF')
  const thread = path => route(`/comments/${id}${path}`)
  assert.equal((await api(server, 'POST', thread('/replies'), bo, { body: 'The forum itself.' })).status, 201)
  assert.equal((await api(server, 'POST', thread('/replies'), olga, { body: 'x' })).status, 403)
  assert.equal((await api(server, 'POST', thread('/resolve'), bo)).status, 403, 'only its author, the vice-chair and the chair resolve it')
  const resolved = await api(server, 'POST', thread('/resolve'), vic)
  assert.equal(resolved.json.resolved.by, 'vic')
  assert.equal((await api(server, 'POST', thread('/reopen'), ana)).json.resolved, undefined)
  assert.equal((await api(server, 'POST', route('/comments/k-none/resolve'), ana)).json.error.code, 'no-such-comment')
  assert.equal((await api(server, 'POST', route('/comments'), ana, { location: 'text', from: 3, to: 3, body: 'x' })).status, 400, 'a comment needs a passage')

  // A version keeps the comments of its time.
  await waitFor('the live text to hold the comment', () => reader.ydoc.getMap(ROOT.comments).has(id))
  const atTheTime = [...reader.ydoc.getMap(ROOT.comments).keys()].sort()
  const version = await api(server, 'POST', `/api/spaces/${SPACE}/versions`, vic, { name: 'Before the second comment', recommendation: 'c-1' })
  assert.equal(version.status, 201, version.text)
  await api(server, 'POST', route('/comments'), bo, { location: 'text', from: 0, to: 7, body: 'Later' })
  const copy = client(t, server, SPACE, versionDoc(version.json.id, 'c-1'), olga)
  await synced(copy)
  assert.deepEqual([...copy.ydoc.getMap(ROOT.comments).keys()].sort(), atTheTime)
  await waitFor('the live text to hold the later one too', () => reader.ydoc.getMap(ROOT.comments).size === atTheTime.length + 1)

  // Exports leave comments out unless asked, then show each with its replies.
  const exported = async (format, comments) => (await fetch(`${server.http}/api/spaces/${SPACE}/export?format=${format}${comments ? '&comments=true' : ''}`, { headers: { authorization: `Bearer ${olga}` } })).text()
  assert.doesNotMatch(await exported('md', false), /Comments/)
  const markdown = await exported('md', true)
  assert.match(markdown, /#### Comments\n\n- On /)
  assert.match(markdown, /\n- On “The IGF” in alternative “Voluntary contributions only”, ana \([^)]+\): Who is “the IGF” here\?/)
  assert.match(markdown, /\n {2}- Reply from bo \([^)]+\): The forum itself\./)
  assert.match(await exported('html', true), /<section class="comments">/)
  assert.match(await exported('akn', true), /<hcontainer name="comments"/)
  const audit = (await api(server, 'GET', `/api/spaces/${SPACE}/audit`, olga)).json.entries.map(e => e.entry.action)
  for (const action of ['comment.added', 'comment.replied', 'comment.resolved', 'comment.reopened']) assert.ok(audit.includes(action), action)
})

test('in the browser, a member comments on selected words, others see the thread live and reply, its author resolves it, and an observer only reads', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const ana = await signedIn(t, instance, server, C1, 'ana', 'member')
  const bo = await signedIn(t, instance, server, C1, 'bo', 'member')
  const olga = await signedIn(t, instance, server, C1, 'olga', 'observer')
  // The demo's thread is there for everyone.
  for (const { page } of [ana, bo, olga]) await page.locator('[data-thread]', { hasText: 'Which mechanisms' }).waitFor()

  // Ana selects "The IGF" at the start of the majority text and comments.
  await majority(ana.page).click()
  await ana.page.keyboard.press('Control+Home')
  for (let i = 0; i < 'The IGF'.length; i++) await ana.page.keyboard.press('Shift+ArrowRight')
  await ana.page.locator('.new-comment', { hasText: /^On The IGF in Majority text/ }).waitFor()
  await ana.page.locator('textarea[name="comment"]').fill('The forum, or its Secretariat?')
  await ana.page.locator('[data-action="comment"]').click()
  const thread = page => page.locator('[data-thread]', { hasText: 'The forum, or its Secretariat?' })
  await thread(bo.page).waitFor()
  const id = await thread(bo.page).getAttribute('data-thread')
  await majority(bo.page).locator(`.comment[data-comment="${id}"]`, { hasText: 'The IGF' }).waitFor()
  await majority(olga.page).locator(`.comment[data-comment="${id}"]`).waitFor()

  // Ana starts a reply while Bo replies: her words stay in her field.
  await thread(ana.page).locator('input[name="reply"]').fill('Both, I think')
  await thread(bo.page).locator('input[name="reply"]').fill('The Secretariat.')
  await bo.page.locator(`[data-reply="${id}"]`).click()
  await thread(ana.page).locator('.reply', { hasText: 'The Secretariat.' }).waitFor()
  assert.equal(await thread(ana.page).locator('input[name="reply"]').inputValue(), 'Both, I think')
  assert.equal(await bo.page.locator(`[data-resolve="${id}"]`).count(), 0, 'only its author resolves it (or those who merge)')
  await ana.page.screenshot({ path: resolve(SHOTS, 'comments-thread.png'), fullPage: true })

  // An observer reads every thread and has no control.
  assert.equal(await olga.page.locator('.comment-list form, .comment-list button:not(.link)').count(), 0)

  // Ana resolves it: it leaves the open list, and its mark goes.
  await ana.page.locator(`[data-resolve="${id}"]`).click()
  await bo.page.locator('.comment-list details.resolved summary', { hasText: 'Resolved (1)' }).waitFor()
  await majority(bo.page).locator(`.comment[data-comment="${id}"]`).waitFor({ state: 'detached' })
  // An export with the comments, from the page.
  await olga.page.locator('.exports input[name="comments"]').check()
  const [download] = await Promise.all([
    olga.page.waitForEvent('download'),
    olga.page.locator('.exports a', { hasText: 'Markdown' }).click()
  ])
  assert.match(readFileSync(await download.path(), 'utf8'), /#### Comments\n\n- On /)
  // The dashboard counts the demo's open thread.
  await olga.page.goto(`${server.http}/s/${SPACE}`)
  await olga.page.locator('tr[data-recommendation="c-1"] [data-comments]', { hasText: '1' }).waitFor()
  for (const { errors } of [ana, bo, olga]) assert.deepEqual(errors, [])
})
