// Starts real draftroom servers and connects real Yjs clients to them.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { ROOT } from '../../web/src/schema.js'

const here = dirname(fileURLToPath(import.meta.url))
export const BIN = process.env.DRAFTROOM_BIN || resolve(here, '../../target/release/draftroom')
export const SECRET = 'e2e-secret-0123456789abcdef'

export function tempDir (t) {
  const dir = mkdtempSync(join(tmpdir(), 'draftroom-e2e-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/**
 * Starts `draftroom serve` on a free port (or on `listen`, to come back
 * where a stopped server was); stopped when the test ends.
 */
export async function startServer (t, { store, listen = '127.0.0.1:0', args = [], env = {} }) {
  const proc = spawn(BIN, ['serve', '--listen', listen, '--store', store, '--secret', SECRET, ...args], {
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  let stdout = ''
  proc.stderr.on('data', chunk => { stderr += chunk })
  proc.stdout.on('data', chunk => { stdout += chunk })
  const exited = new Promise(resolve => proc.on('exit', (code, signal) => resolve({ code, signal })))
  const addr = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 10000)
    proc.stdout.on('data', () => {
      const match = stdout.match(/listening on http:\/\/(\S+)/)
      if (match) { clearTimeout(timer); resolve(match[1]) }
    })
    proc.on('exit', code => { clearTimeout(timer); reject(new Error(`server exited with ${code}: ${stderr}`)) })
  })
  const server = {
    addr,
    store,
    http: `http://${addr}`,
    ws: `ws://${addr}/ws`,
    proc,
    exited,
    stderr: () => stderr,
    stdout: () => stdout,
    async kill (signal = 'SIGKILL') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
      return exited
    }
  }
  t.after(() => server.kill())
  return server
}

/** A started server's resident memory, in bytes (Linux). */
export function rss (server) {
  const status = readFileSync(`/proc/${server.proc.pid}/status`, 'utf8')
  return Number(status.match(/VmRSS:\s+(\d+) kB/)[1]) * 1024
}

export function token (space, user, role, ttl = '1h') {
  return execFileSync(BIN, ['token', '--secret', SECRET, '--space', space, '--user', user, '--role', role, '--ttl', ttl]).toString().trim()
}

/** A stock y-websocket client on `space/doc`; destroyed when the test ends. */
export function client (t, server, space, doc, tok, options = {}) {
  const ydoc = new Y.Doc()
  const provider = new WebsocketProvider(`${server.ws}/${space}`, doc, ydoc, {
    params: { token: tok },
    WebSocketPolyfill: WebSocket,
    disableBc: true,
    ...options
  })
  t.after(() => { provider.destroy(); ydoc.destroy() })
  return { ydoc, provider, text: ydoc.getText(ROOT.text) }
}

/**
 * Resolves once the client holds the server's state; fails at once if the
 * server refuses it for good (a 44xx close), which stock clients never
 * retry, rather than waiting forever.
 */
export function synced (c) {
  if (c.provider.synced) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const refused = event => {
      if (event?.code >= 4400 && event.code < 4500) reject(new Error(`refused with ${event.code}: ${event.reason}`))
    }
    c.provider.on('connection-close', refused)
    c.provider.once('sync', isSynced => {
      c.provider.off('connection-close', refused)
      if (isSynced) resolve()
    })
  })
}

export async function waitFor (what, predicate, timeout = 10000) {
  const start = Date.now()
  while (!predicate()) {
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/** Opens a raw websocket and resolves with how the server answered. */
export function rawConnect (url) {
  return new Promise(resolve => {
    const ws = new WebSocket(url)
    ws.on('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', chunk => { body += chunk })
      res.on('end', () => resolve({ status: res.statusCode, body }))
    })
    ws.on('open', () => { ws.close(); resolve({ status: 101 }) })
    ws.on('error', error => resolve({ error }))
  })
}

/**
 * Opens a websocket and resolves with how the server closed it: its close
 * code and reason, or `{ code: null }` when it is still open after `wait` ms
 * (then this side closes it).
 */
export function closeOf (url, wait = 1500) {
  return new Promise(resolve => {
    const ws = new WebSocket(url)
    const timer = setTimeout(() => { ws.close(); resolve({ code: null }) }, wait)
    ws.on('close', (code, reason) => { clearTimeout(timer); resolve({ code, reason: reason.toString() }) })
    ws.on('unexpected-response', (_req, res) => { clearTimeout(timer); resolve({ status: res.statusCode }) })
    ws.on('error', () => {})
  })
}

/** Calls the HTTP API; resolves with the status and the parsed body. */
export async function api (server, method, path, tok, body) {
  const headers = {}
  if (tok) headers.authorization = `Bearer ${tok}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${server.http}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  let json = null
  try { json = JSON.parse(text) } catch {}
  return { status: res.status, json, text, headers: res.headers }
}
