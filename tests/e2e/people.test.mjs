// The roster and the report in the app: the chair keeps who is who (name,
// delegation, role) on the People page, and what they change reaches
// another person's page; pages name people and delegations, never user
// ids; the chair heads the report from the dashboard, and its exports
// follow. Real servers and two browser contexts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { api, token } from './harness.mjs'
import { C1, SHOTS, browser, demoServer, signedIn } from './browser.mjs'

const SPACE = 'wgigf'

test('the chair adds, changes and takes people off the roster in the app; links follow the roster; refusals are said beside the control', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const chair = await signedIn(t, instance, server, `/s/${SPACE}/people`, 'demo-chair', 'chair')
  const { page } = chair
  page.on('dialog', dialog => { void dialog.accept() })
  const row = user => page.locator(`tr[data-person="${user}"]`)
  await row('demo-member').locator('td', { hasText: 'Senegal' }).waitFor()
  assert.match(await page.locator('header .who').textContent(), /Signed in as Lena Kovács \(Hungary\) · chair/)

  // Added, with a delegation from the usual groups or typed.
  await page.locator('input[name="name"]').fill('Ana Silva')
  await page.locator('input[name="new-delegation"]').fill('Brazil')
  await page.getByRole('button', { name: 'Add to the roster' }).click()
  await page.locator('.outcome', { hasText: 'Ana Silva is on the roster' }).waitFor()
  await row('ana-silva').locator('td', { hasText: 'Brazil' }).waitFor()

  // A link for her carries her role on the roster.
  await page.getByRole('button', { name: 'New sign-in link for Ana Silva' }).click()
  const link = page.locator('[data-link="ana-silva"]')
  await link.locator('p', { hasText: 'Ana Silva signs in as member' }).waitFor()
  const url = await link.locator('input.link').inputValue()

  // Changed: a new role ends her link, and the page says so.
  await page.getByRole('button', { name: 'Change what the roster says of Ana Silva' }).click()
  const form = page.getByRole('form', { name: 'What the roster says of Ana Silva' })
  await form.locator('input[name="person-delegation"]').fill('Brazil (G77)')
  await form.locator('select[name="person-role"]').selectOption('vice-chair')
  await form.getByRole('button', { name: 'Save' }).click()
  await row('ana-silva').locator('td', { hasText: 'Brazil (G77)' }).waitFor()
  await row('ana-silva').locator('.outcome', { hasText: 'no longer work: make them a new one' }).waitFor()
  await page.locator('tr', { hasText: 'Ana Silva' }).filter({ has: page.locator('td', { hasText: 'revoked' }) }).waitFor()
  const ana = await instance.newContext()
  t.after(() => ana.close())
  const anaPage = await ana.newPage()
  await anaPage.goto(url)
  await anaPage.locator('[data-problem="revoked"]').waitFor()

  // The chair's own role is not theirs to change: said beside the form.
  await page.getByRole('button', { name: 'Change what the roster says of Lena Kovács' }).click()
  const own = page.getByRole('form', { name: 'What the roster says of Lena Kovács' })
  await own.locator('select[name="person-role"]').selectOption('member')
  await own.getByRole('button', { name: 'Save' }).click()
  await own.locator('.outcome.error', { hasText: 'cannot change your own role' }).waitFor()
  await own.getByRole('button', { name: 'Cancel' }).click()
  await page.screenshot({ path: resolve(SHOTS, 'people-roster.png'), fullPage: true })

  // Taken off: gone from the roster, for everyone.
  await page.getByRole('button', { name: 'Take off the roster: Ana Silva' }).click()
  await row('ana-silva').waitFor({ state: 'detached' })
  const people = (await api(server, 'GET', `/api/spaces/${SPACE}/people`, token(SPACE, 'olga', 'observer'))).json
  assert.ok(!people.some(person => person.user === 'ana-silva'))
  assert.deepEqual(chair.errors.filter(error => !/40[0-9]/.test(error)), [])
})

test('pages name people with their delegations, and a name changed on the roster reaches them', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const member = await signedIn(t, instance, server, C1, 'demo-member', 'member')
  const { page } = member
  await page.locator('[data-supporters="alt-voluntary"]', { hasText: 'Amina Diallo (Senegal)' }).waitFor()
  await page.locator('[data-column="alt-voluntary"] .proponents', { hasText: 'Proponents: Amina Diallo (Senegal)' }).first().waitFor()
  await page.locator('[data-holders]', { hasText: 'held by Amina Diallo' }).first().waitFor()
  await page.locator('.comment-body strong', { hasText: 'Joaquim Santos (Portugal)' }).waitFor()
  const shown = await page.locator('main, body').first().innerText()
  assert.doesNotMatch(shown, /demo-(chair|vice-chair|member|observer|india)/, 'no user id on the page')
  await page.screenshot({ path: resolve(SHOTS, 'people-names.png'), fullPage: true })

  // The chair renames the member; a page opened after shows the new name.
  const chair = token(SPACE, 'demo-chair', 'chair')
  const renamed = await api(server, 'PATCH', `/api/spaces/${SPACE}/people/demo-member`, chair, { name: 'Amina N. Diallo' })
  assert.equal(renamed.status, 200, renamed.text)
  await page.reload()
  await page.locator('[data-supporters="alt-voluntary"]', { hasText: 'Amina N. Diallo (Senegal)' }).waitFor()
  assert.deepEqual(member.errors, [])
})

test('the chair heads the report from the dashboard, and every export follows', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const chair = await signedIn(t, instance, server, `/s/${SPACE}`, 'demo-chair', 'chair')
  const { page } = chair
  await page.locator('summary', { hasText: 'The report’s header' }).click()
  await page.locator('input[name="symbol"]').fill('E/CN.16/2012/CRP.2')
  await page.locator('input[name="date"]').fill('2012-05-21')
  await page.locator('select[name="numbering"]').selectOption('continuous')
  await page.getByRole('button', { name: 'Save the header' }).click()
  await page.locator('.outcome', { hasText: 'Saved: every export is headed so' }).waitFor()
  await page.screenshot({ path: resolve(SHOTS, 'report-header.png'), fullPage: true })
  // The Word link asks for the annex when it is ticked.
  await page.locator('input[name="annex"]').check()
  const word = await page.locator('.exports a', { hasText: 'Word' }).getAttribute('href')
  assert.match(word, /format=docx&annex=true/)
  const md = await page.evaluate(async href => await (await fetch(href)).text(), word.replace('format=docx', 'format=md'))
  assert.match(md, /E\/CN\.16\/2012\/CRP\.2 {2}\n/)
  assert.match(md, /\n21 May 2012 {2}\n/)
  assert.match(md, /### 3 Stable and predictable funding/)
  assert.match(md, /## Annex: who proposed what/)
  // Observers see no header form.
  const observer = await signedIn(t, instance, server, `/s/${SPACE}`, 'olga', 'observer')
  await observer.page.locator('tr[data-recommendation="c-1"]').waitFor()
  assert.equal(await observer.page.locator('summary', { hasText: 'The report’s header' }).count(), 0)
  for (const { errors } of [chair, observer]) assert.deepEqual(errors, [])
})
