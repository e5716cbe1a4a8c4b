// The web app in a real browser (Debian's chromium, driven by playwright-core)
// against a real `draftroom serve`.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { api, client, synced, tempDir, token } from './harness.mjs'
import { ADOPTED, C1, MAJORITY_TEXT, SHOTS, browser, demoServer, majority, opened, signedIn, clearBrackets } from './browser.mjs'
import { AUDIT_ACTIONS, DOCS, MAJORITY, STATUSES, branchDoc, recommendationDoc } from '../../web/src/schema.js'

const here = dirname(fileURLToPath(import.meta.url))

test('two members co-edit the majority text and see each other type; an observer watches read-only', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const ana = await signedIn(t, instance, server, C1, 'ana', 'member')
  const bo = await signedIn(t, instance, server, C1, 'bo', 'member')
  const olga = await signedIn(t, instance, server, C1, 'olga', 'observer')
  for (const { page } of [ana, bo, olga]) await majority(page).waitFor()
  assert.ok(!ana.page.url().includes('token='), 'the token leaves the address bar')

  await majority(ana.page).click()
  await ana.page.keyboard.press('Control+End')
  await ana.page.keyboard.type(' Typed by Ana.')
  await bo.page.waitForFunction(selector => document.querySelector(selector)?.textContent?.includes('Typed by Ana.'), MAJORITY_TEXT)
  await olga.page.waitForFunction(selector => document.querySelector(selector)?.textContent?.includes('Typed by Ana.'), MAJORITY_TEXT)
  // Bo sees Ana's cursor, with her name.
  await bo.page.locator('.cm-ySelectionCaret').first().waitFor()
  assert.match(await bo.page.locator('.cm-ySelectionInfo').first().textContent(), /ana/)

  await majority(bo.page).click()
  await bo.page.keyboard.press('Control+Home')
  await bo.page.keyboard.type('Bo: ')
  await ana.page.waitForFunction(selector => document.querySelector(selector)?.textContent?.startsWith('Bo: '), MAJORITY_TEXT)

  // The observer's page has nothing that accepts input, and says so.
  assert.equal(await olga.page.locator('[contenteditable="true"]').count(), 0)
  assert.match(await olga.page.locator('.readonly-note').textContent(), /observer/)
  const before = await majority(olga.page).textContent()
  await majority(olga.page).click()
  await olga.page.keyboard.type('observer typing')
  assert.equal(await majority(olga.page).textContent(), before)

  // The alternative stands beside the majority text.
  assert.equal(await ana.page.locator('[data-column="alt-voluntary"] h2').textContent(), 'Alternative: Voluntary contributions only')
  await ana.page.screenshot({ path: resolve(SHOTS, 'recommendation.png'), fullPage: true })
  await olga.page.screenshot({ path: resolve(SHOTS, 'recommendation-observer.png'), fullPage: true })
  for (const { errors } of [ana, bo, olga]) assert.deepEqual(errors, [])
})

test('the dashboard lists the topics and recommendations, live', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const chair = await signedIn(t, instance, server, '/s/wgigf', 'carla', 'chair')
  await chair.page.locator('tr[data-recommendation="c-1"]').waitFor()
  assert.equal(await chair.page.locator('section h2').count(), 5)
  const res = await fetch(`${server.http}/api/spaces/wgigf/recommendations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token('wgigf', 'carla', 'chair')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ topic: 'B', title: 'Open consultations', text: 'Hold [two] open consultations a year.' })
  })
  assert.equal(res.status, 201)
  await chair.page.locator('tr[data-recommendation="b-2"]').waitFor()
  await chair.page.screenshot({ path: resolve(SHOTS, 'dashboard.png'), fullPage: true })
  assert.deepEqual(chair.errors, [])
})

test('support, the chair\'s status control, the diff toggle, the save indicator and exports', async t => {
  const server = await demoServer(t)
  // C.1's bracket is cleared first: adoption waits for brackets, and this test is about adopted text.
  await clearBrackets(server)
  const instance = await browser(t)
  const chair = await signedIn(t, instance, server, C1, 'carla', 'chair')
  const member = await signedIn(t, instance, server, C1, 'mia', 'member')
  for (const { page } of [chair, member]) await majority(page).waitFor()

  // The member supports the alternative; both pages count it.
  await member.page.locator('[data-support="alt-voluntary"]').click()
  for (const { page } of [chair, member]) {
    await page.waitForFunction(() => document.querySelector('[data-support="alt-voluntary"]')?.textContent?.includes('(4)'))
  }
  assert.equal(await member.page.locator('[data-support="alt-voluntary"]').getAttribute('aria-pressed'), 'true')

  // The diff toggle marks where the alternative departs from the majority.
  await member.page.locator('[data-column="alt-voluntary"] .diff-toggle').click()
  await member.page.locator('[data-diff="alt-voluntary"] del').first().waitFor()
  assert.ok(await member.page.locator('[data-diff="alt-voluntary"] ins').count() > 0)
  await member.page.screenshot({ path: resolve(SHOTS, 'recommendation-diff.png'), fullPage: true })

  // "saved" only once the server has the edit.
  await majority(member.page).click()
  await member.page.keyboard.press('Control+End')
  await member.page.keyboard.type(' Saved?')
  await member.page.locator('.save[data-state="saved"]').waitFor()
  const stored = await (await fetch(`${server.http}/api/spaces/wgigf/recommendations/c-1`, { headers: { authorization: `Bearer ${token('wgigf', 'olga', 'observer')}` } })).json()
  assert.ok(stored.text.endsWith(' Saved?'))

  // The chair adopts it, asked first to confirm (cancelling changes
  // nothing); the member's page shows the new status live.
  const badge = await member.page.locator('.status-line .badge').textContent()
  await chair.page.locator('select[name="status"]').selectOption(ADOPTED)
  await chair.page.locator('[data-action="set-status"]').click()
  await chair.page.locator('.confirm', { hasText: 'freezes every text' }).waitFor()
  assert.equal(await chair.page.evaluate(() => document.activeElement?.dataset.action), 'confirm-adopt', 'the confirmation takes the focus')
  await chair.page.getByRole('button', { name: 'Cancel' }).click()
  await chair.page.locator('[data-action="set-status"]').click()
  await chair.page.locator('[data-action="confirm-adopt"]').waitFor()
  assert.equal(await member.page.locator('.status-line .badge').textContent(), badge, 'nothing changed before the confirmation')
  await chair.page.locator('[data-action="confirm-adopt"]').click()
  await member.page.waitForFunction(adopted => document.querySelector('.status-line .badge')?.textContent === adopted, ADOPTED)

  // An export downloads a valid file.
  const [download] = await Promise.all([
    chair.page.waitForEvent('download'),
    chair.page.locator('.exports a', { hasText: 'Akoma Ntoso' }).first().click()
  ])
  const file = resolve(tempDir(t), 'export.akn.xml')
  await download.saveAs(file)
  execFileSync('xmllint', ['--noout', '--schema', resolve(here, '../schemas/akn/akomantoso30.xsd'), file], { stdio: 'pipe' })
  for (const { errors } of [chair, member]) assert.deepEqual(errors, [])
})

test("the vice-chair merges a branch from the inbox, and the member's open page shows the merged text", async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const made = await (await fetch(`${server.http}/api/spaces/wgigf/proposals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token('wgigf', 'mia', 'member')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Name the donors', branch_of: 'c-1' })
  })).json()
  const branch = await signedIn(t, instance, server, `/s/wgigf/${branchDoc(made.id)}`, 'mia', 'member')
  const open = await signedIn(t, instance, server, C1, 'mia', 'member')
  await majority(branch.page).waitFor()
  await majority(open.page).waitFor()
  await majority(branch.page).click()
  await branch.page.keyboard.press('Control+End')
  await branch.page.keyboard.type(' Donors are named publicly.')
  await branch.page.locator('.save[data-state="saved"]').waitFor()

  const vice = await signedIn(t, instance, server, `/s/wgigf/${DOCS.proposals}`, 'victor', 'vice-chair')
  const item = vice.page.locator(`[data-proposal="${made.id}"]`)
  await item.waitFor()
  await item.locator('[data-action="preview"]').click()
  await item.locator('.diff ins', { hasText: 'Donors are named publicly.' }).waitFor()
  await vice.page.screenshot({ path: resolve(SHOTS, 'inbox.png'), fullPage: true })
  await item.locator('[data-action="merge"]').click()
  await open.page.waitForFunction(selector => document.querySelector(selector)?.textContent?.includes('Donors are named publicly.'), MAJORITY_TEXT)
  // Merged, it leaves the open proposals; the full list shows it merged.
  await item.waitFor({ state: 'detached' })
  await vice.page.locator('select[name="show"]').selectOption('all')
  await vice.page.waitForFunction(id => document.querySelector(`[data-proposal="${id}"]`)?.textContent?.includes('merged'), made.id)
  for (const { errors } of [branch, open, vice]) assert.deepEqual(errors, [])
})

test('the chair mints a sign-in link in the app, and it signs the new member in', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const chair = await signedIn(t, instance, server, '/s/wgigf/people', 'carla', 'chair')
  await chair.page.locator('input[name="user"]').fill('Nadia')
  await chair.page.locator('select[name="role"]').selectOption('member')
  await chair.page.getByRole('button', { name: 'Make a sign-in link' }).click()
  const field = chair.page.locator('[data-link="Nadia"] input.link')
  await field.waitFor()
  const url = await field.inputValue()
  assert.match(url, /\/s\/wgigf\?token=/)
  // She joins the roster, a member, and the list of links minted.
  await chair.page.locator('tr[data-person="Nadia"]', { hasText: 'member' }).waitFor()
  await chair.page.locator('tr:not([data-person])', { hasText: 'Nadia' }).locator('td', { hasText: 'works' }).waitFor()
  await chair.page.screenshot({ path: resolve(SHOTS, 'people.png'), fullPage: true })

  const nadia = await opened(instance, url)
  await nadia.page.locator('tr[data-recommendation="c-1"]').waitFor()
  assert.equal(await nadia.page.locator('header .who').textContent(), 'Signed in as Nadia · member')
  assert.equal(await nadia.page.locator('nav.pages a', { hasText: 'People' }).count(), 0, 'only the chair mints links')

  // The API refuses anyone but the chair, and records who minted what.
  const refused = await api(server, 'POST', '/api/spaces/wgigf/links', token('wgigf', 'victor', 'vice-chair'), { user: 'x', role: 'chair' })
  assert.equal(refused.status, 403)
  const audit = await api(server, 'GET', '/api/spaces/wgigf/audit', token('wgigf', 'olga', 'observer'))
  const minted = audit.json.entries.map(e => e.entry).find(e => e.action === AUDIT_ACTIONS.linkMinted)
  assert.deepEqual([minted.actor, minted.details.user, minted.details.role], ['carla', 'Nadia', 'member'])
  assert.ok(!JSON.stringify(audit.json).includes(url.split('token=')[1]), 'the audit log never holds a token')
  for (const { errors } of [chair, nadia]) assert.deepEqual(errors, [])
})

test('the chair revokes a person in the app: their open page says so within seconds, and their link no longer signs in', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const chair = await signedIn(t, instance, server, '/s/wgigf/people', 'carla', 'chair')
  await chair.page.locator('input[name="user"]').fill('Nadia')
  await chair.page.getByRole('button', { name: 'Make a sign-in link' }).click()
  const url = await chair.page.locator('[data-link="Nadia"] input.link').inputValue()
  const nadia = await opened(instance, url.replace('/s/wgigf?', `${C1}?`))
  await majority(nadia.page).waitFor()

  // Revoking oneself is refused, in words, beside the control.
  const revokeField = chair.page.locator('input[name="revoke"]')
  await revokeField.fill('carla')
  await chair.page.getByRole('button', { name: 'Revoke their access' }).click()
  await chair.page.locator('.outcome.error', { hasText: 'cannot revoke your own access' }).waitFor()

  await revokeField.fill('Nadia')
  await chair.page.getByRole('button', { name: 'Revoke their access' }).click()
  await chair.page.locator('.outcome', { hasText: 'Nadia can no longer sign in' }).waitFor()
  await chair.page.locator('tr[data-revoked="Nadia"]').waitFor()
  await chair.page.locator('tr', { hasText: 'Nadia' }).locator('td', { hasText: 'revoked' }).first().waitFor()
  await chair.page.screenshot({ path: resolve(SHOTS, 'people-revoked.png'), fullPage: true })

  // Nadia's open page is told, and her editors no longer take input.
  await nadia.page.locator('.server-notice', { hasText: 'revoked' }).waitFor({ timeout: 10000 })
  await nadia.page.locator('.readonly-note', { hasText: 'no longer takes edits' }).waitFor()
  assert.equal(await nadia.page.locator('[contenteditable="true"]').count(), 0, 'nothing typed now could be kept')
  await nadia.page.screenshot({ path: resolve(SHOTS, 'revoked-page.png'), fullPage: true })
  // Her link, opened again, says what happened and what to do.
  const again = await opened(instance, url)
  await again.page.locator('[data-problem="revoked"]').waitFor()
  // The one refusal asked for is the only error the chair's page met.
  assert.deepEqual(chair.errors.filter(error => !/status of 400/.test(error)), [])
})

test('versions: name two, browse one read-only, compare them; the dashboard charts progress', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const vice = await signedIn(t, instance, server, `/s/wgigf/${DOCS.versions}`, 'victor', 'vice-chair')
  const nameVersion = async name => {
    await vice.page.locator('input[name="name"]').fill(name)
    await vice.page.locator('form button[type="submit"]').click()
    await vice.page.locator('tr[data-version] td', { hasText: name }).waitFor()
  }
  await nameVersion('Before the meeting')

  // Between the two versions a member edits C.1 and adds an alternative.
  const mia = client(t, server, 'wgigf', recommendationDoc('c-1'), token('wgigf', 'mia', 'member'))
  await synced(mia)
  mia.text.insert(mia.text.length, ' Agreed at the meeting.')
  const alt = await api(server, 'POST', '/api/spaces/wgigf/recommendations/c-1/alternatives', token('wgigf', 'mia', 'member'), { label: 'Pooled fund', text: 'One pooled fund.' })
  assert.equal(alt.status, 201)
  const observer = token('wgigf', 'olga', 'observer')
  for (const start = Date.now(); !(await api(server, 'GET', '/api/spaces/wgigf/recommendations/c-1', observer)).json.text.endsWith('meeting.');) {
    assert.ok(Date.now() - start < 10000, 'the edit reaches the server')
  }
  await nameVersion('After the meeting')

  // Compare the two: C.1 differs by the sentence added.
  const versions = (await api(server, 'GET', '/api/spaces/wgigf/versions', observer)).json
  assert.equal(versions.length, 2)
  await vice.page.locator('select[name="from"]').selectOption(versions[0].id)
  await vice.page.locator('select[name="to"]').selectOption(versions[1].id)
  await vice.page.locator('[data-action="compare"]').click()
  await vice.page.locator('section[data-recommendation="c-1"] ins', { hasText: 'Agreed at the meeting.' }).waitFor()
  // The added alternative is said too, part by part; nothing else changed.
  await vice.page.locator(`section[data-recommendation="c-1"] [data-part="alternative-${alt.json.id}"] ins`, { hasText: 'One pooled fund.' }).waitFor()
  assert.equal(await vice.page.locator('.diffs > section[data-recommendation]').count(), 1, 'only C.1 changed')
  assert.equal(await vice.page.locator('.diffs ins, .diffs del').count(), 2, 'its text and the new alternative')
  await vice.page.screenshot({ path: resolve(SHOTS, 'versions.png'), fullPage: true })
  // "live" names every recommendation as it stands now.
  const sinceFirst = await api(server, 'GET', `/api/spaces/wgigf/diff?from=${versions[0].id}&to=live`, observer)
  assert.equal(sinceFirst.json.diffs.length, 5)
  assert.deepEqual(sinceFirst.json.diffs.filter(d => d.runs.some(r => r.op !== 'equal')).map(d => d.recommendation), ['c-1'])

  // Browse the first version: C.1 without the new sentence, read-only.
  await vice.page.locator(`tr[data-version="${versions[0].id}"] a`, { hasText: 'C.1' }).click()
  await majority(vice.page).waitFor()
  assert.ok(!(await majority(vice.page).textContent()).includes('Agreed at the meeting.'))
  assert.equal(await vice.page.locator('[contenteditable="true"]').count(), 0)
  assert.match(await vice.page.locator('.readonly-note').textContent(), /Before the meeting/)
  assert.equal(await vice.page.locator('.column.alternative').count(), 1, 'the version holds the one alternative it had')

  // The dashboard's chart for topic C has a point per version and now, and
  // counts the alternative added between them.
  const chair = await signedIn(t, instance, server, '/s/wgigf', 'carla', 'chair')
  const chart = chair.page.locator('figure.progress[data-topic="C"]')
  await chart.locator('polyline[data-series="alternatives"]').waitFor()
  await chair.page.waitForFunction(() => document.querySelector('figure.progress[data-topic="C"] polyline[data-series="alternatives"]')?.getAttribute('points')?.split(' ').length === 3)
  assert.match(await chart.locator('svg').getAttribute('aria-label'), /alternatives: 1 → 2 → 2/)
  await chair.page.screenshot({ path: resolve(SHOTS, 'dashboard-progress.png'), fullPage: true })
  for (const { errors } of [vice, chair]) assert.deepEqual(errors, [])
})

test('on a phone the pages fit the screen, and a member can reach and edit the text by keyboard alone', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const phone = { width: 390, height: 844 }
  const member = await signedIn(t, instance, server, '/s/wgigf', 'mia', 'member', phone)
  const fits = async page => await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
  await member.page.locator('tr[data-recommendation="c-1"]').waitFor()
  assert.ok(await fits(member.page), 'the dashboard fits a phone')
  await member.page.screenshot({ path: resolve(SHOTS, 'dashboard-phone.png'), fullPage: true })

  // Tab to C.1's link, open it, Tab into the majority text, type.
  const tabTo = async (page, predicate, arg) => {
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab')
      if (await page.evaluate(predicate, arg)) return
    }
    throw new Error('not reachable by Tab')
  }
  await tabTo(member.page, path => document.activeElement?.getAttribute('href')?.endsWith(path), `/${recommendationDoc('c-1')}`)
  await member.page.keyboard.press('Enter')
  await majority(member.page).waitFor()
  assert.ok(await fits(member.page), 'the recommendation page fits a phone')
  await tabTo(member.page, () => document.activeElement?.getAttribute('aria-label') === 'Majority text' && document.activeElement.isContentEditable)
  await member.page.keyboard.press('Control+End')
  await member.page.keyboard.type(' By keyboard.')
  await member.page.locator('.save[data-state="saved"]').waitFor()
  assert.ok((await majority(member.page).textContent()).endsWith(' By keyboard.'))
  await member.page.screenshot({ path: resolve(SHOTS, 'recommendation-phone.png'), fullPage: true })
  assert.deepEqual(member.errors, [])
})

test('remote changes redraw only what they touch: the editor someone is typing in keeps its node, its focus and every keystroke', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const ana = await signedIn(t, instance, server, C1, 'ana', 'member')
  const bo = await signedIn(t, instance, server, C1, 'bo', 'member')
  for (const { page } of [ana, bo]) await majority(page).waitFor()
  const observer = token('wgigf', 'olga', 'observer')
  const member = token('wgigf', 'mia', 'member')
  const chair = token('wgigf', 'carla', 'chair')
  const stored = async () => (await api(server, 'GET', '/api/spaces/wgigf/recommendations/c-1', observer)).json
  // Any other status but adopted, which would rightly freeze the text.
  const before = await stored()
  const status = STATUSES.find(s => s !== before.status && s !== ADOPTED)

  // Ana starts typing at the end of the majority text; her editor is tagged.
  await majority(ana.page).click()
  await ana.page.keyboard.press('Control+End')
  await majority(ana.page).evaluate(el => { el.__mark = 1 })
  await ana.page.keyboard.type(' Before.')
  const during = ' Typed one key at a time while the others act.'
  let typed = false
  const typing = ana.page.keyboard.type(during, { delay: 80 }).then(() => { typed = true })

  // Meanwhile Bo supports the alternative, Mia adds one, the chair moves the status.
  await bo.page.locator('[data-support="alt-voluntary"]').click()
  const alt = await api(server, 'POST', '/api/spaces/wgigf/recommendations/c-1/alternatives', member, { label: 'Pooled fund', text: 'One pooled fund.' })
  assert.equal(alt.status, 201)
  assert.equal((await api(server, 'PUT', '/api/spaces/wgigf/recommendations/c-1/status', chair, { status })).status, 200)
  await ana.page.waitForFunction(([id, status]) =>
    document.querySelector('[data-support="alt-voluntary"]')?.textContent?.includes('(4)') &&
    document.querySelector(`[data-column="${id}"] .cm-content`) !== null &&
    document.querySelector('.status-line .badge')?.textContent === status, [alt.json.id, status])
  assert.ok(!typed, 'the remote changes reached Ana while she was typing')
  await typing
  await ana.page.keyboard.type(' After.')

  // The same editor, still focused, holding every key.
  assert.ok(await majority(ana.page).evaluate(el => el.__mark === 1), 'the majority editor was not rebuilt')
  assert.ok(await majority(ana.page).evaluate(el => el.contains(document.activeElement)), 'the majority editor kept the focus')
  const typedText = ` Before.${during} After.`
  // Bo's editor also shows Ana's caret and name, so its text holds hers rather than ends with it.
  await bo.page.waitForFunction(([selector, text]) => document.querySelector(selector)?.textContent?.includes(text), [MAJORITY_TEXT, typedText])
  await ana.page.locator('.save[data-state="saved"]').waitFor()
  assert.ok((await stored()).text.endsWith(typedText))
  await ana.page.screenshot({ path: resolve(SHOTS, 'recommendation-remote-changes.png'), fullPage: true })
  for (const { errors } of [ana, bo]) assert.deepEqual(errors, [])
})
