// The web app in a real browser: Debian's chromium, driven by
// playwright-core, against a real `draftroom serve` with the demo space.
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { api, startServer, tempDir, token } from './harness.mjs'
import { MAJORITY, STATUSES, recommendationDoc } from '../../web/src/schema.js'

const here = dirname(fileURLToPath(import.meta.url))
/** The built web app. */
export const WEB = resolve(here, '../../web/dist')
/** Where tests leave their screenshots. */
export const SHOTS = resolve(here, '../artifacts')
mkdirSync(SHOTS, { recursive: true })

/** A headless chromium; closed when the test ends. */
export async function browser (t) {
  const instance = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  t.after(() => instance.close())
  return instance
}

/**
 * A server with the demo space and the web app, on a store of its own
 * (or on `again`'s store and address, to bring a stopped one back).
 */
export async function demoServer (t, args = [], again = undefined) {
  return await startServer(t, {
    store: again?.store ?? tempDir(t),
    listen: again?.addr,
    args: ['--demo', '--web', WEB, ...args]
  })
}

/** A page signed in as `user` with `role`, its console errors collected. */
export async function signedIn (t, instance, server, path, user, role, viewport = { width: 1280, height: 900 }) {
  return await opened(instance, `${server.http}${path}?token=${token('wgigf', user, role)}`, viewport)
}

/** A page at `url` in a context of its own, its console errors collected. */
export async function opened (instance, url, viewport = { width: 1280, height: 900 }) {
  const context = await instance.newContext({ viewport })
  const page = await context.newPage()
  const errors = []
  page.on('console', message => { if (message.type() === 'error') errors.push(message.text()) })
  page.on('pageerror', error => errors.push(String(error)))
  await page.goto(url)
  return { page, errors }
}

/** C.1's page, the demo's recommendation with an alternative. */
export const C1 = `/s/wgigf/${recommendationDoc('c-1')}`
export const MAJORITY_TEXT = `[data-column="${MAJORITY}"] .cm-content`
/** The last status: adopting freezes the text. */
export const ADOPTED = STATUSES.at(-1)
export const majority = page => page.locator(MAJORITY_TEXT)

/**
 * Clears every bracket of `id` (keeping its text), for a test about
 * adopted text: a bracket open would rightly hold adoption back.
 */
export async function clearBrackets (server, id = 'c-1') {
  const route = `/api/spaces/wgigf/recommendations/${id}/brackets`
  const vice = token('wgigf', 'vic', 'vice-chair')
  const { brackets } = (await api(server, 'GET', route, vice)).json
  for (const bracket of brackets.filter(b => b.state !== 'cleared')) {
    const cleared = await api(server, 'PATCH', `${route}/${bracket.id}`, vice, { state: 'cleared', keep: 0 })
    if (cleared.status !== 200) throw new Error(`bracket not cleared: ${cleared.text}`)
  }
}
