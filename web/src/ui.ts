// What every page shares: who is signed in, the server's JSON API, the
// page header with the space's navigation, and small DOM helpers.

export type Role = 'chair' | 'vice-chair' | 'member' | 'observer'
export interface Me { space: string, user: string, role: Role }
export interface Summary { id: string, doc: string, topic: string, number: number, title: string, status: string, consensus: string | null, alternatives: number, open_brackets: number, stale_alternatives: number }
export interface Topic { letter: string, title: string }
export interface Space { title: string, topics: Topic[], recommendations: Summary[] }
export interface Progress { open_brackets: number, alternatives: number }
export interface Version { id: string, name: string, recommendation?: string, recommendations: string[], open_brackets: number, alternatives: number, topics: Record<string, Progress>, created_by: string, created_at: string }

export const app = document.getElementById('app') as HTMLElement

export function el<K extends keyof HTMLElementTagNameMap> (tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value)
  node.append(...children)
  return node
}

export async function getJson<T> (path: string): Promise<T> {
  return await send<T>('GET', path)
}

/** Calls the API with the sign-in cookie; a refusal throws its reason. */
export async function send<T> (method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  const parsed = text !== '' ? JSON.parse(text) : null
  if (!res.ok) throw new Error(parsed?.error?.message ?? res.statusText)
  return parsed as T
}

export const canTriage = (me: Me): boolean => me.role === 'vice-chair' || me.role === 'chair'

export type Page = 'dashboard' | 'proposals' | 'versions' | 'people' | 'recommendation'

/** The page's header: its title, the space's pages, and who is signed in. */
export function header (me: Me, title: string, current: Page): HTMLElement {
  const pages: Array<[Page, string, string]> = [
    ['dashboard', 'Dashboard', ''],
    ['proposals', canTriage(me) ? 'Proposals inbox' : 'My proposals', '/proposals'],
    ['versions', 'Versions', '/versions']
  ]
  if (me.role === 'chair') pages.push(['people', 'People', '/people'])
  const nav = el('nav', { class: 'pages', 'aria-label': 'Space' }, ...pages.map(([page, label, path]) => {
    const link = el('a', { href: `/s/${me.space}${path}` }, label)
    if (page === current) link.setAttribute('aria-current', 'page')
    return link
  }))
  return el('header', { class: 'bar' }, el('div', {}, nav, el('h1', {}, title)), el('span', { class: 'who' }, `${me.user} · ${me.role}`))
}

export function exportLinks (space: string): HTMLElement {
  const link = (format: string, label: string): HTMLElement =>
    el('a', { href: `/api/spaces/${space}/export?format=${format}`, download: '', class: 'button' }, label)
  return el('nav', { class: 'exports', 'aria-label': 'Export' }, 'Export: ', link('akn', 'Akoma Ntoso'), ' ', link('html', 'HTML'), ' ', link('md', 'Markdown'))
}

export function select (name: string, options: Array<[string, string]>, label = name): HTMLSelectElement {
  return el('select', { name, 'aria-label': label }, ...options.map(([value, text]) => el('option', { value }, text)))
}

export function button (label: string, action: string, onClick: () => void): HTMLButtonElement {
  const node = el('button', { type: 'button', 'data-action': action }, label)
  node.addEventListener('click', onClick)
  return node
}

/** A status line for the outcome of an action, said to screen readers too. */
export function outcome (): { node: HTMLElement, run: (work: () => Promise<void>) => Promise<void> } {
  const node = el('p', { role: 'status', class: 'who' })
  return {
    node,
    run: async work => {
      try {
        await work()
        node.textContent = 'Done.'
        node.classList.remove('error')
      } catch (error) {
        node.textContent = (error as Error).message
        node.classList.add('error')
      }
    }
  }
}

export function when (iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

/** Shows in `box` the server's word diff between two named texts. */
export async function showDiff (box: HTMLElement, space: string, from: string, to: string): Promise<void> {
  const res = await fetch(`/api/spaces/${space}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&format=html`, { credentials: 'same-origin' })
  box.innerHTML = await res.text()
  box.hidden = false
}

interface Run { op: 'equal' | 'delete' | 'insert', text: string }
export interface Diff { recommendation: string, runs: Run[] }

/** Word runs as marked-up text: deletions struck, insertions underlined. */
export function diffNode (runs: Run[]): HTMLElement {
  return el('p', {}, ...runs.map(run =>
    run.op === 'equal' ? document.createTextNode(run.text) : el(run.op === 'delete' ? 'del' : 'ins', {}, run.text)))
}
