// The server's HTTP API: its routes, the shapes it answers with, and the
// one way the app calls it. Calls carry the sign-in cookie; a refusal
// becomes an Error whose message is the server's reason, ready to show, and
// so does a call that could not reach the server.
import { callAnswered, callFailed } from './reach'
import type { ConsensusLevel, ExportFormat, FieldKey, MergeKind, Numbering, ProposalStatus, Role, Status } from './schema'

/** Who is signed in: in which space, as whom (their id, and their name and delegation on the roster), and the live document they follow their proposals by (none for observers, who see none). */
export interface Me { space: string, user: string, name: string, delegation: string, role: Role, proposals_doc: string | null }
/** Someone on the space's roster: the id their links carry, their name, who they speak for, their role. */
export interface Person { user: string, name: string, delegation: string, role: Role }
/** What heads the space's report, as the chair sets it; `date` is YYYY-MM-DD or empty. */
export interface ReportHeader { body: string, symbol: string, session: string, date: string, title: string, distribution: string, numbering: Numbering }
export interface Topic { letter: string, title: string }
/** A recommendation as the index sums it up; `bracket_holders` are who hold its open brackets; `support` counts who supports the majority text (`majority`) and each alternative (by id). */
export interface Summary { id: string, doc: string, topic: string, number: number, title: string, status: Status, consensus: ConsensusLevel | null, alternatives: number, open_brackets: number, bracket_holders?: string[], open_comments?: number, pending_suggestions?: number, stale_alternatives: number, support?: Record<string, number> }
export interface Space { title: string, topics: Topic[], recommendations: Summary[], report: ReportHeader }
export interface Progress { open_brackets: number, alternatives: number }
export interface Version { id: string, name: string, recommendation?: string, recommendations: string[], open_brackets: number, alternatives: number, topics: Record<string, Progress>, created_by: string, created_at: string }
/** A step in a proposal's life: who moved it to `status`, when, and why (a rejection's reason). */
export interface ProposalStep { status: ProposalStatus, by: string, at: string, note?: string }
/** One change a merge makes (a hunk), to take or leave: `deleted` replaced by `inserted` at `at` (characters) of the text its id names (`text#0`, `tasks#1`…). */
export interface Hunk { id: string, at: number, deleted: string, inserted: string }
export interface Merge { recommendation: string, as: MergeKind, by: string, at: string, hunks?: Hunk[] }
export interface Proposal { id: string, title: string, text?: string, topic?: string, branch_of?: string, doc?: string, author: string, status: ProposalStatus, history: ProposalStep[], merged_into: Merge[] }
export interface Link { user: string, role: Role, expires_at: number, path: string }
/** Someone whose access was revoked: links issued to them until `at` (seconds since the epoch) no longer work. */
export interface Revoked { user: string, at: number }
export interface AuditEntry { entry: { at: string, actor: string, action: string, details: { user?: string, role?: Role, issued_at?: number, expires_at?: number } } }
export interface Run { op: 'equal' | 'delete' | 'insert', text: string }
/** A part's value before and after. */
export interface Change<T> { from: T, to: T }
/** Everything that changed in one recommendation between two states, part by part (when both sides hold whole recommendations). */
export interface Changes {
  presence: 'kept' | 'added' | 'removed'
  title?: Change<string>
  status?: Change<Status | null>
  consensus?: Change<ConsensusLevel | null>
  text: Run[]
  fields: Array<{ field: FieldKey, title: string, runs: Run[] }>
  alternatives: Array<{ id: string, label: string, presence: 'kept' | 'added' | 'removed', relabelled?: Change<string>, runs: Run[], proponents: Change<string[]> }>
  support?: Change<Record<string, string[]>>
  /** The label of every alternative either state holds, by id. */
  labels: Record<string, string>
}
export interface Diff { recommendation: string, runs: Run[], parts?: Changes }
/** What a merge would change: the majority text, and each structured field it changes; into a majority text, each change on its own. */
export interface MergePreview { recommendation: string | null, title: string, runs: Run[], fields: Array<{ field: FieldKey, title: string, runs: Run[] }>, hunks: Hunk[] }
/** How people refer to a recommendation: its number, then its title ("C.1 Stable funding"). */
export const recommendationName = (r: Pick<Summary, 'topic' | 'number' | 'title'>): string => `${r.topic}.${r.number} ${r.title}`
/** What may be done to a proposal, each at a route of its own. */
export type ProposalAction = 'categorize' | 'merge' | 'preview' | 'reject' | 'withdraw'

const spaceRoute = (space: string): string => `/api/spaces/${encodeURIComponent(space)}`
const recommendationRoute = (space: string, id: string): string => `${spaceRoute(space)}/recommendations/${encodeURIComponent(id)}`
const proposalRoute = (space: string, id: string): string => `${spaceRoute(space)}/proposals/${encodeURIComponent(id)}`

/** The API's routes, as the README documents them. */
export const routes = {
  space: spaceRoute,
  me: (space: string) => `${spaceRoute(space)}/me`,
  recommendations: (space: string) => `${spaceRoute(space)}/recommendations`,
  status: (space: string, id: string) => `${recommendationRoute(space, id)}/status`,
  alternatives: (space: string, id: string) => `${recommendationRoute(space, id)}/alternatives`,
  alternative: (space: string, id: string, alternative: string) => `${recommendationRoute(space, id)}/alternatives/${encodeURIComponent(alternative)}`,
  proponents: (space: string, id: string, alternative: string) => `${recommendationRoute(space, id)}/alternatives/${encodeURIComponent(alternative)}/proponents`,
  support: (space: string, id: string) => `${recommendationRoute(space, id)}/support`,
  comments: (space: string, id: string) => `${recommendationRoute(space, id)}/comments`,
  commentAction: (space: string, id: string, comment: string, action: 'replies' | 'resolve' | 'reopen') => `${recommendationRoute(space, id)}/comments/${encodeURIComponent(comment)}/${action}`,
  suggestions: (space: string, id: string) => `${recommendationRoute(space, id)}/suggestions`,
  suggestion: (space: string, id: string, suggestion: string, decision: 'accept' | 'reject' | 'withdraw') => `${recommendationRoute(space, id)}/suggestions/${encodeURIComponent(suggestion)}/${decision}`,
  suggestionsOf: (space: string, id: string, decision: 'accept' | 'reject') => `${recommendationRoute(space, id)}/suggestions/${decision}`,
  brackets: (space: string, id: string) => `${recommendationRoute(space, id)}/brackets`,
  bracket: (space: string, id: string, bracket: string) => `${recommendationRoute(space, id)}/brackets/${encodeURIComponent(bracket)}`,
  proposals: (space: string) => `${spaceRoute(space)}/proposals`,
  proposal: proposalRoute,
  proposalAction: (space: string, id: string, action: ProposalAction) => `${proposalRoute(space, id)}/${action}`,
  versions: (space: string) => `${spaceRoute(space)}/versions`,
  links: (space: string) => `${spaceRoute(space)}/links`,
  people: (space: string) => `${spaceRoute(space)}/people`,
  person: (space: string, user: string) => `${spaceRoute(space)}/people/${encodeURIComponent(user)}`,
  report: (space: string) => `${spaceRoute(space)}/report`,
  meetings: (space: string) => `${spaceRoute(space)}/meetings`,
  implementation: (space: string, id: string) => `${recommendationRoute(space, id)}/implementation`,
  lineage: (space: string, id: string) => `${recommendationRoute(space, id)}/lineage`,
  /** Every adopted recommendation with its implementation reports. */
  implementationList: (space: string) => `${spaceRoute(space)}/implementation`,
  implementationReport: (space: string, format: ExportFormat, asOf: string) => `${spaceRoute(space)}/implementation-report?format=${format}&as_of=${encodeURIComponent(asOf)}`,
  meetingAction: (space: string, meeting: string, action: 'reopen' | 'points' | 'summary') => `${spaceRoute(space)}/meetings/${encodeURIComponent(meeting)}/${action}`,
  summaryExport: (space: string, meeting: string, format: ExportFormat) => `${spaceRoute(space)}/meetings/${encodeURIComponent(meeting)}/summary?format=${format}`,
  revocations: (space: string) => `${spaceRoute(space)}/revocations`,
  session: (space: string) => `${spaceRoute(space)}/session`,
  audit: (space: string) => `${spaceRoute(space)}/audit`,
  export: (space: string, format: ExportFormat, { comments = false, annex = false, version, since }: { comments?: boolean, annex?: boolean, version?: string, since?: string } = {}) =>
    `${spaceRoute(space)}/export?format=${format}${comments ? '&comments=true' : ''}${annex ? '&annex=true' : ''}${version !== undefined ? `&version=${encodeURIComponent(version)}` : ''}${since !== undefined ? `&since=${encodeURIComponent(since)}` : ''}`,
  diff: (space: string, from: string, to: string) => `${spaceRoute(space)}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`
}

/** The texts a diff compares, besides named versions (by their id). */
export const diffable = {
  everyLiveText: 'live',
  liveText: (recommendation: string) => `live:${recommendation}`,
  alternative: (recommendation: string, alternative: string) => `alt:${recommendation}:${alternative}`,
  branch: (proposal: string) => `proposal:${proposal}`
}

/** A refusal of the API: the server's reason, and its stable code. */
export class Refused extends Error {
  constructor (message: string, readonly code: string | undefined) {
    super(message)
  }
}

/**
 * Calls the API; answers the response, or throws the server's reason for
 * refusing, or that it could not be reached (fetch's own "Failed to fetch"
 * tells nobody what happened).
 */
async function call (method: string, path: string, body?: unknown): Promise<Response> {
  let res: Response
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
  } catch {
    callFailed()
    throw new Error(method === 'GET'
      ? 'The server cannot be reached. Try again when it is back.'
      : 'The server cannot be reached: nothing was changed. Try again when it is back.')
  }
  callAnswered()
  if (!res.ok) throw await refusal(res)
  return res
}

/** The server's `{ "error": { "code", "message" } }`, or a sentence of our own. */
async function refusal (res: Response): Promise<Refused> {
  try {
    return refusalOf(await res.json())
  } catch {
    // Not the API's JSON (a proxy's page, say): say what happened instead.
    return new Refused(`The server refused (${res.status}${res.statusText !== '' ? ` ${res.statusText}` : ''}).`, undefined)
  }
}

/** The refusal an API error body states; throws if it states none. */
export function refusalOf (body: unknown): Refused {
  const error = (body as { error?: { code?: unknown, message?: unknown } } | null)?.error
  if (typeof error?.message !== 'string' || error.message === '') throw new Error('not an API error')
  return new Refused(error.message, typeof error.code === 'string' ? error.code : undefined)
}

export async function getJson<T> (path: string): Promise<T> {
  return await (await call('GET', path)).json() as T
}

/** Sends `body` as JSON; answers the parsed reply, if the server sent one. */
export async function send<T = unknown> (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const text = await (await call(method, path, body)).text()
  return (text !== '' ? JSON.parse(text) : undefined) as T
}

/** The message of anything thrown, for the page. */
export const messageOf = (error: unknown): string => error instanceof Error ? error.message : String(error)
