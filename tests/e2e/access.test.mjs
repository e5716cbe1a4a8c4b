// Accessibility of the web app, in a real browser (Debian's chromium, driven
// by playwright-core) against a real `draftroom serve`: axe-core's WCAG 2.1
// A and AA rules on every page for every role, the main actions done with
// the keyboard alone, what screen readers are told, and pages that fit a
// phone.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import axe from 'axe-core'
import { api, client, synced, token } from './harness.mjs'
import { C1, SHOTS, browser, demoServer, signedIn } from './browser.mjs'
import { DOCS, ROLES, STATUSES, branchDoc, recommendationDoc, versionDoc } from '../../web/src/schema.js'

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
/**
 * axe's best practices for a page's structure, on top of WCAG's rules:
 * headings that skip no level, one banner and one main landmark, a skip
 * link that leads somewhere, and no content outside the landmarks.
 */
const STRUCTURE = ['heading-order', 'page-has-heading-one', 'landmark-one-main', 'landmark-no-duplicate-banner', 'landmark-no-duplicate-main', 'landmark-banner-is-top-level', 'landmark-main-is-top-level', 'landmark-unique', 'region', 'skip-link']
const PEOPLE = { chair: 'carla', 'vice-chair': 'victor', member: 'mia', observer: 'olga' }
const PHONE = { width: 390, height: 844 }
const INBOX = `/s/wgigf/${DOCS.proposals}`
const VERSIONS = `/s/wgigf/${DOCS.versions}`
const ALTERNATIVE = 'Voluntary contributions only'

/** axe's violations on the page as it stands, one line each; injects axe once per page. */
async function violations (page) {
  // Evaluated, not added as a script element, which the app's CSP refuses.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source)
  return await page.evaluate(async ([tags, rules]) => {
    const options = { runOnly: { type: 'tag', values: tags }, rules: Object.fromEntries(rules.map(rule => [rule, { enabled: true }])) }
    return (await window.axe.run(document, options)).violations
      .map(v => `${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)
  }, [WCAG, STRUCTURE])
}

/**
 * What axe does not check: every field has a human label (not its raw
 * name, such as "branch_of"), and no two controls share a name, so that
 * "Reject" says which proposal it rejects.
 */
async function namingFaults (page) {
  return await page.evaluate(() => {
    window.axe.setup(document)
    try {
      const nameOf = element => window.axe.commons.text.accessibleText(element).trim()
      // A field in a closed disclosure is checked once it is opened.
      const faults = [...document.querySelectorAll('input, select, textarea')]
        .filter(field => field.closest('details:not([open])') === null)
        .filter(field => nameOf(field) === '' || nameOf(field) === field.name)
        .map(field => `the field "${field.name}" is called "${nameOf(field)}"`)
      const controls = [...document.querySelectorAll('main button, main a[href]')].map(nameOf)
      for (const name of new Set(controls.filter((name, i) => controls.indexOf(name) !== i))) faults.push(`several controls are called "${name}"`)
      return faults
    } finally {
      window.axe.teardown()
    }
  })
}

/** A context per role, each signed in, with one page that every address reuses. */
async function pagesByRole (instance, server, viewport) {
  const pages = {}
  for (const role of ROLES) {
    const context = await instance.newContext({ viewport })
    const page = await context.newPage()
    const errors = []
    page.on('pageerror', error => errors.push(String(error)))
    await page.goto(`${server.http}/s/wgigf?token=${token('wgigf', PEOPLE[role], role)}`)
    pages[role] = { page, errors }
  }
  return pages
}

/** Proposes a text as `user`, through the API; answers its id. */
async function propose (server, title, user = PEOPLE.member) {
  const made = await api(server, 'POST', '/api/spaces/wgigf/proposals', token('wgigf', user, 'member'), { title, text: `${title}: the text.` })
  assert.equal(made.status, 201)
  return made.json.id
}

/** The demo space with an open proposal, a branch and a named version, so that every page has something to show. */
async function furnished (server) {
  await propose(server, 'Publish the accounts')
  const branch = await api(server, 'POST', '/api/spaces/wgigf/proposals', token('wgigf', PEOPLE.member, 'member'), { title: 'Name the donors', branch_of: 'c-1' })
  const version = await api(server, 'POST', '/api/spaces/wgigf/versions', token('wgigf', PEOPLE['vice-chair'], 'vice-chair'), { name: 'Before the meeting' })
  return { branch: branch.json.id, version: version.json.id }
}

/**
 * Every page, with what shows it is drawn, who may see it, and what more
 * it shows on demand (a diff, a preview, a comparison), checked too.
 */
function everyPage ({ branch, version }) {
  return [
    {
      name: 'dashboard',
      path: '/s/wgigf',
      ready: 'tr[data-recommendation="c-1"]',
      more: async (page, role) => {
        if (role !== 'chair') return
        await page.locator('summary', { hasText: 'The report’s header' }).click()
        await page.locator('input[name="symbol"]').waitFor()
      }
    },
    {
      name: 'recommendation',
      path: C1,
      ready: '[data-column="alt-voluntary"] .cm-content',
      more: async page => {
        await page.locator('[data-column="alt-voluntary"] .diff-toggle').click()
        await page.locator('[data-diff="alt-voluntary"] ins').first().waitFor()
      }
    },
    // A branch is its author's (the member's), the vice-chair's and the chair's.
    { name: 'branch', path: `/s/wgigf/${branchDoc(branch)}`, ready: '[data-column="alt-voluntary"] .cm-content', roles: ROLES.filter(role => role !== 'observer') },
    { name: 'branch not theirs', path: `/s/wgigf/${branchDoc(branch)}`, ready: '[data-problem="no-such-proposal"]', roles: ['observer'] },
    { name: 'version', path: `/s/wgigf/${versionDoc(version, 'c-1')}`, ready: '[data-column="alt-voluntary"] .cm-content' },
    {
      name: 'inbox',
      path: INBOX,
      ready: '.proposals > *',
      more: async (page, role) => {
        if (role !== 'vice-chair') return
        await page.locator('[data-action="preview"]').first().click()
        await page.locator('.proposal .diff').first().waitFor()
      }
    },
    {
      name: 'versions',
      path: VERSIONS,
      ready: 'tr[data-version]',
      more: async page => {
        await page.locator('[data-action="compare"]').click()
        await page.locator('.diffs details summary').click()
      }
    },
    {
      name: 'meetings',
      path: `/s/wgigf/${DOCS.meetings}`,
      ready: 'section.meeting',
      more: async page => {
        await page.locator('details.chairs-summary summary').first().click()
        await page.locator('.summary-text .cm-content').first().waitFor()
      }
    },
    { name: 'implementation', path: '/s/wgigf/implementation', ready: 'article.implemented' },
    { name: 'people', path: '/s/wgigf/people', ready: '.scroll table, .scroll .who', roles: ['chair'] }
  ]
}

/** Presses Tab (or Shift+Tab) until `target` has the focus. */
async function tabTo (page, target, key = 'Tab') {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press(key)
    if (await target.evaluate(element => element === document.activeElement)) return
  }
  throw new Error(`${target} is not reachable with ${key}`)
}

const focused = async page => await page.evaluate(() => document.activeElement?.closest('[data-proposal]') !== null ? 'a proposal' : document.activeElement?.outerHTML.slice(0, 120))

/** Asserts that `message` is shown right beside `control` (at most a line or two from it), not elsewhere on the page. */
async function besides (control, message) {
  const [a, b] = [await control.boundingBox(), await message.boundingBox()]
  assert.ok(a !== null && b !== null, 'both are shown')
  const gap = Math.max(b.y - (a.y + a.height), a.y - (b.y + b.height), 0)
  assert.ok(gap <= 48, `the message is ${Math.round(gap)} px from the control`)
}

/** Waits, for at most `ms`, for `predicate` to hold in the page; answers whether it did. */
async function holdsWithin (page, ms, predicate, arg) {
  try {
    await page.waitForFunction(predicate, arg, { timeout: ms })
    return true
  } catch {
    return false
  }
}

test('no page has an axe violation of WCAG 2.1 A or AA, an unlabelled field or two controls of one name, for any role', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const pages = await pagesByRole(instance, server, { width: 1280, height: 900 })
  const made = await furnished(server)
  const failures = []
  for (const { name, path, ready, roles = ROLES, more } of everyPage(made)) {
    for (const role of roles) {
      const { page } = pages[role]
      await page.goto(`${server.http}${path}`)
      await page.locator(ready).first().waitFor()
      const check = async shown => {
        for (const fault of [...await violations(page), ...await namingFaults(page)]) failures.push(`${name} as ${role}${shown}: ${fault}`)
      }
      await check('')
      if (more === undefined) continue
      await more(page, role)
      await check(', more shown')
    }
  }
  assert.deepEqual(failures, [])
  for (const { errors } of Object.values(pages)) assert.deepEqual(errors, [])
})

test('every page starts with a link to skip to its content, then a banner, then the main content under one h1', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const { page, errors } = await signedIn(t, instance, server, '/s/wgigf', PEOPLE.chair, 'chair')
  const made = await furnished(server)
  for (const { path, ready } of everyPage(made).filter(({ roles = ROLES }) => roles.includes('chair'))) {
    await page.goto(`${server.http}${path}`)
    await page.locator(ready).first().waitFor()
    assert.equal(await page.getByRole('banner').count(), 1, `${path} has one banner`)
    assert.equal(await page.getByRole('main').count(), 1, `${path} has one main`)
    assert.equal(await page.locator('h1').count(), 1, `${path} has one h1`)
    assert.ok(await page.locator('main h1').isVisible(), `${path}'s h1 is in its main content`)
    await page.keyboard.press('Tab')
    const skip = page.getByRole('link', { name: 'Skip to content' })
    assert.ok(await skip.evaluate(link => link === document.activeElement), `Tab reaches "Skip to content" first on ${path}`)
    assert.ok(await skip.isVisible(), 'the skip link shows once focused')
    await page.keyboard.press('Enter')
    assert.ok(await page.getByRole('main').evaluate(main => main.contains(document.activeElement)), `the skip link leads into ${path}'s main content`)
    assert.ok(await page.evaluate(() => document.title.endsWith('— Draftroom') && document.title !== '— Draftroom'), 'the window says which page this is')
  }
  assert.deepEqual(errors, [])
})

test('only short outcome messages are live regions, and a short sentence tells what others did on the recommendation', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const ana = await signedIn(t, instance, server, C1, 'ana', 'member')
  const bo = await signedIn(t, instance, server, C1, 'bo', 'member')
  for (const { page } of [ana, bo]) await page.locator('[data-column="alt-voluntary"] .cm-content').waitFor()
  // Live regions hold sentences, not parts of the page: whatever redraws
  // inside them is read aloud.
  const liveRegionFaults = async page => await page.evaluate(() => [...document.querySelectorAll('[aria-live], [role="status"], [role="alert"], [role="log"]')]
    .filter(region => region.textContent.length > 200 || region.querySelector('h1, h2, h3, button, input, select, textarea, [contenteditable]') !== null)
    .map(region => `${region.tagName.toLowerCase()}#${region.id} holds ${region.textContent.length} characters`))
  assert.deepEqual(await liveRegionFaults(ana.page), [])
  const announced = async (page, text) => await page.waitForFunction(text => [...document.querySelectorAll('[role="status"]')].some(region => region.textContent.includes(text)), text)

  // Bo supports the majority text: Ana hears it; Bo hears only his own button's outcome.
  await bo.page.getByRole('button', { name: /^Support the majority text/ }).click()
  await announced(ana.page, 'bo supported the majority text.')
  assert.ok(!(await holdsWithin(bo.page, 300, () => document.querySelector('[data-announcer]').textContent.includes('bo supported'))), 'nobody is told what they did themselves')
  // Ana supports the alternative: Bo hears that, by its label.
  await ana.page.getByRole('button', { name: new RegExp(`^Support alternative “${ALTERNATIVE}”`) }).click()
  await announced(bo.page, `ana supported alternative “${ALTERNATIVE}”.`)

  // The chair moves the status and sets a consensus level elsewhere; a new alternative comes.
  const chair = token('wgigf', 'carla', 'chair')
  assert.equal((await api(server, 'PUT', '/api/spaces/wgigf/recommendations/c-1/status', chair, { status: 'agreed', consensus: 'full' })).status, 200)
  await announced(ana.page, 'Status is now agreed. Consensus is now full.')
  const alt = await api(server, 'POST', '/api/spaces/wgigf/recommendations/c-1/alternatives', token('wgigf', 'mia', 'member'), { label: 'Pooled fund', text: 'One pooled fund.' })
  assert.equal(alt.status, 201)
  await announced(bo.page, 'New alternative “Pooled fund”.')
  // What is announced stays a sentence, however much the page redraws.
  for (const { page } of [ana, bo]) assert.deepEqual(await liveRegionFaults(page), [])

  // The inbox, after an action, is no different.
  const proposal = await propose(server, 'Publish the accounts')
  const vice = await signedIn(t, instance, server, INBOX, PEOPLE['vice-chair'], 'vice-chair')
  const categorize = vice.page.locator(`[data-proposal="${proposal}"] [data-action="categorize"]`)
  await categorize.click()
  const categorized = vice.page.getByText('Categorized under topic A.')
  await categorized.waitFor()
  await besides(categorize, categorized)
  assert.deepEqual(await liveRegionFaults(vice.page), [])
  for (const { errors } of [ana, bo, vice]) assert.deepEqual(errors, [])
})

test('a member supports an alternative and submits a proposal by keyboard alone; the form then clears', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const { page, errors } = await signedIn(t, instance, server, C1, PEOPLE.member, 'member')
  await page.locator('[data-column="alt-voluntary"] .cm-content').waitFor()

  const support = page.getByRole('button', { name: `Support alternative “${ALTERNATIVE}” (3 supporters)` })
  await tabTo(page, support)
  await page.keyboard.press('Space')
  await page.getByRole('button', { name: `Support alternative “${ALTERNATIVE}” (4 supporters)`, pressed: true }).waitFor()
  const stored = await api(server, 'GET', '/api/spaces/wgigf/recommendations/c-1', token('wgigf', 'olga', 'observer'))
  assert.equal(stored.json.support[PEOPLE.member], 'alt-voluntary')
  assert.ok(await page.evaluate(() => document.activeElement?.dataset.support === 'alt-voluntary'), `the button keeps the focus, not ${await focused(page)}`)

  // Back to the navigation, on to My proposals.
  await tabTo(page, page.getByRole('link', { name: 'My proposals' }), 'Shift+Tab')
  await page.keyboard.press('Enter')
  const title = page.getByRole('textbox', { name: 'Title' })
  await title.waitFor()
  await tabTo(page, title)
  await page.keyboard.type('Publish the accounts')
  await page.keyboard.press('Tab')
  assert.ok(await page.getByRole('textbox', { name: 'Proposed text' }).evaluate(field => field === document.activeElement))
  await page.keyboard.type('The Trust Fund publishes its accounts yearly.')
  await page.keyboard.press('Tab')
  const topic = page.getByRole('combobox', { name: 'Topic' }).first()
  assert.ok(await topic.evaluate(field => field === document.activeElement))
  await page.keyboard.press('c')
  await page.keyboard.press('Tab')
  const submit = page.getByRole('button', { name: 'Submit a proposal' })
  assert.ok(await submit.evaluate(button => button === document.activeElement))
  await page.keyboard.press('Enter')
  const outcome = page.getByText('Submitted.')
  await outcome.waitFor()
  await besides(submit, outcome)
  const proposals = (await api(server, 'GET', '/api/spaces/wgigf/proposals', token('wgigf', PEOPLE.member, 'member'))).json
  assert.deepEqual(proposals.map(p => [p.title, p.text, p.topic]), [['Publish the accounts', 'The Trust Fund publishes its accounts yearly.', 'C']])
  assert.ok(await submit.evaluate(button => button === document.activeElement), `the button keeps the focus, not ${await focused(page)}`)
  // The form is ready for the next proposal.
  assert.equal(await title.inputValue(), '')
  assert.equal(await page.getByRole('textbox', { name: 'Proposed text' }).inputValue(), '')
  await page.locator('[data-proposal] h3', { hasText: 'Publish the accounts' }).waitFor()
  await page.screenshot({ path: resolve(SHOTS, 'access-proposed-by-keyboard.png'), fullPage: true })
  assert.deepEqual(errors, [])
})

test('the chair sets a status by keyboard: arrowing through the select changes nothing until "Set status" is pressed', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const chair = await signedIn(t, instance, server, C1, PEOPLE.chair, 'chair')
  const observer = await signedIn(t, instance, server, C1, PEOPLE.observer, 'observer')
  for (const { page } of [chair, observer]) await page.locator('[data-column="alt-voluntary"] .cm-content').waitFor()
  const badge = page => page.locator('.status-line .badge').textContent()
  const before = await badge(observer.page)
  const next = STATUSES[STATUSES.indexOf(before) + 1]

  const select = chair.page.getByRole('combobox', { name: 'Status' })
  await tabTo(chair.page, select)
  await chair.page.keyboard.press('ArrowDown')
  assert.equal(await select.inputValue(), next, 'the arrow key moves the choice')
  // Nothing reaches the others: the observer's page keeps the status.
  assert.ok(!(await holdsWithin(observer.page, 1000, before => document.querySelector('.status-line .badge')?.textContent !== before, before)), 'arrowing changed the status for everyone')
  const observerToken = token('wgigf', PEOPLE.observer, 'observer')
  assert.equal((await api(server, 'GET', '/api/spaces/wgigf/recommendations/c-1', observerToken)).json.status, before)

  const set = chair.page.getByRole('button', { name: 'Set status' })
  await tabTo(chair.page, set)
  await chair.page.keyboard.press('Enter')
  await observer.page.waitForFunction(next => document.querySelector('.status-line .badge')?.textContent === next, next)
  assert.match(await observer.page.locator('[data-announcer]').textContent(), new RegExp(`Status is now ${next}`))
  assert.equal((await api(server, 'GET', '/api/spaces/wgigf/recommendations/c-1', observerToken)).json.status, next)
  const outcome = chair.page.getByText(`Status set to ${next}`)
  await outcome.waitFor()
  await besides(set, outcome)
  assert.ok(await set.evaluate(button => button === document.activeElement), `the button keeps the focus, not ${await focused(chair.page)}`)
  assert.equal(await chair.page.locator('[data-announcer]').textContent(), '', 'the chair is not told again what the chair did')
  await chair.page.screenshot({ path: resolve(SHOTS, 'access-status-by-keyboard.png'), fullPage: true })
  for (const { errors } of [chair, observer]) assert.deepEqual(errors, [])
})

test('the vice-chair rejects a proposal with a reason by keyboard, and the focus goes on from where the proposal was', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const id = await propose(server, 'Publish the accounts')
  await propose(server, 'Pool the funds')
  const { page, errors } = await signedIn(t, instance, server, INBOX, PEOPLE['vice-chair'], 'vice-chair')
  const item = page.getByRole('article', { name: 'Publish the accounts' })
  await item.waitFor()

  await tabTo(page, item.getByRole('textbox', { name: 'Reason for rejecting' }))
  await page.keyboard.type('Out of scope for this group')
  await page.keyboard.press('Tab')
  const reject = page.getByRole('button', { name: 'Reject proposal “Publish the accounts”' })
  assert.ok(await reject.evaluate(button => button === document.activeElement), 'Reject follows the reason')
  const where = await item.boundingBox()
  await page.keyboard.press('Enter')

  // The proposal leaves the open ones; a line where it was says so, with the focus.
  await item.waitFor({ state: 'detached' })
  const line = page.getByText('“Publish the accounts” is now rejected')
  await line.waitFor()
  assert.ok(await line.evaluate(element => element === document.activeElement), `the focus is on the line, not on ${await focused(page)}`)
  assert.ok(Math.abs((await line.boundingBox()).y - where.y) <= 48, 'the line is where the proposal was')
  const stored = (await api(server, 'GET', '/api/spaces/wgigf/proposals', token('wgigf', PEOPLE['vice-chair'], 'vice-chair'))).json.find(p => p.id === id)
  assert.equal(stored.status, 'rejected')
  assert.equal(stored.history.at(-1).note, 'Out of scope for this group')
  // Tab goes on to the next proposal's controls.
  await page.keyboard.press('Tab')
  assert.ok(await page.getByRole('article', { name: 'Pool the funds' }).evaluate(article => article.contains(document.activeElement)), `Tab goes on to the next proposal, not ${await focused(page)}`)
  await page.screenshot({ path: resolve(SHOTS, 'access-rejected-by-keyboard.png'), fullPage: true })
  assert.deepEqual(errors, [])
})

test('on a 390 px phone no page is wider than the screen, and the inbox shows Reject whole', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const pages = await pagesByRole(instance, server, PHONE)
  const made = await furnished(server)
  const failures = []
  for (const { name, path, ready, roles = ROLES } of everyPage(made)) {
    for (const role of roles) {
      const { page } = pages[role]
      await page.goto(`${server.http}${path}`)
      await page.locator(ready).first().waitFor()
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      if (width > PHONE.width) failures.push(`${name} as ${role} is ${width} px wide`)
    }
  }
  assert.deepEqual(failures, [])
  const { page } = pages['vice-chair']
  await page.goto(`${server.http}${INBOX}`)
  const reject = page.locator('[data-action="reject"]').first()
  await reject.scrollIntoViewIfNeeded()
  const box = await reject.boundingBox()
  assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `Reject spans ${box.x}–${box.x + box.width} px`)
  await page.screenshot({ path: resolve(SHOTS, 'access-inbox-phone.png'), fullPage: true })
  for (const { errors } of Object.values(pages)) assert.deepEqual(errors, [])
})

test("an author's open My proposals page shows, live, who rejected a proposal and why and where merged ones went; withdrawing keeps the focus on it", async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const rejected = await propose(server, 'Publish the accounts')
  const merged = await propose(server, 'Pool the funds')
  const member = await signedIn(t, instance, server, INBOX, PEOPLE.member, 'member')
  const vice = await signedIn(t, instance, server, INBOX, PEOPLE['vice-chair'], 'vice-chair')
  for (const { page } of [member, vice]) await page.locator(`[data-proposal="${merged}"]`).waitFor()
  await member.page.evaluate(() => { window.__notReloaded = true })

  const toReject = vice.page.locator(`[data-proposal="${rejected}"]`)
  await toReject.locator('input[name="reason"]').fill('Out of scope for this group')
  await toReject.locator('[data-action="reject"]').click()
  const fate = member.page.locator(`[data-proposal="${rejected}"] .fate`)
  await fate.waitFor()
  assert.match(await fate.textContent(), /^Rejected by victor, .+: “Out of scope for this group”$/)

  const toMerge = vice.page.locator(`[data-proposal="${merged}"]`)
  await toMerge.locator('select[name="into"]').selectOption('c-1')
  await toMerge.locator('select[name="as"]').selectOption('alternative')
  await toMerge.locator('[data-action="merge"]').click()
  const link = member.page.locator(`[data-proposal="${merged}"] .fate a`)
  await link.waitFor()
  assert.equal(await link.textContent(), 'C.1 Stable and predictable funding')
  assert.ok((await link.getAttribute('href')).endsWith(`/${recommendationDoc('c-1')}`))
  assert.match(await member.page.locator(`[data-proposal="${merged}"] .fate`).textContent(), /^Merged into C\.1 Stable and predictable funding as an alternative by victor, /)

  // Merged as a new recommendation: the link names it by the number it was just given.
  const fresh = await propose(server, 'Hold open consultations')
  const toCreate = vice.page.locator(`[data-proposal="${fresh}"]`)
  await toCreate.locator('select[name="topic"]').selectOption('B')
  await toCreate.locator('select[name="as"]').selectOption('new')
  await toCreate.locator('[data-action="merge"]').click()
  const created = member.page.locator(`[data-proposal="${fresh}"] .fate a`)
  await created.waitFor()
  assert.equal(await created.textContent(), 'B.2 Hold open consultations')
  assert.ok((await created.getAttribute('href')).endsWith(`/${recommendationDoc('b-2')}`))

  // The author withdraws one by keyboard: it stays listed, and the focus moves to what became of it.
  const withdrawn = await propose(server, 'Name the donors')
  const withdraw = member.page.getByRole('button', { name: 'Withdraw proposal “Name the donors”' })
  await tabTo(member.page, withdraw)
  await member.page.keyboard.press('Enter')
  await member.page.waitForFunction(id => document.activeElement === document.querySelector(`[data-proposal="${id}"] .fate`), withdrawn)
  assert.match(await member.page.locator(`[data-proposal="${withdrawn}"] .fate`).textContent(), /^Withdrawn by mia, /)
  assert.ok(await member.page.evaluate(() => window.__notReloaded === true), 'the page was not reloaded')
  await member.page.screenshot({ path: resolve(SHOTS, 'access-my-proposals.png'), fullPage: true })
  for (const { errors } of [member, vice]) assert.deepEqual(errors, [])
})

test('versions name recommendations by number and title, compare the last named version with now by default, and mark changes in words too', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const vice = token('wgigf', PEOPLE['vice-chair'], 'vice-chair')
  const first = await api(server, 'POST', '/api/spaces/wgigf/versions', vice, { name: 'Before the meeting' })
  const mia = client(t, server, 'wgigf', recommendationDoc('c-1'), token('wgigf', PEOPLE.member, 'member'))
  await synced(mia)
  mia.text.delete(0, 'The IGF'.length)
  mia.text.insert(0, 'The Forum')
  const observer = token('wgigf', PEOPLE.observer, 'observer')
  for (const start = Date.now(); !(await api(server, 'GET', '/api/spaces/wgigf/recommendations/c-1', observer)).json.text.startsWith('The Forum');) {
    assert.ok(Date.now() - start < 10000, 'the edit reaches the server')
  }
  const { page, errors } = await signedIn(t, instance, server, VERSIONS, PEOPLE['vice-chair'], 'vice-chair')
  // The vice-chair names the second version in the app.
  await page.getByRole('textbox', { name: /^Version name/ }).fill('After the meeting')
  const name = page.getByRole('button', { name: 'Name this version' })
  await name.click()
  const named = page.getByText('Named.')
  await named.waitFor()
  await besides(name, named)
  await page.locator('tr[data-version] td', { hasText: 'After the meeting' }).waitFor()
  const versions = (await api(server, 'GET', '/api/spaces/wgigf/versions', observer)).json
  assert.deepEqual(versions.map(v => v.id)[0], first.json.id)

  const row = page.locator(`tr[data-version="${first.json.id}"]`)
  assert.ok(await row.getByRole('link', { name: 'C.1 Stable and predictable funding' }).isVisible(), 'a version lists what it holds by number and title')
  assert.equal(await row.getByRole('link', { name: 'c-1' }).count(), 0)
  // By default: the last version named against now.
  assert.equal(await page.locator('select[name="from"]').inputValue(), versions.at(-1).id)
  assert.equal(await page.locator('select[name="to"]').inputValue(), 'live')
  // Compare the two named versions.
  await page.getByRole('combobox', { name: 'Compare' }).selectOption(first.json.id)
  await page.getByRole('combobox', { name: 'with' }).selectOption(versions.at(-1).id)
  const compare = page.getByRole('button', { name: 'Compare' })
  await compare.click()
  const outcome = page.getByText('1 of 5 recommendations changed.')
  await outcome.waitFor()
  await besides(compare, outcome)
  const section = page.locator('section[data-recommendation="c-1"]')
  assert.equal(await section.locator('h3').textContent(), 'C.1 Stable and predictable funding')
  // Not by colour alone: struck and underlined, and said in words.
  assert.equal(await section.locator('del').textContent(), 'deleted: IGF (end of deletion)')
  assert.equal(await section.locator('ins').textContent(), 'inserted: Forum (end of insertion)')
  assert.match(await section.locator('del').evaluate(element => getComputedStyle(element).textDecorationLine), /line-through/)
  assert.match(await section.locator('ins').evaluate(element => getComputedStyle(element).textDecorationLine), /underline/)
  assert.ok((await section.locator('ins .visually-hidden').first().boundingBox()).width <= 1, 'the words are for screen readers, not shown')
  await page.screenshot({ path: resolve(SHOTS, 'access-versions.png'), fullPage: true })
  assert.deepEqual(errors, [])
})
