// Draftroom's web app: a space's dashboard and a recommendation's page,
// both live. Signing in is the token link `draftroom serve` prints: the
// server keeps the token in a cookie, which the websocket and API use.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { EditorState } from '@codemirror/state'
import { EditorView, keymap, placeholder } from '@codemirror/view'
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands'
import { yCollab } from 'y-codemirror.next'
import './style.css'

interface Me { space: string, user: string, role: 'chair' | 'vice-chair' | 'member' | 'observer' }
interface Summary { id: string, doc: string, topic: string, number: number, title: string, status: string, consensus: string | null, alternatives: number, open_brackets: number, stale_alternatives: number }

const app = document.getElementById('app') as HTMLElement
const FIELDS: [string, string][] = [
  ['tasks', 'Tasks'], ['implementation', 'Implementation'], ['responsible', 'Responsible body'],
  ['timeline', 'Timeline'], ['monitoring', 'Monitoring and evaluation']
]
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2']

function el<K extends keyof HTMLElementTagNameMap> (tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value)
  node.append(...children)
  return node
}

async function getJson<T> (path: string): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin' })
  const body = await res.json()
  if (!res.ok) throw new Error(body?.error?.message ?? res.statusText)
  return body as T
}

function wsBase (space: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${location.host}/ws/${encodeURIComponent(space)}`
}

function colorOf (user: string): string {
  let hash = 0
  for (const c of user) hash = (hash * 31 + c.charCodeAt(0)) >>> 0
  return COLORS[hash % COLORS.length]
}

function connect (me: Me, doc: string): { ydoc: Y.Doc, provider: WebsocketProvider } {
  const ydoc = new Y.Doc()
  const provider = new WebsocketProvider(wsBase(me.space), doc, ydoc, { disableBc: true })
  provider.awareness.setLocalStateField('user', { name: me.user, color: colorOf(me.user), colorLight: colorOf(me.user) + '33' })
  return { ydoc, provider }
}

function editor (ytext: Y.Text, provider: WebsocketProvider, editable: boolean, label: string): HTMLElement {
  const host = el('div', { class: 'editor' })
  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: ytext.toString(),
      extensions: [
        keymap.of([...defaultKeymap, ...historyKeymap]),
        history(),
        EditorView.lineWrapping,
        EditorState.readOnly.of(!editable),
        EditorView.editable.of(editable),
        EditorView.contentAttributes.of({ 'aria-label': label }),
        placeholder(editable ? 'Type here…' : '—'),
        yCollab(ytext, provider.awareness)
      ]
    })
  })
  host.dataset.ready = String(Boolean(view))
  return host
}

function header (me: Me, title: string, back?: string): HTMLElement {
  const who = el('span', { class: 'who' }, `${me.user} · ${me.role}`)
  const left = el('div', {}, ...(back ? [el('a', { href: back }, '← Dashboard')] : []), el('h1', {}, title))
  return el('header', { class: 'bar' }, left, who)
}

async function dashboard (me: Me): Promise<void> {
  const space = await getJson<{ title: string, topics: { letter: string, title: string }[] }>(`/api/spaces/${me.space}`)
  const { ydoc } = connect(me, 'index')
  const recs = ydoc.getMap<Summary>('recommendations')
  const body = el('div')
  app.replaceChildren(header(me, space.title), body)
  const render = (): void => {
    const all = [...recs.values()]
    body.replaceChildren(...space.topics.map(topic => {
      const rows = all.filter(r => r.topic === topic.letter).sort((a, b) => a.number - b.number)
      const table = el('table', {},
        el('thead', {}, el('tr', {}, ...['Recommendation', 'Status', 'Consensus', 'Alternatives', 'Open brackets', 'Stale'].map(h => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...rows.map(r => el('tr', { 'data-recommendation': r.id },
          el('td', {}, el('a', { href: `/s/${me.space}/r/${r.id}` }, `${r.topic}.${r.number} ${r.title}`)),
          el('td', {}, el('span', { class: `badge ${r.status}` }, r.status)),
          el('td', {}, r.consensus ?? '—'),
          el('td', {}, String(r.alternatives)),
          el('td', {}, String(r.open_brackets)),
          el('td', {}, String(r.stale_alternatives))
        ))))
      return el('section', {}, el('h2', {}, `${topic.letter}. ${topic.title}`), rows.length ? table : el('p', { class: 'who' }, 'No recommendations yet.'))
    }))
  }
  recs.observe(render)
  render()
}

async function recommendation (me: Me, id: string): Promise<void> {
  const { ydoc, provider } = connect(me, `r/${id}`)
  await new Promise<void>(resolve => provider.once('sync', () => resolve()))
  const meta = ydoc.getMap('meta')
  const status = String(meta.get('status') ?? 'draft')
  const editable = me.role !== 'observer' && status !== 'adopted'
  const parts: HTMLElement[] = [header(me, `${meta.get('topic')}.${meta.get('number')} ${meta.get('title')}`, `/s/${me.space}`)]
  const statusLine = el('p', { class: 'status-line' })
  const renderStatus = (): void => {
    statusLine.replaceChildren(el('span', { class: `badge ${meta.get('status')}` }, String(meta.get('status'))), `consensus: ${meta.get('consensus') ?? '—'}`)
  }
  meta.observe(renderStatus)
  renderStatus()
  parts.push(statusLine)
  if (!editable) {
    parts.push(el('p', { class: 'readonly-note', role: 'note' }, me.role === 'observer' ? 'You are watching as an observer: the text updates live, and you cannot change it.' : 'This recommendation is adopted: its text is frozen.'))
  }
  const columns = el('div', { class: 'columns' })
  const renderColumns = (): void => {
    const majority = el('section', { class: 'column majority', 'data-column': 'majority' },
      el('h3', {}, 'Majority text'), editor(ydoc.getText('text'), provider, editable, 'Majority text'))
    const alternatives = ydoc.getMap<Y.Map<unknown>>('alternatives')
    const alts = [...alternatives.entries()].map(([altId, alt]) => {
      const proponents = (alt.get('proponents') as Y.Array<string> | undefined)?.toArray() ?? []
      const stale = alt.get('based_on') !== ydoc.getText('text').toString()
      return el('section', { class: 'column alternative', 'data-column': altId },
        el('h3', {}, `Alternative: ${String(alt.get('label'))}`),
        el('p', { class: 'proponents' }, `Proponents: ${proponents.join(', ') || '—'}${stale ? ' · written against an earlier majority text' : ''}`),
        editor(alt.get('text') as Y.Text, provider, editable, `Alternative ${String(alt.get('label'))}`))
    })
    columns.replaceChildren(majority, ...alts)
  }
  ydoc.getMap('alternatives').observe(renderColumns)
  renderColumns()
  parts.push(columns)
  parts.push(el('h2', {}, 'Tasks, implementation and monitoring'))
  parts.push(el('div', { class: 'fields' }, ...FIELDS.map(([field, label]) =>
    el('div', {}, el('label', {}, label), editor(ydoc.getText(field), provider, editable, label)))))
  app.replaceChildren(...parts)
}

async function start (): Promise<void> {
  const match = location.pathname.match(/^\/s\/([^/]+)(?:\/r\/([^/]+))?\/?$/)
  if (!match) {
    app.replaceChildren(el('h1', {}, 'Draftroom'), el('p', {}, 'Open the sign-in link you were given (it looks like /s/SPACE?token=…).'))
    return
  }
  const [, space, rec] = match
  try {
    const me = await getJson<Me>(`/api/spaces/${space}/me`)
    if (rec) await recommendation(me, rec)
    else await dashboard(me)
  } catch (error) {
    app.replaceChildren(el('h1', {}, 'Draftroom'), el('p', { class: 'error', role: 'alert' }, String((error as Error).message)))
  }
}

void start()
