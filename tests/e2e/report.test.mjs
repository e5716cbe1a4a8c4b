// Exports for the Chair's report: a named version exports as it was named
// (later edits absent, the same bytes every time, from the API and the
// command line alike), and an export can hold only the recommendations of
// some statuses. Real servers, stock Yjs clients, and a browser.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { validateAkn } from './akn.mjs'
import { BIN, api, client, synced, token } from './harness.mjs'
import { browser, demoServer, signedIn } from './browser.mjs'
import { versionDoc } from '../../web/src/schema.js'

const SPACE = 'wgigf'

test('a named version exports without later edits, byte for byte the same every time and from the command line; a status filter keeps only those statuses', async t => {
  const server = await demoServer(t)
  const [vic, olga] = [token(SPACE, 'vic', 'vice-chair'), token(SPACE, 'olga', 'observer')]
  const exported = async query => {
    const answer = await api(server, 'GET', `/api/spaces/${SPACE}/export?${query}`, olga)
    assert.equal(answer.status, 200, answer.text)
    return answer.text
  }
  const version = (await api(server, 'POST', `/api/spaces/${SPACE}/versions`, vic, { name: 'After the 4th meeting' })).json
  const named = { md: await exported(`format=md&version=${version.id}`), akn: await exported(`format=akn&version=${version.id}`) }

  // Later edits reach the live export, not the version's.
  const editor = client(t, server, SPACE, 'r/c-1', token(SPACE, 'ana', 'member'))
  await synced(editor)
  editor.text.insert(editor.text.length, ' Added after the version.')
  for (let i = 0; i < 100 && !(await exported('format=md')).includes('Added after the version.'); i++) await new Promise(resolve => setTimeout(resolve, 20))
  assert.match(await exported('format=md'), /Added after the version\./)
  for (const format of ['md', 'akn']) {
    const again = await exported(`format=${format}&version=${version.id}`)
    assert.doesNotMatch(again, /Added after the version/)
    assert.equal(again, named[format], `${format}: the same version exports the same bytes`)
  }
  validateAkn(t, named.akn)
  // Read as a secretariat would: dates and consensus levels in words, no
  // timestamps, no dash for an empty field, no internal notes.
  assert.doesNotMatch(named.md, /\d{4}-\d{2}-\d{2}T/)
  assert.match(named.md, /Recommendations as of \d{1,2} [A-Z][a-z]+ \d{4}\./)
  assert.match(named.md, /consensus: strong support but significant opposition\./)
  assert.doesNotMatch(named.md, /\*\*[A-Za-z ]+:\*\* —/)
  assert.doesNotMatch(named.md, /Written against/)
  // The work is dated by the space's making, the expression by the version's.
  const listed = (await api(server, 'GET', `/api/spaces/${SPACE}/versions`, olga)).json.find(v => v.id === version.id)
  const day = listed.created_at.slice(0, 10)
  assert.match(named.akn, new RegExp(`<FRBRuri value="/akn/un/statement/recommendations/wgigf/\\d{4}-\\d{2}-\\d{2}/eng@${day}"/>`))

  // Only the statuses asked for.
  const agreed = await exported('format=md&status=agreed')
  assert.match(agreed, /Transparent selection of MAG members/)
  assert.doesNotMatch(agreed, /Stable and predictable funding/)
  const two = await exported(`format=md&status=agreed,bracketed&version=${version.id}`)
  assert.match(two, /Stable and predictable funding/)
  assert.doesNotMatch(two, /Open consultations/, 'a draft is left out')
  assert.equal((await api(server, 'GET', `/api/spaces/${SPACE}/export?format=md&status=final`, olga)).status, 400)
  assert.equal((await api(server, 'GET', `/api/spaces/${SPACE}/export?format=md&version=v-none`, olga)).status, 404)

  // The command line, from the store, gives the same bytes.
  await server.kill('SIGTERM')
  const fromCli = execFileSync(BIN, ['export', '--store', server.store, '--space', SPACE, '--format', 'md', '--version', version.id]).toString()
  assert.equal(fromCli, named.md)
})

test("a version's page exports that version", async t => {
  const server = await demoServer(t)
  const vic = token(SPACE, 'vic', 'vice-chair')
  const version = (await api(server, 'POST', `/api/spaces/${SPACE}/versions`, vic, { name: 'V1' })).json
  const instance = await browser(t)
  const { page, errors } = await signedIn(t, instance, server, `/s/${SPACE}/${versionDoc(version.id, 'c-1')}`, 'olga', 'observer')
  await page.locator('.exports', { hasText: 'Export this version' }).waitFor()
  const hrefs = await page.locator('.exports a').evaluateAll(links => links.map(link => link.getAttribute('href')))
  assert.ok(hrefs.length > 0 && hrefs.every(href => href.includes(`version=${version.id}`)), hrefs.join(' '))
  assert.deepEqual(errors, [])
})
