// Akoma Ntoso exports checked against the schema kept in tests/schemas/akn/.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tempDir } from './harness.mjs'

const SCHEMA = resolve(dirname(fileURLToPath(import.meta.url)), '../schemas/akn/akomantoso30.xsd')

/** Validates an Akoma Ntoso export and checks every alternativeTo names an eId. */
export function validateAkn (t, xml) {
  const file = join(tempDir(t), 'export.akn.xml')
  writeFileSync(file, xml)
  execFileSync('xmllint', ['--noout', '--schema', SCHEMA, file], { stdio: 'pipe' })
  const eids = new Set([...xml.matchAll(/\beId="([^"]+)"/g)].map(m => m[1]))
  const targets = [...xml.matchAll(/\balternativeTo="([^"]+)"/g)].map(m => m[1])
  for (const target of targets) assert.ok(eids.has(target.replace(/^#/, '')), `alternativeTo ${target} names an eId`)
  return { eids, targets }
}
