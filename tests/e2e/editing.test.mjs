// Editing together in a real browser: whose edits undo takes back, typing
// that survives others' actions, frozen texts, the server going away, who
// is here. Several signed-in contexts share one server per test.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { api, token, waitFor } from './harness.mjs'
import { ADOPTED, C1, SHOTS, browser, demoServer, signedIn, clearBrackets } from './browser.mjs'
import { CONSENSUS_LEVELS, DOCS, FIELDS, META, STATUSES } from '../../web/src/schema.js'

const TASKS = FIELDS[0].title
const editor = (page, label) => page.locator(`.cm-content[aria-label="${label}"]`)

/**
 * Waits until the editor labelled `label` holds every string of `has` and
 * none of `lacks`; answers its text. The text is read without what the
 * editor draws in it besides: others' carets (with their names) and the
 * placeholder.
 */
async function holds (page, label, { has = [], lacks = [] }) {
  const handle = await page.waitForFunction(({ label, has, lacks }) => {
    const content = document.querySelector(`.cm-content[aria-label="${label}"]`)
    if (content === null) return false
    const copy = content.cloneNode(true)
    copy.querySelectorAll('.cm-ySelectionCaret, .cm-placeholder').forEach(node => node.remove())
    const text = [...copy.querySelectorAll('.cm-line')].map(line => line.textContent).join('\n')
    return has.every(s => text.includes(s)) && !lacks.some(s => text.includes(s)) && text
  }, { label, has, lacks }, { timeout: 10000 })
  return await handle.jsonValue()
}

const stored = async server => (await api(server, 'GET', '/api/spaces/wgigf/recommendations/c-1', token('wgigf', 'olga', 'observer'))).json

/** Types `text` at the end of the editor labelled `label`. */
/** The chair sets a status (and a consensus level) with the page's controls. */
async function setStatus (page, status, consensus) {
  await page.locator(`select[name="${META.status}"]`).selectOption(status)
  if (consensus !== undefined) await page.locator(`select[name="${META.consensus}"]`).selectOption(consensus)
  await page.locator('[data-action="set-status"]').click()
  if (status === ADOPTED) await page.locator('[data-action="confirm-adopt"]').click()
}

async function typeAtEnd (page, label, text) {
  await editor(page, label).click()
  await page.keyboard.press('Control+End')
  await page.keyboard.type(text)
}

test('undo takes back only your own edits, in every editor; redo brings them back', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const ana = await signedIn(t, instance, server, C1, 'ana', 'member')
  const bo = await signedIn(t, instance, server, C1, 'bo', 'member')
  for (const { page } of [ana, bo]) await editor(page, TASKS).waitFor()
  const original = (await stored(server)).fields[FIELDS[0].key]

  // Ana and Bo take turns typing at the end of the same field.
  await typeAtEnd(ana.page, TASKS, ' Alpha words.')
  await holds(bo.page, TASKS, { has: ['Alpha words.'] })
  await typeAtEnd(bo.page, TASKS, ' Bravo words.')
  await holds(ana.page, TASKS, { has: ['Bravo words.'] })
  await typeAtEnd(ana.page, TASKS, ' Charlie words.')
  const together = await holds(bo.page, TASKS, { has: ['Charlie words.'] })
  assert.equal(together, `${original} Alpha words. Bravo words. Charlie words.`)

  // Ana undoes, more times than she typed: her words go, Bo's stay, on both pages.
  await editor(ana.page, TASKS).click()
  for (let i = 0; i < 4; i++) await ana.page.keyboard.press('Control+z')
  const undone = { has: [original, 'Bravo words.'], lacks: ['Alpha', 'Charlie'] }
  assert.equal(await holds(ana.page, TASKS, undone), `${original} Bravo words.`)
  assert.equal(await holds(bo.page, TASKS, undone), `${original} Bravo words.`)
  await ana.page.screenshot({ path: resolve(SHOTS, 'undo-own-edits.png'), fullPage: true })

  // Redo (Ctrl+Y, and Ctrl+Shift+Z: a keyboard sends a capital with Shift)
  // brings hers back where they were.
  for (let i = 0; i < 2; i++) {
    await ana.page.keyboard.press('Control+y')
    await ana.page.keyboard.press('Control+Shift+Z')
  }
  const redone = { has: ['Alpha words. Bravo words. Charlie words.'] }
  assert.equal(await holds(ana.page, TASKS, redone), together)
  assert.equal(await holds(bo.page, TASKS, redone), together)
  await ana.page.waitForFunction(() => document.querySelector('.save')?.dataset.state === 'saved')
  assert.equal((await stored(server)).fields[FIELDS[0].key], together)

  // Bo's undo takes back his words alone, in the majority text too.
  await typeAtEnd(bo.page, 'Majority text', ' Delta words.')
  await holds(ana.page, 'Majority text', { has: ['Delta words.'] })
  await typeAtEnd(ana.page, 'Majority text', ' Echo words.')
  await holds(bo.page, 'Majority text', { has: ['Echo words.'] })
  await editor(bo.page, 'Majority text').click()
  await bo.page.keyboard.press('Control+z')
  for (const { page } of [ana, bo]) await holds(page, 'Majority text', { has: ['Echo words.'], lacks: ['Delta'] })
  await holds(ana.page, TASKS, redone)
  for (const { errors } of [ana, bo]) assert.deepEqual(errors, [])
})

test("typing goes on through others' clicks: support, a new alternative, the chair's status and consensus, someone typing beside, someone leaving", async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const ana = await signedIn(t, instance, server, C1, 'ana', 'member')
  const bo = await signedIn(t, instance, server, C1, 'bo', 'member')
  const carla = await signedIn(t, instance, server, C1, 'carla', 'chair')
  // The alternative's proponent, who may change its text.
  const dan = await signedIn(t, instance, server, C1, 'demo-member', 'member')
  for (const { page } of [ana, bo, carla, dan]) await editor(page, 'Majority text').waitFor()
  const before = await stored(server)
  const status = STATUSES.find(s => s !== before.status && s !== ADOPTED)
  const consensus = CONSENSUS_LEVELS.find(c => c !== before.consensus)

  // Ana types at the end of the majority text, one key at a time, and goes on
  // typing while the others act. Her editor's node is tagged.
  await typeAtEnd(ana.page, 'Majority text', ' Start.')
  await editor(ana.page, 'Majority text').evaluate(el => { el.__mark = 1 })
  const during = ' Every key of this sentence is typed while four others click, add, move the status and type beside it.'
  let typed = false
  const typing = ana.page.keyboard.type(during, { delay: 50 }).then(() => { typed = true })

  await bo.page.locator('[data-support="alt-voluntary"]').click()
  const added = await api(server, 'POST', '/api/spaces/wgigf/recommendations/c-1/alternatives', token('wgigf', 'mia', 'member'), { label: 'Pooled fund', text: 'One pooled fund.' })
  assert.equal(added.status, 201)
  await setStatus(carla.page, status, consensus)
  await typeAtEnd(dan.page, 'Alternative Voluntary contributions only', ' Dan adds this.')
  await dan.page.context().close()
  await ana.page.waitForFunction(({ alternative, status, consensus }) =>
    document.querySelector('[data-support="alt-voluntary"]')?.textContent?.includes('(4)') &&
    document.querySelector(`[data-column="${alternative}"] .cm-content`) !== null &&
    document.querySelector('.status-line .badge')?.textContent === status &&
    document.querySelector('.status-line')?.textContent?.includes(`consensus: ${consensus}`), { alternative: added.json.id, status, consensus })
  await holds(ana.page, 'Alternative Voluntary contributions only', { has: ['Dan adds this.'] })
  assert.ok(!typed, 'every remote change reached Ana while she was typing')
  await typing
  await ana.page.keyboard.type(' End.')

  // The same editor, focused, its text the old one with each key once, in order.
  const mine = editor(ana.page, 'Majority text')
  assert.ok(await mine.evaluate(el => el.__mark === 1), 'the majority editor was not rebuilt')
  assert.ok(await mine.evaluate(el => el.contains(document.activeElement)), 'the majority editor kept the focus')
  const expected = `${before.text} Start.${during} End.`
  for (const { page } of [ana, bo, carla]) assert.equal(await holds(page, 'Majority text', { has: [' End.'] }), expected)
  await ana.page.waitForFunction(() => document.querySelector('.save')?.dataset.state === 'saved')
  assert.equal((await stored(server)).text, expected)
  await ana.page.screenshot({ path: resolve(SHOTS, 'typing-through-clicks.png'), fullPage: true })
  for (const { errors } of [ana, bo, carla]) assert.deepEqual(errors, [])
})

test("a page open when the chair adopts turns read-only at once, saying why, and editable again when the chair moves it back", async t => {
  const server = await demoServer(t)
  // C.1's bracket is cleared first: adoption waits for brackets, and this test is about adopted text.
  await clearBrackets(server)
  const instance = await browser(t)
  // The alternative's proponent, so that every text on the page is hers to edit.
  const ana = await signedIn(t, instance, server, C1, 'demo-member', 'member')
  const carla = await signedIn(t, instance, server, C1, 'carla', 'chair')
  for (const { page } of [ana, carla]) await editor(page, 'Majority text').waitFor()
  const editors = await ana.page.locator('.cm-content').count()
  assert.equal(await ana.page.locator('[contenteditable="true"]').count(), editors)
  const back = STATUSES.find(s => s !== ADOPTED && s !== (STATUSES[0]))

  await setStatus(carla.page, ADOPTED)
  await ana.page.locator('.readonly-note', { hasText: 'adopted' }).waitFor()
  assert.equal(await ana.page.locator('[contenteditable="true"]').count(), 0)
  assert.ok(await ana.page.locator('[data-support]').first().isDisabled())
  await ana.page.screenshot({ path: resolve(SHOTS, 'adopted-while-open.png'), fullPage: true })

  await setStatus(carla.page, back)
  await ana.page.locator('.readonly-note').waitFor({ state: 'detached' })
  assert.equal(await ana.page.locator('[contenteditable="true"]').count(), editors)
  await typeAtEnd(ana.page, 'Majority text', ' Thawed.')
  await ana.page.waitForFunction(() => document.querySelector('.save')?.dataset.state === 'saved')
  assert.ok((await stored(server)).text.endsWith(' Thawed.'))
  for (const { errors } of [ana, carla]) assert.deepEqual(errors, [])
})

test('an edit the server refuses is never said to be saved: the page shows its reason', async t => {
  const server = await demoServer(t)
  // C.1's bracket is cleared first: adoption waits for brackets, and this test is about adopted text.
  await clearBrackets(server)
  const instance = await browser(t)
  // Ana's page talks to the server through a relay that can hold what her
  // page sends, so that her edit reaches the server after the chair adopts.
  const context = await instance.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', error => errors.push(String(error)))
  let holding = false
  const held = []
  let answers = 0
  let relay
  await page.routeWebSocket(/\/ws\/wgigf\/r\//, ws => {
    const upstream = ws.connectToServer()
    relay = upstream
    ws.onMessage(message => { if (holding) held.push(message); else upstream.send(message) })
    upstream.onMessage(message => {
      // Sync step 2 (message 0, then 1): the server's state, as the save indicator asks for it.
      if (typeof message !== 'string' && message[0] === 0 && message[1] === 1) answers += 1
      ws.send(message)
    })
  })
  await page.goto(`${server.http}${C1}?token=${token('wgigf', 'ana', 'member')}`)
  const carla = await signedIn(t, instance, server, C1, 'carla', 'chair')
  for (const p of [page, carla.page]) await editor(p, 'Majority text').waitFor()
  await typeAtEnd(page, 'Majority text', ' Settled.')
  await page.waitForFunction(() => document.querySelector('.save')?.dataset.state === 'saved')

  // Everything the indicator says from now on.
  await page.evaluate(() => {
    window.__says = []
    new MutationObserver(() => window.__says.push(document.querySelector('.save')?.textContent ?? ''))
      .observe(document.body, { subtree: true, childList: true, characterData: true })
  })
  holding = true
  await typeAtEnd(page, 'Majority text', ' Refused words.')
  await page.waitForFunction(() => document.querySelector('.save')?.dataset.state === 'saving')
  await setStatus(carla.page, ADOPTED)
  await page.locator('.readonly-note', { hasText: 'adopted' }).waitFor()

  // Ana's edit reaches the server now, after the adoption: refused.
  const answered = answers
  holding = false
  for (const message of held.splice(0)) relay.send(message)
  const indicator = page.locator('.save[data-state="refused"]')
  await indicator.waitFor()
  assert.match(await indicator.textContent(), /^Not saved: this recommendation is adopted.*\.$/)
  assert.equal(await indicator.getAttribute('role'), 'status')
  // The server has answered the indicator's question since, and it still says why.
  await waitFor('the answer to the save indicator', () => answers > answered)
  await page.waitForTimeout(100)
  assert.equal(await page.locator('.save').getAttribute('data-state'), 'refused')
  assert.ok(!(await page.evaluate(() => window.__says)).includes('saved'), 'never "saved" for the refused edit')
  assert.ok(!(await stored(server)).text.includes('Refused words.'))
  await page.screenshot({ path: resolve(SHOTS, 'edit-refused.png'), fullPage: true })

  // The chair moves it back: once an edit of Ana's is stored, the refusal is no longer said.
  await setStatus(carla.page, STATUSES.at(-2))
  await page.locator('.readonly-note').waitFor({ state: 'detached' })
  assert.equal(await page.locator('.save').getAttribute('data-state'), 'refused', 'said until an edit is stored')
  await typeAtEnd(page, 'Majority text', ' After.')
  await page.locator('.save[data-state="saved"]').waitFor()
  assert.ok((await stored(server)).text.endsWith(' After.'))
  // The server put the refused words back, on Ana's page too: her next
  // edit does not bring them in.
  assert.ok(!(await stored(server)).text.includes('Refused words.'))
  assert.deepEqual(errors, [])
})

test('when the server cannot be reached every page says so, an action says nothing was changed, and all resumes when it is back', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const mia = await signedIn(t, instance, server, C1, 'mia', 'member')
  const pages = [
    mia,
    await signedIn(t, instance, server, '/s/wgigf', 'olga', 'observer'),
    await signedIn(t, instance, server, `/s/wgigf/${DOCS.versions}`, 'oscar', 'observer'),
    await signedIn(t, instance, server, `/s/wgigf/${DOCS.proposals}`, 'victor', 'vice-chair'),
    await signedIn(t, instance, server, '/s/wgigf/people', 'carla', 'chair')
  ]
  const chair = pages.at(-1)
  await editor(mia.page, 'Majority text').waitFor()
  await chair.page.locator('input[name="user"]').waitFor()
  for (const { page } of pages) assert.equal(await page.locator('.server-notice').count(), 0)

  await server.kill()
  for (const { page } of pages) await page.locator('.server-notice').waitFor()
  const unreachable = 'The server cannot be reached: nothing was changed. Try again when it is back.'
  const support = mia.page.locator('[data-support="alt-voluntary"]')
  await support.click()
  await mia.page.locator('[data-column="alt-voluntary"] .outcome', { hasText: unreachable }).waitFor()
  assert.equal(await support.getAttribute('aria-pressed'), 'false')
  await chair.page.locator('input[name="user"]').fill('Nadia')
  await chair.page.getByRole('button', { name: 'Make a sign-in link' }).click()
  await chair.page.locator('form .outcome', { hasText: unreachable }).first().waitFor()
  // Typing goes on, kept in the page and said to be unsaved.
  await typeAtEnd(mia.page, 'Majority text', ' Typed while away.')
  await mia.page.locator('.save[data-state="offline"]').waitFor()
  await mia.page.screenshot({ path: resolve(SHOTS, 'server-unreachable.png'), fullPage: true })
  await pages[1].page.screenshot({ path: resolve(SHOTS, 'server-unreachable-dashboard.png'), fullPage: true })

  // Back on the same address and store: the notices go, the typing is stored, and typing syncs again.
  const back = await demoServer(t, [], server)
  for (const { page } of pages) await page.locator('.server-notice').waitFor({ state: 'detached' })
  await mia.page.locator('.save[data-state="saved"]').waitFor()
  assert.ok((await stored(back)).text.endsWith(' Typed while away.'))
  await typeAtEnd(mia.page, 'Majority text', ' And after.')
  await mia.page.locator('.save[data-state="saved"]').waitFor()
  assert.ok((await stored(back)).text.endsWith(' Typed while away. And after.'))
  await support.click()
  await mia.page.locator('[data-support="alt-voluntary"][aria-pressed="true"]').waitFor()
  assert.equal(await mia.page.locator('[data-column="alt-voluntary"] .outcome').first().textContent(), '')
  // The browser logs each refused connection; nothing else went wrong.
  const refused = /WebSocket connection to .* failed|Failed to load resource: net::ERR_CONNECTION_REFUSED/
  for (const { errors } of pages) assert.deepEqual(errors.filter(e => !refused.test(e)), [])
})

test("each page says who is here, live as people come and go; others' cursors show their names as they move", async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const ana = await signedIn(t, instance, server, C1, 'ana', 'member')
  const bo = await signedIn(t, instance, server, C1, 'bo', 'member')
  const carla = await signedIn(t, instance, server, C1, 'carla', 'chair')
  const here = async (page, names) => await page.locator('.here-now', { hasText: new RegExp(`^Here now: ${names}$`) }).waitFor()
  for (const { page } of [ana, bo, carla]) await here(page, 'ana, bo, carla')

  // Bo types: Ana sees his cursor with his name, in the page's font, which fades once it rests.
  await typeAtEnd(bo.page, 'Majority text', ' Bo was here.')
  const name = ana.page.locator('.cm-ySelectionInfo', { hasText: 'bo' })
  await name.waitFor()
  const looks = async () => await name.evaluate(el => {
    const style = getComputedStyle(el)
    return { opacity: Number(style.opacity), font: style.fontFamily, body: getComputedStyle(document.body).fontFamily }
  })
  const shown = await looks()
  assert.ok(shown.opacity > 0.9, 'the name shows as the cursor moves')
  assert.equal(shown.font, shown.body)
  await ana.page.screenshot({ path: resolve(SHOTS, 'here-now-and-cursor-name.png'), fullPage: true })
  await ana.page.waitForFunction(() => Number(getComputedStyle(document.querySelector('.cm-ySelectionInfo')).opacity) === 0, null, { timeout: 10000 })
  await bo.page.keyboard.press('Home')
  await ana.page.waitForFunction(() => Number(getComputedStyle(document.querySelector('.cm-ySelectionInfo')).opacity) > 0.9)

  // Bo leaves; Carla goes to the versions page, where she alone is.
  await bo.page.context().close()
  for (const { page } of [ana, carla]) await here(page, 'ana, carla')
  await carla.page.locator('nav.pages a', { hasText: 'Versions' }).click()
  await here(carla.page, 'carla')
  await here(ana.page, 'ana')
  for (const { errors } of [ana, carla]) assert.deepEqual(errors, [])
})

test('the browser tab names the page', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const victor = await signedIn(t, instance, server, C1, 'victor', 'vice-chair')
  const { title } = await stored(server)
  await victor.page.waitForFunction(name => document.title === name, `C.1 ${title} — Draftroom`)
  for (const [path, name] of [[`/s/wgigf/${DOCS.proposals}`, 'Proposals inbox'], [`/s/wgigf/${DOCS.versions}`, 'Versions']]) {
    await victor.page.goto(`${server.http}${path}`)
    await victor.page.waitForFunction(name => document.title === name, `${name} — Draftroom`)
  }
  assert.deepEqual(victor.errors, [])
})

test('alternatives stand in the order they were made, the same for everyone', async t => {
  // Each alternative is written by a server process of its own, so the
  // server's Yjs client differs: a page that loads them receives them
  // grouped by client, in an order of Yjs's choosing, not the order they
  // were made; a page open meanwhile receives them as they come. Six made
  // this way stand in their order by chance once in 720 loads.
  let server = await demoServer(t)
  const instance = await browser(t)
  const member = token('wgigf', 'mia', 'member')
  const add = async label => {
    const added = await api(server, 'POST', '/api/spaces/wgigf/recommendations/c-1/alternatives', member, { label, text: `${label}.` })
    assert.equal(added.status, 201)
  }
  for (const label of ['Second', 'Third', 'Fourth', 'Fifth', 'Sixth']) {
    await add(label)
    await server.kill()
    server = await demoServer(t, [], server)
  }
  const ana = await signedIn(t, instance, server, C1, 'ana', 'member')
  await ana.page.locator('.column.alternative').nth(5).waitFor()
  await add('Seventh')
  const bo = await signedIn(t, instance, server, C1, 'bo', 'member')
  const made = (await stored(server)).alternatives
    .sort((a, b) => a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1)
    .map(alternative => alternative.id)
  assert.equal(made.length, 7)
  for (const { page } of [ana, bo]) {
    await page.locator('.column.alternative').nth(6).waitFor()
    assert.deepEqual(await page.locator('.column.alternative').evaluateAll(columns => columns.map(c => c.dataset.column)), made)
  }
  for (const { errors } of [ana, bo]) assert.deepEqual(errors, [])
})

test("an alternative's differences from the majority, while shown, follow both texts as anyone edits them", async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  // The alternative's proponent and the vice-chair: both may change it.
  const ana = await signedIn(t, instance, server, C1, 'demo-member', 'member')
  const bo = await signedIn(t, instance, server, C1, 'victor', 'vice-chair')
  const alternative = 'Alternative Voluntary contributions only'
  for (const { page } of [ana, bo]) await editor(page, alternative).waitFor()
  await ana.page.locator('[data-column="alt-voluntary"] .diff-toggle').click()
  const diff = ana.page.locator('[data-diff="alt-voluntary"]')
  await diff.locator('ins').first().waitFor()

  // Bo adds to the alternative, then to the majority text; Ana's diff
  // follows each (the server diffs words, and punctuation apart).
  await typeAtEnd(bo.page, alternative, ' Bravo addition.')
  await diff.locator('ins', { hasText: 'addition' }).waitFor()
  await typeAtEnd(bo.page, 'Majority text', ' Majority extra.')
  await diff.locator('del', { hasText: 'extra' }).waitFor()
  // And Ana's own edit too.
  await typeAtEnd(ana.page, alternative, ' Alpha zeta.')
  await diff.locator('ins', { hasText: 'zeta' }).waitFor()
  await ana.page.screenshot({ path: resolve(SHOTS, 'diff-follows.png'), fullPage: true })

  // Hidden, it reads nothing more.
  await ana.page.locator('[data-column="alt-voluntary"] .diff-toggle').click()
  await diff.waitFor({ state: 'detached' })
  assert.equal(await ana.page.locator('[data-column="alt-voluntary"] .diff-toggle').getAttribute('aria-expanded'), 'false')
  for (const { errors } of [ana, bo]) assert.deepEqual(errors, [])
})
