// Draftroom's web app: a space's dashboard and a recommendation's page,
// both live. Signing in is the token link `draftroom serve` prints: the
// server keeps the token in a cookie, which the websocket and API use.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { EditorState } from '@codemirror/state'
import { EditorView, keymap, placeholder } from '@codemirror/view'
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands'
import { yCollab } from 'y-codemirror.next'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
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
  return await send<T>('GET', path)
}

async function send<T> (method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  const parsed = text ? JSON.parse(text) : null
  if (!res.ok) throw new Error(parsed?.error?.message ?? res.statusText)
  return parsed as T
}

/**
 * Says "saved" only once the server has stored the local edits: after a
 * change, the page asks for the server's state (sync step 1), and the
 * server answers only after what it received before is stored.
 */
function saveIndicator (ydoc: Y.Doc, provider: WebsocketProvider): HTMLElement {
  const badge = el('span', { class: 'save', role: 'status', 'data-state': 'saved' }, 'saved')
  let asked = 0
  let answered = 0
  let changed = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const show = (state: string, text: string): void => { badge.dataset.state = state; badge.textContent = text }
  const ask = (): void => {
    const ws = provider.ws
    if (!ws || ws.readyState !== WebSocket.OPEN) { timer = setTimeout(ask, 500); return }
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 0)
    syncProtocol.writeSyncStep1(encoder, ydoc)
    asked = changed
    ws.send(encoding.toUint8Array(encoder))
  }
  // Each new socket (the provider reconnects) is listened to for the
  // server's answers (sync step 2).
  const listened = new WeakSet<WebSocket>()
  const listen = (): void => {
    const ws = provider.ws
    if (!ws || listened.has(ws)) return
    listened.add(ws)
    ws.addEventListener('message', (event: MessageEvent) => {
      const data = new Uint8Array(event.data as ArrayBuffer)
      if (data[0] === 0 && data[1] === 1 && asked > answered) {
        answered = asked
        if (answered === changed) show('saved', 'saved')
      }
    })
  }
  listen()
  provider.on('status', ({ status }: { status: string }) => {
    if (status === 'connected') {
      listen()
      if (changed > answered) ask()
    } else if (changed > answered) {
      show('offline', 'not saved: reconnecting…')
    }
  })
  ydoc.on('update', (_update: Uint8Array, origin: unknown) => {
    if (origin === provider) return
    changed += 1
    show('saving', 'saving…')
    clearTimeout(timer)
    timer = setTimeout(ask, 150)
  })
  return badge
}

function exportLinks (space: string): HTMLElement {
  const link = (format: string, label: string): HTMLElement =>
    el('a', { href: `/api/spaces/${space}/export?format=${format}`, download: '', class: 'button' }, label)
  return el('nav', { class: 'exports', 'aria-label': 'Export' }, 'Export: ', link('akn', 'Akoma Ntoso'), ' ', link('html', 'HTML'), ' ', link('md', 'Markdown'))
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

const STATUSES = ['draft', 'bracketed', 'agreed', 'adopted']
const CONSENSUS = ['full', 'consensus', 'strong-support', 'divergence']

/** The chair's controls: move the status, set the consensus level. */
function statusControls (me: Me, id: string, meta: Y.Map<unknown>): HTMLElement {
  const select = (name: string, options: string[], current: string): HTMLSelectElement => {
    const node = el('select', { name, 'aria-label': name }, ...options.map(o => el('option', { value: o }, o)))
    node.value = current
    return node
  }
  const status = select('status', STATUSES, String(meta.get('status') ?? 'draft'))
  const consensus = select('consensus', ['', ...CONSENSUS], String(meta.get('consensus') ?? ''))
  const apply = (): void => {
    void send('PUT', `/api/spaces/${me.space}/recommendations/${id}/status`, { status: status.value, consensus: consensus.value || undefined })
  }
  status.addEventListener('change', apply)
  consensus.addEventListener('change', apply)
  return el('span', { class: 'controls' }, status, consensus)
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
  const inbox = el('p', {}, el('a', { href: `/s/${me.space}/proposals` }, me.role === 'vice-chair' || me.role === 'chair' ? 'Proposals inbox' : 'My proposals'))
  app.replaceChildren(header(me, space.title), inbox, exportLinks(me.space), body)
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

/** A recommendation's page, or (with `branch`) a branch proposal's copy of it. */
async function recommendation (me: Me, id: string, branch?: string): Promise<void> {
  const { ydoc, provider } = connect(me, branch ? `p/${branch}` : `r/${id}`)
  await new Promise<void>(resolve => provider.once('sync', () => resolve()))
  const meta = ydoc.getMap('meta')
  const status = String(meta.get('status') ?? 'draft')
  const editable = me.role !== 'observer' && (branch !== undefined || status !== 'adopted')
  if (branch) id = String(meta.get('id'))
  const title = `${branch ? 'Branch of ' : ''}${String(meta.get('topic'))}.${String(meta.get('number'))} ${String(meta.get('title'))}`
  const parts: HTMLElement[] = [header(me, title, branch ? `/s/${me.space}/proposals` : `/s/${me.space}`)]
  const statusLine = el('div', { class: 'status-line' })
  const renderStatus = (): void => {
    const parts: (Node | string)[] = [el('span', { class: `badge ${String(meta.get('status'))}` }, String(meta.get('status'))), `consensus: ${String(meta.get('consensus') ?? '—')}`]
    if (me.role === 'chair' && !branch) parts.push(statusControls(me, id, meta))
    if (me.role !== 'observer') parts.push(saveBadge)
    statusLine.replaceChildren(...parts)
  }
  const saveBadge = saveIndicator(ydoc, provider)
  meta.observe(renderStatus)
  renderStatus()
  parts.push(statusLine)
  if (!editable) {
    parts.push(el('p', { class: 'readonly-note', role: 'note' }, me.role === 'observer' ? 'You are watching as an observer: the text updates live, and you cannot change it.' : 'This recommendation is adopted: its text is frozen.'))
  }
  const support = ydoc.getMap<string>('support')
  const supportButton = (choice: string): HTMLElement => {
    const count = [...support.values()].filter(v => v === choice).length
    const mine = support.get(me.user) === choice
    const button = el('button', { type: 'button', class: 'support', 'data-support': choice, 'aria-pressed': String(mine) }, `${mine ? 'Supported' : 'Support'} (${count})`)
    if (me.role === 'observer' || status === 'adopted' || branch) button.setAttribute('disabled', '')
    button.addEventListener('click', () => { void send('POST', `/api/spaces/${me.space}/recommendations/${id}/support`, { for: choice }) })
    return button
  }
  const columns = el('div', { class: 'columns' })
  const diffs = new Set<string>()
  const renderColumns = (): void => {
    const majority = el('section', { class: 'column majority', 'data-column': 'majority' },
      el('h3', {}, 'Majority text'), editor(ydoc.getText('text'), provider, editable, 'Majority text'), supportButton('majority'))
    const alternatives = ydoc.getMap<Y.Map<unknown>>('alternatives')
    const alts = [...alternatives.entries()].map(([altId, alt]) => {
      const proponents = (alt.get('proponents') as Y.Array<string> | undefined)?.toArray() ?? []
      const stale = alt.get('based_on') !== ydoc.getText('text').toString()
      const diffBox = el('div', { class: 'diff', 'data-diff': altId, hidden: '' })
      const toggle = el('button', { type: 'button', class: 'diff-toggle', 'aria-expanded': 'false' }, 'Show where it departs from the majority')
      const showDiff = async (): Promise<void> => {
        const res = await fetch(`/api/spaces/${me.space}/diff?from=live:${id}&to=alt:${id}:${altId}&format=html`, { credentials: 'same-origin' })
        diffBox.innerHTML = await res.text()
        diffBox.hidden = false
        toggle.setAttribute('aria-expanded', 'true')
        toggle.textContent = 'Hide the differences'
      }
      toggle.addEventListener('click', () => {
        if (diffs.has(altId)) { diffs.delete(altId); diffBox.hidden = true; toggle.setAttribute('aria-expanded', 'false'); toggle.textContent = 'Show where it departs from the majority' } else { diffs.add(altId); void showDiff() }
      })
      if (diffs.has(altId)) void showDiff()
      return el('section', { class: 'column alternative', 'data-column': altId },
        el('h3', {}, `Alternative: ${String(alt.get('label'))}`),
        el('p', { class: 'proponents' }, `Proponents: ${proponents.join(', ') || '—'}${stale ? ' · written against an earlier majority text' : ''}`),
        editor(alt.get('text') as Y.Text, provider, editable, `Alternative ${String(alt.get('label'))}`),
        supportButton(altId), toggle, diffBox)
    })
    columns.replaceChildren(majority, ...alts)
  }
  ydoc.getMap('alternatives').observe(renderColumns)
  support.observe(renderColumns)
  renderColumns()
  parts.push(columns)
  parts.push(el('h2', {}, 'Tasks, implementation and monitoring'))
  parts.push(el('div', { class: 'fields' }, ...FIELDS.map(([field, label]) =>
    el('div', {}, el('label', {}, label), editor(ydoc.getText(field), provider, editable, label)))))
  parts.push(exportLinks(me.space))
  app.replaceChildren(...parts)
}

interface Proposal { id: string, title: string, text?: string, topic?: string, branch_of?: string, doc?: string, author: string, status: string, history: { status: string, by: string, at: string, note?: string }[], merged_into: { recommendation: string, as: string }[] }

/** The proposals inbox: the vice-chair acts on proposals; members submit theirs. */
async function inbox (me: Me): Promise<void> {
  const space = await getJson<{ title: string, topics: { letter: string, title: string }[], recommendations: Summary[] }>(`/api/spaces/${me.space}`)
  const triage = me.role === 'vice-chair' || me.role === 'chair'
  const list = el('div', { class: 'proposals' })
  const message = el('p', { role: 'status', class: 'who' })
  const act = async (method: string, path: string, body?: unknown): Promise<void> => {
    try { await send(method, path, body); message.textContent = 'Done.' } catch (error) { message.textContent = (error as Error).message }
    await render()
  }
  const select = (name: string, options: [string, string][]): HTMLSelectElement =>
    el('select', { name, 'aria-label': name }, ...options.map(([value, label]) => el('option', { value }, label)))
  const topics = space.topics.map(t => [t.letter, `${t.letter}. ${t.title}`] as [string, string])
  const recs = space.recommendations.map(r => [r.id, `${r.topic}.${r.number} ${r.title}`] as [string, string])
  const render = async (): Promise<void> => {
    const proposals = await getJson<Proposal[]>(`/api/spaces/${me.space}/proposals`)
    list.replaceChildren(...(proposals.length ? proposals.map(p => {
      const open = p.status === 'submitted' || p.status === 'categorized'
      const path = `/api/spaces/${me.space}/proposals/${p.id}`
      const item = el('article', { class: 'column proposal', 'data-proposal': p.id },
        el('h3', {}, p.title),
        el('p', { class: 'who' }, `${p.status} · by ${p.author}${p.topic ? ` · topic ${p.topic}` : ''}${p.branch_of ? ` · branch of ${p.branch_of}` : ''}`),
        ...(p.text ? [el('p', {}, p.text)] : []),
        ...(p.doc ? [el('a', { href: `/s/${me.space}/p/${p.id}` }, 'Open the branch')] : []))
      if (p.merged_into.length) item.append(el('p', { class: 'who' }, `Merged into ${p.merged_into.map(m => `${m.recommendation} (${m.as})`).join(', ')}`))
      if (open && triage) {
        const topic = select('topic', topics)
        if (p.topic) topic.value = p.topic
        const into = select('into', recs)
        if (p.branch_of) into.value = p.branch_of
        const as = select('as', [['majority', 'into the majority text'], ['alternative', 'as an alternative']])
        const reason = el('input', { name: 'reason', placeholder: 'Reason for rejecting', 'aria-label': 'reason' })
        const preview = el('div', { class: 'diff', hidden: '' })
        const button = (label: string, onClick: () => void): HTMLButtonElement => {
          const node = el('button', { type: 'button', 'data-action': label.toLowerCase() }, label)
          node.addEventListener('click', onClick)
          return node
        }
        item.append(el('div', { class: 'controls' },
          topic, button('Categorize', () => { void act('POST', `${path}/categorize`, { topic: topic.value }) }),
          button('Preview', () => {
            void (async () => {
              const res = await fetch(`/api/spaces/${me.space}/diff?from=live:${into.value}&to=proposal:${p.id}&format=html`, { credentials: 'same-origin' })
              preview.innerHTML = await res.text()
              preview.hidden = false
            })()
          }),
          into, as, button('Merge', () => { void act('POST', `${path}/merge`, { into: into.value, as: as.value }) }),
          reason, button('Reject', () => { void act('POST', `${path}/reject`, { reason: reason.value }) })), preview)
      } else if (open && p.author === me.user) {
        const withdraw = el('button', { type: 'button', 'data-action': 'withdraw' }, 'Withdraw')
        withdraw.addEventListener('click', () => { void act('POST', `${path}/withdraw`) })
        item.append(withdraw)
      }
      return item
    }) : [el('p', { class: 'who' }, 'No proposals yet.')]))
  }
  const parts: HTMLElement[] = [header(me, triage ? 'Proposals inbox' : 'My proposals', `/s/${me.space}`), message]
  if (me.role !== 'observer') {
    const title = el('input', { name: 'title', placeholder: 'Title', 'aria-label': 'title', required: '' })
    const text = el('textarea', { name: 'text', placeholder: 'Proposed text', 'aria-label': 'text', rows: '3' })
    const topic = select('topic', [['', 'no topic'], ...topics])
    const submit = el('button', { type: 'submit' }, 'Submit a proposal')
    const form = el('form', { class: 'column' }, el('h3', {}, 'Propose a text'), title, text, topic, submit)
    form.addEventListener('submit', event => {
      event.preventDefault()
      void act('POST', `/api/spaces/${me.space}/proposals`, { title: title.value, text: text.value, topic: topic.value || undefined })
    })
    const of = select('branch_of', recs)
    const branch = el('button', { type: 'button' }, 'Open a branch')
    branch.addEventListener('click', () => {
      void (async () => {
        const made = await send<{ id: string }>('POST', `/api/spaces/${me.space}/proposals`, { title: `Changes to ${of.value}`, branch_of: of.value })
        location.href = `/s/${me.space}/p/${made.id}`
      })()
    })
    parts.push(el('div', { class: 'columns' }, form, el('div', { class: 'column' }, el('h3', {}, 'Edit a copy of a recommendation'), of, ' ', branch)))
  }
  parts.push(el('h2', {}, 'Proposals'), list)
  app.replaceChildren(...parts)
  // The inbox document changes whenever a proposal does: follow it live.
  const { ydoc } = connect(me, 'proposals')
  ydoc.getMap('proposals').observe(() => { void render() })
  await render()
}

async function start (): Promise<void> {
  const match = location.pathname.match(/^\/s\/([^/]+)(?:\/(r|p)\/([^/]+)|\/(proposals))?\/?$/)
  if (!match) {
    app.replaceChildren(el('h1', {}, 'Draftroom'), el('p', {}, 'Open the sign-in link you were given (it looks like /s/SPACE?token=…).'))
    return
  }
  const [, space, kind, id, page] = match
  try {
    const me = await getJson<Me>(`/api/spaces/${space}/me`)
    if (kind === 'r') await recommendation(me, id)
    else if (kind === 'p') await recommendation(me, '', id)
    else if (page === 'proposals') await inbox(me)
    else await dashboard(me)
  } catch (error) {
    app.replaceChildren(el('h1', {}, 'Draftroom'), el('p', { class: 'error', role: 'alert' }, String((error as Error).message)))
  }
}

void start()
