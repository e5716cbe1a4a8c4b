// Signing in, and every way a page cannot be shown: the printed demo
// links, bad links, no sign-in, unknown pages and pages a role may not
// open each get a page in the app's style that says what happened and
// what to do. Static files are compressed and cached by their hash.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { api, token, waitFor } from './harness.mjs'
import { SHOTS, browser, demoServer, opened, signedIn } from './browser.mjs'

/** The page's problem, as a person reads it: its heading and its sentences. */
async function problemOf (page) {
  await page.locator('.problem').waitFor()
  return {
    code: await page.locator('.problem').getAttribute('data-problem'),
    title: await page.locator('h1').textContent(),
    text: await page.locator('.problem').textContent()
  }
}

test('serve prints one clickable sign-in link per demo role, and each signs that role in', async t => {
  const server = await demoServer(t)
  await waitFor('the links', () => server.stdout().includes('observer'))
  const links = Object.fromEntries([...server.stdout().matchAll(/^\s+(\S+)\s+(http:\/\/\S+\/s\/wgigf\?token=\S+)$/gm)].map(m => [m[1], m[2]]))
  assert.deepEqual(Object.keys(links).sort(), ['chair', 'member', 'observer', 'vice-chair'])
  assert.ok(links.member.startsWith(server.http), 'the link names the address the server listens on')
  const instance = await browser(t)
  for (const [role, link] of Object.entries(links)) {
    const { page, errors } = await opened(instance, link)
    await page.locator('.who', { hasText: `· ${role}` }).first().waitFor()
    assert.equal(new URL(page.url()).search, '', 'the token leaves the address bar')
    assert.deepEqual(errors, [])
  }
})

test('a bad, expired or wrong-space link, no sign-in, an unknown page and a page the role may not open each say what happened and what to do', async t => {
  const server = await demoServer(t)
  const instance = await browser(t)
  const bad = [
    ['bad-token', 'not-a-token', 401, /does not work/],
    ['token-expired', token('wgigf', 'ana', 'member', '1s'), 401, /expired/],
    ['wrong-space', token('elsewhere', 'ana', 'member'), 403, /another space/]
  ]
  await new Promise(resolve => setTimeout(resolve, 1100))
  for (const [code, link, status, title] of bad) {
    const answer = await fetch(`${server.http}/s/wgigf?token=${link}`)
    assert.equal(answer.status, status, code)
    const { page } = await opened(instance, `${server.http}/s/wgigf?token=${link}`)
    const problem = await problemOf(page)
    assert.equal(problem.code, code)
    assert.match(problem.title, title)
    assert.match(problem.text, /ask the chair|link you were given/i)
    assert.equal(await page.getByRole('link', { name: 'Go to the dashboard' }).getAttribute('href'), '/s/wgigf')
    if (code === 'token-expired') await page.screenshot({ path: resolve(SHOTS, 'problem-expired-link.png'), fullPage: true })
  }

  // No sign-in at all.
  const stranger = await opened(instance, `${server.http}/s/wgigf/r/c-1`)
  assert.equal((await problemOf(stranger.page)).code, 'no-token')
  assert.match(await stranger.page.locator('.problem').textContent(), /sign-in link you were given/)

  // Signed in: an unknown page, and the chair's page for a member, keep the
  // space's navigation.
  const member = await signedIn(t, instance, server, '/s/wgigf/nonsense/page', 'ana', 'member')
  const unknown = await problemOf(member.page)
  assert.equal(unknown.code, 'no-such-page')
  assert.equal(await member.page.getByRole('link', { name: 'Dashboard', exact: true }).count(), 1, 'the navigation is there')
  await member.page.screenshot({ path: resolve(SHOTS, 'problem-no-such-page.png'), fullPage: true })
  await member.page.goto(`${server.http}/s/wgigf/people`)
  assert.equal((await problemOf(member.page)).code, 'not-yours')

  // Programs still get the API's JSON.
  const json = await api(server, 'GET', '/api/spaces/wgigf/nothing-here', token('wgigf', 'ana', 'member'))
  assert.equal(json.status, 404)
  assert.equal(json.json.error.code, 'not-found')
})

test('the app is served compressed, its hashed files cached for good and its pages always asked anew', async t => {
  const server = await demoServer(t)
  const page = await fetch(`${server.http}/s/wgigf`)
  assert.equal(page.headers.get('cache-control'), 'no-cache')
  const script = (await page.text()).match(/src="(\/assets\/[^"]+\.js)"/)[1]
  const asset = await fetch(`${server.http}${script}`, { headers: { 'accept-encoding': 'gzip' } })
  assert.equal(asset.status, 200)
  assert.equal(asset.headers.get('content-encoding'), 'gzip')
  assert.match(asset.headers.get('cache-control'), /max-age=31536000.*immutable/)
  const missing = await fetch(`${server.http}/assets/index-missing.js`)
  assert.equal(missing.status, 404)
  assert.equal(missing.headers.get('cache-control'), null, 'a missing file is not cached')
})
