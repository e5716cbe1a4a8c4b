// Comparing two versions part by part (fields, alternatives, status,
// consensus, support, not only the majority text), through the API, in
// the app, and as a report of changes exported like any other (Word with
// tracked changes, HTML, Markdown, Akoma Ntoso). Real servers, stock Yjs
// clients, python-docx, and a browser.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { validateAkn } from './akn.mjs'
import { docxXml, readDocx } from './docx.mjs'
import { api, client, synced, token } from './harness.mjs'
import { SHOTS, browser, demoServer, signedIn } from './browser.mjs'
import { DOCS, FIELDS, ROOT } from '../../web/src/schema.js'

const SPACE = 'wgigf'
const field = key => FIELDS.find(f => f.key === key).key

/** Names a version of the space between the 4th and the 5th meeting's work: what moved. */
async function twoMeetings (t, server) {
  const [vic, chair, olga] = [token(SPACE, 'demo-vice-chair', 'vice-chair'), token(SPACE, 'demo-chair', 'chair'), token(SPACE, 'olga', 'observer')]
  const fourth = (await api(server, 'POST', `/api/spaces/${SPACE}/versions`, vic, { name: 'After the 4th meeting' })).json
  // The 5th meeting: words in the majority text and a field, a new
  // alternative, a delegation's support moved, the status and consensus.
  const editor = client(t, server, SPACE, 'r/c-1', token(SPACE, 'demo-member', 'member'))
  await synced(editor)
  editor.text.insert(editor.text.length, ' Pledges are announced a year ahead.')
  editor.ydoc.getText(field('implementation')).insert(0, 'Through multi-year pledges.')
  const added = await api(server, 'POST', `/api/spaces/${SPACE}/recommendations/c-1/alternatives`, token(SPACE, 'demo-india', 'member'), { label: 'Pooled fund', text: 'One pooled fund, open to all.' })
  assert.equal(added.status, 201, added.text)
  assert.equal((await api(server, 'POST', `/api/spaces/${SPACE}/recommendations/c-1/support`, token(SPACE, 'demo-sweden', 'member'), { for: 'majority' })).status, 200)
  assert.equal((await api(server, 'PUT', `/api/spaces/${SPACE}/recommendations/c-1/status`, chair, { status: 'agreed', consensus: 'consensus' })).status, 200)
  for (const start = Date.now(); ;) {
    const rec = (await api(server, 'GET', `/api/spaces/${SPACE}/recommendations/c-1`, olga)).json
    if (rec.text.endsWith('a year ahead.') && rec.fields.implementation !== '') break
    assert.ok(Date.now() - start < 10000, 'the edits reach the server')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  const fifth = (await api(server, 'POST', `/api/spaces/${SPACE}/versions`, vic, { name: 'After the 5th meeting' })).json
  return { fourth, fifth, added: added.json.id, olga }
}

test('a comparison of two versions says what changed in every part, and a report of the changes exports in every format', async t => {
  const server = await demoServer(t)
  const { fourth, fifth, added, olga } = await twoMeetings(t, server)

  const diff = (await api(server, 'GET', `/api/spaces/${SPACE}/diff?from=${fourth.id}&to=${fifth.id}`, olga)).json
  assert.equal(diff.diffs.length, 5)
  const moved = diff.diffs.filter(d => d.parts.presence !== 'kept' || d.runs.some(r => r.op !== 'equal') || d.parts.status || d.parts.fields.length > 0 || d.parts.alternatives.length > 0 || d.parts.support)
  assert.deepEqual(moved.map(d => d.recommendation), ['c-1'], 'only C.1 moved')
  const parts = moved[0].parts
  assert.deepEqual(parts.status, { from: 'bracketed', to: 'agreed' })
  assert.deepEqual(parts.consensus, { from: 'divergence', to: 'consensus' })
  assert.ok(parts.text.some(run => run.op === 'insert' && run.text.includes('announced a year ahead')))
  assert.deepEqual(parts.fields.map(f => [f.field, f.runs.filter(r => r.op === 'insert').map(r => r.text).join('')]), [['implementation', 'Through multi-year pledges.']])
  assert.deepEqual(parts.alternatives.map(a => [a.id, a.presence, a.proponents.to]), [[added, 'added', ['demo-india']]])
  assert.ok(parts.support.to.majority.includes('demo-sweden') && !parts.support.from.majority.includes('demo-sweden'))
  // A text against a text is still compared word by word, without parts.
  const alone = (await api(server, 'GET', `/api/spaces/${SPACE}/diff?from=alt:c-1:alt-voluntary&to=live:c-1`, olga)).json
  assert.equal(alone.diffs[0].parts, undefined)

  const exported = async (format, query = '') => {
    const answer = await fetch(`${server.http}/api/spaces/${SPACE}/export?format=${format}&since=${fourth.id}${query}`, { headers: { authorization: `Bearer ${olga}` } })
    assert.equal(answer.status, 200)
    return answer
  }
  const md = await (await exported('md', `&version=${fifth.id}`)).text()
  assert.match(md, /# Changes from “After the 4th meeting” to “After the 5th meeting”/)
  assert.match(md, /### C\.1 Stable and predictable funding/)
  assert.match(md, /\*Status: bracketed → agreed\.\*/)
  assert.match(md, /\*Consensus: divergence → consensus\.\*/)
  assert.match(md, /\*Support for the recommendation: 4 delegations \(Brazil, India, Portugal, Private sector\) → 5 delegations \(Brazil, India, Portugal, Private sector, Sweden\)\.\*/)
  assert.match(md, /<ins> Pledges are announced a year ahead\.<\/ins>/)
  assert.match(md, /\*\*Implementation:\*\* <ins>Through multi-year pledges\.<\/ins>/)
  assert.match(md, /\*Support for the alternative “Voluntary contributions only”: 3 delegations \(Civil society, Senegal, Sweden\) → 2 delegations \(Civil society, Senegal\)\.\*/)
  assert.match(md, /#### Alternative recommendation “Pooled fund” \(new\)/)
  assert.match(md, /\*Proposed by nobody → India\.\*/)
  assert.doesNotMatch(md, /Messages from each annual meeting/, 'what did not change is left out')
  assert.doesNotMatch(md, /demo-/)
  // Since the 4th meeting to now: the same, and what moves later with it.
  assert.match(await (await exported('md')).text(), /to “now”/)

  validateAkn(t, await (await exported('akn', `&version=${fifth.id}`)).text())
  const html = await (await exported('html', `&version=${fifth.id}`)).text()
  assert.match(html, /<ins> Pledges are announced a year ahead\.<\/ins>/)

  const bytes = Buffer.from(await (await exported('docx', `&version=${fifth.id}`)).arrayBuffer())
  const word = readDocx(t, bytes)
  assert.deepEqual(word.paragraphs.filter(p => p.style === 'Title').map(p => p.text), ['Changes from “After the 4th meeting” to “After the 5th meeting”'])
  assert.deepEqual(word.paragraphs.filter(p => p.style === 'Heading 2').map(p => p.text), ['C.1 Stable and predictable funding'])
  // Insertions and deletions are Word's tracked changes, for the
  // secretariat to accept or reject.
  const xml = docxXml(t, bytes)
  assert.match(xml, /<w:ins w:id="\d+" w:author="Draftroom"><w:r><w:t xml:space="preserve"> Pledges are announced a year ahead\.<\/w:t><\/w:r><\/w:ins>/)
})

test('the app compares two versions part by part and links the report of the changes', async t => {
  const server = await demoServer(t)
  const { fourth, fifth, added } = await twoMeetings(t, server)
  const instance = await browser(t)
  const { page, errors } = await signedIn(t, instance, server, `/s/${SPACE}/${DOCS.versions}`, 'olga', 'observer')
  await page.getByRole('combobox', { name: 'Compare' }).selectOption(fourth.id)
  await page.getByRole('combobox', { name: 'with' }).selectOption(fifth.id)
  await page.getByRole('button', { name: 'Compare' }).click()
  await page.getByText('1 of 5 recommendations changed.').waitFor()
  const section = page.locator('section[data-recommendation="c-1"]')
  await section.locator('[data-part="status"]', { hasText: 'Status: bracketed → agreed' }).waitFor()
  await section.locator('[data-part="consensus"]', { hasText: 'divergence → consensus' }).waitFor()
  await section.locator('[data-part="support"]', { hasText: 'Support for the recommendation: 4 → 5; joined: Sofia Lindqvist (Sweden)' }).waitFor()
  await section.locator('[data-part="support"]', { hasText: 'Support for the alternative “Voluntary contributions only”: 3 → 2; left: Sofia Lindqvist (Sweden)' }).waitFor()
  await section.locator('[data-part="field-implementation"] ins', { hasText: 'Through multi-year pledges.' }).waitFor()
  await section.locator(`[data-part="alternative-${added}"]`, { hasText: 'Alternative “Pooled fund” (new)' }).waitFor()
  await section.locator(`[data-part="alternative-${added}"]`, { hasText: 'Proposed by nobody → Rahul Mehta (India)' }).waitFor()
  const hrefs = await page.locator('nav[aria-label="Export the changes"] a').evaluateAll(links => links.map(link => link.getAttribute('href')))
  assert.equal(hrefs.length, 4)
  assert.ok(hrefs.every(href => href.includes(`since=${fourth.id}`) && href.includes(`version=${fifth.id}`)), hrefs.join(' '))
  const md = await page.evaluate(async href => await (await fetch(href)).text(), hrefs.find(href => href.includes('format=md')))
  assert.match(md, /Status: bracketed → agreed/)
  await page.screenshot({ path: resolve(SHOTS, 'versions-compared.png'), fullPage: true })
  assert.deepEqual(errors, [])
})

