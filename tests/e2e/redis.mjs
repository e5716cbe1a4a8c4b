// Real redis-server processes (and a Redis Cluster) for the end-to-end tests.
import { spawn, execFileSync } from 'node:child_process'
import net from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from './harness.mjs'

function canBind (port) {
  return new Promise(resolve => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

export async function freePort ({ withBus = false } = {}) {
  for (;;) {
    const port = await new Promise(resolve => {
      const server = net.createServer()
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address()
        server.close(() => resolve(port))
      })
    })
    if (!withBus || (port + 10000 < 65536 && await canBind(port + 10000))) return port
  }
}

function ping (port) {
  try {
    return execFileSync('redis-cli', ['-p', String(port), 'PING'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().includes('PONG')
  } catch { return false }
}

export function redisCli (port, ...args) {
  return execFileSync('redis-cli', ['-p', String(port), ...args]).toString().trim()
}

/**
 * Starts redis-server on a free port; killed when the test ends.
 * `durable`: appendonly yes + appendfsync always.
 */
export async function startRedis (t, { durable = true, policy = 'noeviction', cluster = false, port } = {}) {
  port = port || await freePort({ withBus: cluster })
  const dir = mkdtempSync(join(tmpdir(), 'draftroom-redis-'))
  let proc = null
  const redis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start () {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir,
        '--maxmemory-policy', policy, '--appendonly', durable ? 'yes' : 'no']
      if (durable) args.push('--appendfsync', 'always')
      if (cluster) args.push('--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000')
      proc = spawn('redis-server', args, { stdio: 'ignore' })
      await waitFor(`redis on ${port}`, () => ping(port))
    },
    async kill () {
      if (!proc) return
      const exited = new Promise(resolve => proc.once('exit', resolve))
      proc.kill('SIGKILL')
      await exited
      proc = null
    },
    async restart () { await redis.kill(); await redis.start() }
  }
  t.after(async () => { await redis.kill(); rmSync(dir, { recursive: true, force: true }) })
  return redis
}

/** A Redis Cluster of three masters. */
export async function startCluster (t) {
  const nodes = []
  for (let i = 0; i < 3; i++) {
    const node = await startRedis(t, { cluster: true })
    await node.start()
    nodes.push(node)
  }
  execFileSync('redis-cli', ['--cluster', 'create', ...nodes.map(n => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'ignore' })
  for (const node of nodes) {
    await waitFor('cluster state ok', () => redisCli(node.port, 'CLUSTER', 'INFO').includes('cluster_state:ok'), 20000)
  }
  return { nodes, url: `redis+cluster://${nodes.map(n => `127.0.0.1:${n.port}`).join(',')}` }
}
