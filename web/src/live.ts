// Live documents: a Yjs document per page over the standard Yjs websocket
// protocol, CodeMirror editors bound to its texts with remote cursors, and
// the save indicator.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { EditorState } from '@codemirror/state'
import { EditorView, keymap, placeholder } from '@codemirror/view'
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands'
import { yCollab } from 'y-codemirror.next'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { el, type Me } from './ui'

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2']

function wsBase (space: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${location.host}/ws/${encodeURIComponent(space)}`
}

function colorOf (user: string): string {
  let hash = 0
  for (const c of user) hash = (hash * 31 + c.charCodeAt(0)) >>> 0
  return COLORS[hash % COLORS.length]
}

export interface Live { ydoc: Y.Doc, provider: WebsocketProvider }

export function connect (me: Me, doc: string): Live {
  const ydoc = new Y.Doc()
  const provider = new WebsocketProvider(wsBase(me.space), doc, ydoc, { disableBc: true })
  provider.awareness.setLocalStateField('user', { name: me.user, color: colorOf(me.user), colorLight: colorOf(me.user) + '33' })
  return { ydoc, provider }
}

/**
 * Calls `changed` whenever one of the documents the server keeps (the
 * proposals inbox, the versions list) changes; each holds a root map of its
 * own name.
 */
export function follow (me: Me, name: string, changed: () => void): void {
  connect(me, name).ydoc.getMap(name).observe(changed)
}

/** Resolves once the document holds the server's state. */
export async function synced ({ provider }: Live): Promise<void> {
  if (provider.synced) return
  await new Promise<void>(resolve => provider.once('sync', () => resolve()))
}

/**
 * Says "saved" only once the server has stored the local edits: after a
 * change, the page asks for the server's state (sync step 1), and the
 * server answers only after what it received before is stored.
 */
export function saveIndicator ({ ydoc, provider }: Live): HTMLElement {
  const badge = el('span', { class: 'save', role: 'status', 'data-state': 'saved' }, 'saved')
  let asked = 0
  let answered = 0
  let changed = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const show = (state: string, text: string): void => { badge.dataset.state = state; badge.textContent = text }
  const ask = (): void => {
    const ws = provider.ws
    if (ws === null || ws.readyState !== WebSocket.OPEN) { timer = setTimeout(ask, 500); return }
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
    if (ws === null || listened.has(ws)) return
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

/** A CodeMirror editor bound to `ytext`, showing others' cursors. */
export function editor (ytext: Y.Text, { provider }: Live, editable: boolean, label: string): HTMLElement {
  const host = el('div', { class: 'editor' })
  new EditorView({
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
  return host
}
