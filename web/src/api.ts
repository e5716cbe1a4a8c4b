// The server's HTTP API: its routes, the shapes it answers with, and the
// one way the app calls it. Calls carry the sign-in cookie; a refusal
// becomes an Error whose message is the server's reason, ready to show.
import type { ConsensusLevel, ExportFormat, MergeKind, ProposalStatus, Role, Status } from './schema'

export interface Me { space: string, user: string, role: Role }
export interface Topic { letter: string, title: string }
export interface Summary { id: string, doc: string, topic: string, number: number, title: string, status: Status, consensus: ConsensusLevel | null, alternatives: number, open_brackets: number, stale_alternatives: number }
export interface Space { title: string, topics: Topic[], recommendations: Summary[] }
export interface Progress { open_brackets: number, alternatives: number }
export interface Version { id: string, name: string, recommendation?: string, recommendations: string[], open_brackets: number, alternatives: number, topics: Record<string, Progress>, created_by: string, created_at: string }
/** A step in a proposal's life: who moved it to `status`, when, and why (a rejection's reason). */
export interface ProposalStep { status: ProposalStatus, by: string, at: string, note?: string }
export interface Merge { recommendation: string, as: MergeKind, by: string, at: string }
export interface Proposal { id: string, title: string, text?: string, topic?: string, branch_of?: string, doc?: string, author: string, status: ProposalStatus, history: ProposalStep[], merged_into: Merge[] }
export interface Link { user: string, role: Role, expires_at: number, path: string }
export interface AuditEntry { entry: { at: string, actor: string, action: string, details: { user?: string, role?: Role, expires_at?: number } } }
export interface Run { op: 'equal' | 'delete' | 'insert', text: string }
export interface Diff { recommendation: string, runs: Run[] }
/** How people refer to a recommendation: its number, then its title ("C.1 Stable funding"). */
export const recommendationName = (r: Pick<Summary, 'topic' | 'number' | 'title'>): string => `${r.topic}.${r.number} ${r.title}`
/** What may be done to a proposal, each at a route of its own. */
export type ProposalAction = 'categorize' | 'merge' | 'reject' | 'withdraw'

const spaceRoute = (space: string): string => `/api/spaces/${encodeURIComponent(space)}`
const recommendationRoute = (space: string, id: string): string => `${spaceRoute(space)}/recommendations/${encodeURIComponent(id)}`
const proposalRoute = (space: string, id: string): string => `${spaceRoute(space)}/proposals/${encodeURIComponent(id)}`

/** The API's routes, as the README documents them. */
export const routes = {
  space: spaceRoute,
  me: (space: string) => `${spaceRoute(space)}/me`,
  status: (space: string, id: string) => `${recommendationRoute(space, id)}/status`,
  support: (space: string, id: string) => `${recommendationRoute(space, id)}/support`,
  proposals: (space: string) => `${spaceRoute(space)}/proposals`,
  proposalAction: (space: string, id: string, action: ProposalAction) => `${proposalRoute(space, id)}/${action}`,
  versions: (space: string) => `${spaceRoute(space)}/versions`,
  links: (space: string) => `${spaceRoute(space)}/links`,
  audit: (space: string) => `${spaceRoute(space)}/audit`,
  export: (space: string, format: ExportFormat) => `${spaceRoute(space)}/export?format=${format}`,
  diff: (space: string, from: string, to: string) => `${spaceRoute(space)}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`
}

/** The texts a diff compares, besides named versions (by their id). */
export const diffable = {
  everyLiveText: 'live',
  liveText: (recommendation: string) => `live:${recommendation}`,
  alternative: (recommendation: string, alternative: string) => `alt:${recommendation}:${alternative}`,
  branch: (proposal: string) => `proposal:${proposal}`
}

/** Calls the API; answers the response, or throws the server's reason for refusing. */
async function call (method: string, path: string, body?: unknown): Promise<Response> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  if (!res.ok) throw new Error(await reason(res))
  return res
}

/** The message of the server's `{ "error": { "code", "message" } }`, or a sentence of our own. */
async function reason (res: Response): Promise<string> {
  try {
    const message: unknown = (await res.json())?.error?.message
    if (typeof message === 'string' && message !== '') return message
  } catch {
    // Not the API's JSON (a proxy's page, say): say what happened instead.
  }
  return `The server refused (${res.status}${res.statusText !== '' ? ` ${res.statusText}` : ''}).`
}

export async function getJson<T> (path: string): Promise<T> {
  return await (await call('GET', path)).json() as T
}

/** Sends `body` as JSON; answers the parsed reply, if the server sent one. */
export async function send<T = unknown> (method: 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  const text = await (await call(method, path, body)).text()
  return (text !== '' ? JSON.parse(text) : undefined) as T
}

/** The message of anything thrown, for the page. */
export const messageOf = (error: unknown): string => error instanceof Error ? error.message : String(error)
