// What people do in the app beyond typing, each with several people at
// once: the chair creates a recommendation, a member adds an alternative
// and renames it, texts change only for those who may change them, a
// branch closes for good, and a merge preview shows what the merge does.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { api, client, synced, token, waitFor } from './harness.mjs'
import { C1, SHOTS, browser, demoServer, majority, signedIn } from './browser.mjs'
import { ALTERNATIVE, FIELDS, ROOT, branchDoc, recommendationDoc } from '../../web/src/schema.js'

/** The demo's member, who proposes the alternative of C.1. */
const PROPONENT = 'demo-member'
const column = (page, label) => page.locator('section.alternative', { hasText: `Alternative: ${label}` })

test('the chair creates a recommendation from the dashboard, and a member watching sees it at once', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const chair = await signedIn(t, instance, server, '/s/wgigf', 'carla', 'chair')
  const member = await signedIn(t, instance, server, '/s/wgigf', 'ana', 'member')
  await member.page.locator('tr[data-recommendation]').first().waitFor()
  assert.equal(await member.page.locator('form.new-recommendation').count(), 0, 'members do not create recommendations')

  const form = chair.page.locator('form.new-recommendation')
  await form.getByLabel('Topic').selectOption('B')
  await form.getByLabel('Title').fill('Rotation of MAG members')
  await form.getByLabel('First text of the majority').fill('A third of the MAG should rotate each year.')
  await form.getByRole('button', { name: 'Create the recommendation' }).click()
  await form.getByRole('link', { name: 'Rotation of MAG members' }).waitFor()
  assert.equal(await form.getByLabel('Title').inputValue(), '', 'the form clears')
  const row = member.page.locator('tr', { hasText: 'Rotation of MAG members' })
  await row.waitFor()
  assert.match(await row.textContent(), /B\.2/)
  await chair.page.screenshot({ path: resolve(SHOTS, 'dashboard-new-recommendation.png'), fullPage: true })

  // A title is required, and the server's refusal shows beside the form.
  await form.getByLabel('Title').fill('   ')
  await form.getByRole('button', { name: 'Create the recommendation' }).click()
  await form.locator('.outcome.error').waitFor()
  assert.match(await form.locator('.outcome.error').textContent(), /title/)
})

test("a member adds an alternative and renames it; only its proponents, the vice-chair and the chair change its text", async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const bo = await signedIn(t, instance, server, C1, 'bo', 'member')
  const ana = await signedIn(t, instance, server, C1, 'ana', 'member')
  const vice = await signedIn(t, instance, server, C1, 'vic', 'vice-chair')
  for (const { page } of [bo, ana, vice]) await majority(page).waitFor()

  // Bo proposes an alternative; Ana's open page shows it.
  await bo.page.getByRole('button', { name: 'Propose an alternative text' }).click()
  await bo.page.getByLabel('Label').fill('Regional funds')
  await bo.page.getByLabel('Text', { exact: true }).fill('Regional IGFs should hold funds of their own.')
  await bo.page.getByRole('button', { name: 'Add the alternative' }).click()
  await column(ana.page, 'Regional funds').waitFor()

  // Bo renames it; Ana sees the new label.
  await column(bo.page, 'Regional funds').getByRole('button', { name: /Rename/ }).click()
  await column(bo.page, 'Regional funds').getByLabel('Label').fill('Regional trust funds')
  await column(bo.page, 'Regional funds').getByRole('button', { name: 'Save the label' }).click()
  await column(ana.page, 'Regional trust funds').waitFor()

  // Ana may not change Bo's alternative: no rename, no editable text, a
  // note saying why; typing into it changes nothing.
  const anasView = column(ana.page, 'Regional trust funds')
  assert.equal(await anasView.getByRole('button', { name: /Rename/ }).count(), 0)
  assert.equal(await anasView.locator('[contenteditable="true"]').count(), 0)
  assert.match(await anasView.textContent(), /Only its proponents, the vice-chair and the chair change this text/)
  await anasView.locator('.cm-content').click()
  await ana.page.keyboard.type('Hijack ')
  assert.equal(await anasView.locator('.cm-content').textContent(), 'Regional IGFs should hold funds of their own.')

  // The vice-chair may; Bo sees the change.
  await column(vice.page, 'Regional trust funds').locator('.cm-content').click()
  await vice.page.keyboard.press('Control+End')
  await vice.page.keyboard.type(' Reviewed.')
  await bo.page.waitForFunction(() => [...document.querySelectorAll('section.alternative')].some(s => s.textContent.includes('of their own. Reviewed.')))
  await ana.page.screenshot({ path: resolve(SHOTS, 'alternative-not-yours.png'), fullPage: true })

  // Over the websocket too: Ana's stock client edits the demo member's
  // alternative and is put back.
  const stock = client(t, server, 'wgigf', recommendationDoc('c-1'), token('wgigf', 'ana', 'member'))
  await synced(stock)
  const alt = stock.ydoc.getMap('alternatives').get('alt-voluntary').get('text')
  const before = alt.toString()
  alt.insert(0, 'Hijacked. ')
  await waitFor('the edit put back', () => alt.toString() === before)
  const rec = await api(server, 'GET', '/api/spaces/wgigf/recommendations/c-1', token('wgigf', PROPONENT, 'member'))
  assert.equal(rec.json.alternatives.find(a => a.id === 'alt-voluntary').text, before)
})

test("a branch is its author's: the vice-chair reads and follows it, other members and observers are told there is no such proposal, and once withdrawn nobody changes it, live", async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const branch = (await api(server, 'POST', '/api/spaces/wgigf/proposals', token('wgigf', 'ana', 'member'), { title: 'Changes to C.1', branch_of: 'c-1' })).json
  const path = `/s/wgigf/${branchDoc(branch.id)}`
  const ana = await signedIn(t, instance, server, path, 'ana', 'member')
  const vic = await signedIn(t, instance, server, path, 'vic', 'vice-chair')
  for (const { page } of [ana, vic]) await majority(page).waitFor()
  assert.ok(await ana.page.locator('[contenteditable="true"]').count() > 0, 'the author edits her branch')
  for (const [user, role] of [['bo', 'member'], ['olga', 'observer']]) {
    const other = await signedIn(t, instance, server, path, user, role)
    await other.page.locator('[data-problem="no-such-proposal"]').waitFor()
    assert.equal(await majority(other.page).count(), 0, `${role}s do not read another member's branch`)
    if (role === 'member') await other.page.screenshot({ path: resolve(SHOTS, 'branch-not-yours.png'), fullPage: true })
  }

  await majority(ana.page).click()
  await ana.page.keyboard.press('Control+End')
  await ana.page.keyboard.type(' Amended by Ana.')
  await vic.page.waitForFunction(() => document.querySelector('[data-column="majority"] .cm-content')?.textContent?.includes('Amended by Ana.'))

  assert.equal((await api(server, 'POST', `/api/spaces/wgigf/proposals/${branch.id}/withdraw`, token('wgigf', 'ana', 'member'))).status, 200)
  await ana.page.locator('.readonly-note', { hasText: 'withdrawn' }).waitFor()
  assert.equal(await ana.page.locator('[contenteditable="true"]').count(), 0, 'the closed branch takes no input')
  await ana.page.screenshot({ path: resolve(SHOTS, 'branch-closed.png'), fullPage: true })
})

test('the merge preview shows exactly what the merge does, and the target defaults to the proposal\'s topic', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const proposal = (await api(server, 'POST', '/api/spaces/wgigf/proposals', token('wgigf', 'ana', 'member'), { title: 'Add a review', text: 'Funding should be reviewed every five years.', topic: 'C' })).json
  const before = (await api(server, 'GET', '/api/spaces/wgigf/recommendations/c-1', token('wgigf', 'ana', 'member'))).json.text
  const vice = await signedIn(t, instance, server, '/s/wgigf/proposals', 'vic', 'vice-chair')
  const item = vice.page.locator(`[data-proposal="${proposal.id}"]`)
  await item.waitFor()
  // The recommendations to choose from arrive with the space's live index.
  await item.locator('select[name="into"] option[value="c-1"]').waitFor({ state: 'attached' })
  assert.equal(await item.locator('select[name="into"]').inputValue(), 'c-1', 'a topic C proposal goes to C.1 unless told otherwise')
  await item.locator('select[name="as"]').selectOption('majority')
  await item.getByRole('button', { name: /Preview/ }).click()
  const preview = item.locator('.diff')
  await preview.waitFor()
  assert.equal(await preview.locator('del').count(), 0, 'nothing of the target text is struck out')
  assert.match(await preview.locator('ins').first().textContent(), /Funding should be reviewed/)
  const previewed = await preview.textContent()
  await vice.page.screenshot({ path: resolve(SHOTS, 'inbox-preview.png'), fullPage: true })

  await item.getByRole('button', { name: /^Merge/ }).click()
  const stored = async () => (await api(server, 'GET', `/api/spaces/wgigf/proposals/${proposal.id}`, token('wgigf', 'vic', 'vice-chair'))).json.status
  for (let tries = 0; await stored() !== 'merged'; tries++) {
    assert.ok(tries < 100, 'the merge is recorded')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  const merged = (await api(server, 'GET', '/api/spaces/wgigf/recommendations/c-1', token('wgigf', 'ana', 'member'))).json.text
  assert.equal(merged, `${before} Funding should be reviewed every five years.`, 'joined with a space')
  assert.ok(previewed.includes(merged.slice(-30)), 'the preview showed the merged text')
})

test('the preview of a branch merge shows each part it changes under its name, and the merge takes those and no alternative', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const ana = token('wgigf', 'ana', 'member')
  const branch = (await api(server, 'POST', '/api/spaces/wgigf/proposals', ana, { title: 'Changes to C.1', branch_of: 'c-1' })).json
  const author = client(t, server, 'wgigf', branch.doc, ana)
  await synced(author)
  const field = FIELDS.at(-1)
  const alternatives = author.ydoc.getMap(ROOT.alternatives)
  const alternativeBefore = [...alternatives.values()][0].get(ALTERNATIVE.text).toString()
  author.ydoc.transact(() => {
    author.text.insert(author.text.length, ' Reviewed yearly.')
    author.ydoc.getText(field.key).insert(0, 'Yearly review by the MAG. ')
    for (const alternative of alternatives.values()) alternative.get(ALTERNATIVE.text).insert(0, 'Not hers to change. ')
  })
  const vice = await signedIn(t, instance, server, '/s/wgigf/proposals', 'vic', 'vice-chair')
  const item = vice.page.locator(`[data-proposal="${branch.id}"]`)
  await item.locator('select[name="into"] option[value="c-1"]').waitFor({ state: 'attached' })
  await item.locator('select[name="as"]').selectOption('majority')
  const preview = item.locator('[data-diff="preview"]')
  for (let tries = 0; (await preview.locator(`[data-field="${field.key}"]`).count()) === 0; tries++) {
    assert.ok(tries < 50, 'the preview names the changed field')
    await item.getByRole('button', { name: /Preview/ }).click()
    await preview.waitFor()
  }
  assert.equal(await preview.locator(`[data-field="${field.key}"]`).textContent(), field.title)
  assert.match(await preview.textContent(), /Majority text.*Reviewed yearly\..*Yearly review by the MAG\./s)
  assert.doesNotMatch(await preview.textContent(), /Not hers to change/)
  await vice.page.screenshot({ path: resolve(SHOTS, 'inbox-preview-branch.png'), fullPage: true })
  await item.getByRole('button', { name: /^Merge/ }).click()
  const stored = async () => (await api(server, 'GET', `/api/spaces/wgigf/proposals/${branch.id}`, ana)).json.status
  for (let tries = 0; await stored() !== 'merged'; tries++) {
    assert.ok(tries < 100, 'the merge is recorded')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  const after = (await api(server, 'GET', '/api/spaces/wgigf/recommendations/c-1', ana)).json
  assert.match(after.text, /Reviewed yearly\.$/)
  assert.match(after.fields[field.key], /^Yearly review by the MAG\./)
  assert.equal(after.alternatives[0].text, alternativeBefore)
  assert.deepEqual(vice.errors, [])
})
