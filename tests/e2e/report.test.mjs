// Exports for the Chair's report: a named version exports as it was named
// (later edits absent, the same bytes every time, from the API and the
// command line alike), and an export can hold only the recommendations of
// some statuses; the report reads as a secretariat needs it (names,
// delegations, tallies, its header), opens in Word's ecosystem and prints
// from a browser. Real servers, stock Yjs clients, and a browser.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { validateAkn } from './akn.mjs'
import { convertedByLibreOffice, readDocx } from './docx.mjs'
import { join } from 'node:path'
import { BIN, api, client, startServer, synced, tempDir, token } from './harness.mjs'
import { startRedis } from './redis.mjs'
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
  const adopted = await exported('format=md&status=adopted')
  assert.match(adopted, /Transparent selection of MAG members/)
  assert.doesNotMatch(adopted, /Stable and predictable funding/)
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

test('the report names delegations and tallies their support, heads itself as the chair sets, marks brackets in Akoma Ntoso, and opens as a Word document', async t => {
  const server = await demoServer(t)
  const [chair, olga] = [token(SPACE, 'demo-chair', 'chair'), token(SPACE, 'olga', 'observer')]
  const header = { body: 'Commission on Science and Technology for Development', symbol: 'E/CN.16/2012/CRP.2', session: 'Fifteenth session', date: '2012-05-21', title: 'Report of the Working Group', distribution: 'General', numbering: 'continuous' }
  assert.equal((await api(server, 'PUT', `/api/spaces/${SPACE}/report`, olga, header)).status, 403)
  const bad = await api(server, 'PUT', `/api/spaces/${SPACE}/report`, chair, { ...header, date: '21 May' })
  assert.equal(bad.status, 400)
  assert.match(bad.json.error.message, /YYYY-MM-DD/)
  assert.equal((await api(server, 'PUT', `/api/spaces/${SPACE}/report`, chair, header)).status, 200)
  const exported = async query => {
    const answer = await fetch(`${server.http}/api/spaces/${SPACE}/export?${query}`, { headers: { authorization: `Bearer ${olga}` } })
    assert.equal(answer.status, 200)
    return answer
  }

  const md = await (await exported('format=md&annex=true')).text()
  assert.ok(md.startsWith('Commission on Science and Technology for Development  \nGeneral  \nE/CN.16/2012/CRP.2  \nFifteenth session  \n21 May 2012  \n\n# Report of the Working Group\n'), md.slice(0, 300))
  assert.match(md, /### 3 Stable and predictable funding/, 'numbered 1 to N through the report')
  assert.match(md, /Supported by 4 delegations \(Brazil, India, Portugal, Private sector\); alternative 1 by 3 delegations \(Civil society, Senegal, Sweden\)\./)
  assert.match(md, /#### Alternative recommendation 1: Voluntary contributions only\n\n\*Proposed by Senegal\.\*/)
  assert.match(md, /## Annex: who proposed what/)
  assert.match(md, /Alternative recommendation 1: Voluntary contributions only: proposed by Amina Diallo \(Senegal\)\./)
  assert.doesNotMatch(md, /demo-/, 'no user id')
  assert.doesNotMatch(md, /\d{4}-\d{2}-\d{2}T/, 'no timestamp')

  const akn = await (await exported('format=akn')).text()
  validateAkn(t, akn)
  assert.match(akn, /<docNumber>E\/CN\.16\/2012\/CRP\.2<\/docNumber>/)
  assert.match(akn, /<inline name="bracket">\[setting out areas of convergence and divergence\]<\/inline>/)
  assert.match(akn, /<p class="support">Supported by 4 delegations/)

  const html = await (await exported('format=html')).text()
  assert.match(html, /@media print/)
  assert.match(html, /<span class="bracket">\[/)

  const answer = await exported('format=docx')
  assert.equal(answer.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
  assert.match(answer.headers.get('content-disposition'), /filename="wgigf\.docx"/)
  const bytes = Buffer.from(await answer.arrayBuffer())
  const word = readDocx(t, bytes)
  const styled = style => word.paragraphs.filter(p => p.style === style).map(p => p.text)
  assert.deepEqual(styled('Title'), ['Report of the Working Group'])
  assert.deepEqual(styled('Heading 1'), ['A. Shaping the outcomes of IGF meetings', 'B. Working modalities including open consultations, MAG and Secretariat', 'C. Funding of the IGF', 'D. Broadening participation', 'E. Linking the IGF to other related processes/mechanisms/bodies'])
  assert.deepEqual(styled('Heading 2'), ['1 Messages from each annual meeting', '2 Transparent selection of MAG members', '3 Stable and predictable funding', '4 Participation from developing countries', '5 Links with related processes'])
  assert.deepEqual(styled('Heading 3'), ['Alternative recommendation 1: Voluntary contributions only'])
  assert.ok(styled('Recommendation Text').some(text => text.startsWith('The IGF should be funded in a stable')))
  assert.ok(styled('Alternative Text').some(text => text.startsWith('The IGF should continue to be funded')))
  assert.ok(styled('Standing').includes('Proposed by Senegal.'))
  assert.ok(styled('Standing').some(text => text.startsWith('Supported by 4 delegations')))
  assert.ok(styled('Field').some(text => text.startsWith('Responsible body: ')))
  const bracket = word.paragraphs.flatMap(p => p.runs).find(run => run.style === 'Bracketed')
  assert.equal(bracket?.text, '[setting out areas of convergence and divergence]')
  assert.deepEqual(word.header, ['E/CN.16/2012/CRP.2'])
  assert.deepEqual(word.page.map(Math.round), [210, 297], 'A4')
  assert.equal(word.title, 'Report of the Working Group')
  assert.ok(!JSON.stringify(word).includes('demo-'), 'no user id')
  // LibreOffice opens it and lays it out as pages.
  const pages = convertedByLibreOffice(t, bytes)
  assert.ok(pages.length >= 2, `${pages.length} pages`)
  assert.match(pages[0], /Report of the Working Group/)
  assert.match(pages.join('\n'), /Alternative recommendation 1: Voluntary contributions only/)

  // A version's Word document is the same bytes every time.
  const version = (await api(server, 'POST', `/api/spaces/${SPACE}/versions`, chair, { name: 'Sent to the CSTD' })).json
  const first = Buffer.from(await (await exported(`format=docx&version=${version.id}`)).arrayBuffer())
  const second = Buffer.from(await (await exported(`format=docx&version=${version.id}`)).arrayBuffer())
  assert.ok(first.equals(second), 'byte-identical')
})

test('the HTML report prints from the browser as A4 pages headed by the symbol and numbered, with no app around it', async t => {
  const server = await demoServer(t)
  const chair = token(SPACE, 'demo-chair', 'chair')
  assert.equal((await api(server, 'PUT', `/api/spaces/${SPACE}/report`, chair, { symbol: 'E/CN.16/2012/CRP.2' })).status, 200)
  const html = (await api(server, 'GET', `/api/spaces/${SPACE}/export?format=html`, chair)).text
  const instance = await browser(t)
  const page = await instance.newPage()
  await page.setContent(html)
  const dir = tempDir(t)
  const pdf = join(dir, 'report.pdf')
  await page.pdf({ path: pdf, preferCSSPageSize: true })
  const info = execFileSync('pdfinfo', [pdf]).toString()
  assert.match(info, /Page size: +59[45](\.\d+)? x 841(\.\d+)? pts \(A4\)/)
  const pages = execFileSync('pdftotext', ['-layout', pdf, '-']).toString().split('\f').filter(p => p.trim() !== '')
  assert.ok(pages.length >= 2, `${pages.length} pages`)
  pages.forEach((text, i) => {
    assert.match(text, /E\/CN\.16\/2012\/CRP\.2/, `page ${i + 1} is headed by the symbol`)
    assert.match(text, new RegExp(`\\n\\s*${i + 1}\\s*$`), `page ${i + 1} is numbered at its foot`)
  })
  // The title may wrap, as the fonts at hand set it.
  assert.match(pages[0], /Working Group on Improvements to\s+the IGF/, 'the space names it when the header gives no title')
  assert.doesNotMatch(pages.join(''), /Signed in as|Proposals inbox|Export:/, 'no app around it')
})

test('a named version exports the same bytes on every node of one Redis, in every format', async t => {
  const redis = await startRedis(t)
  await redis.start()
  const a = await startServer(t, { store: redis.url, args: ['--demo'] })
  const b = await startServer(t, { store: redis.url })
  const chair = token(SPACE, 'demo-chair', 'chair')
  const version = (await api(a, 'POST', `/api/spaces/${SPACE}/versions`, chair, { name: 'Sent to the CSTD' })).json
  // Edits after it, on one node, change nothing of what it exports.
  const editor = client(t, a, SPACE, 'r/c-1', token(SPACE, 'demo-member', 'member'))
  await synced(editor)
  editor.text.insert(0, 'Later: ')
  const bytes = async (node, format) => Buffer.from(await (await fetch(`${node.http}/api/spaces/${SPACE}/export?format=${format}&version=${version.id}&annex=true`, { headers: { authorization: `Bearer ${chair}` } })).arrayBuffer())
  for (const format of ['docx', 'akn', 'md', 'html']) {
    const [onA, onB] = [await bytes(a, format), await bytes(b, format)]
    assert.ok(onA.length > 0 && onA.equals(onB), `${format}: the same bytes on both nodes`)
    assert.ok(onA.equals(await bytes(b, format)), `${format}: and on every call`)
  }
})
