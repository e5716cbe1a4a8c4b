// Live documents: a Yjs document over the standard Yjs websocket protocol
// for as long as the component that opened it, the lists that follow the
// documents the server keeps, and what the save indicator says.
import * as Y from 'yjs'
import { WebsocketProvider, messageSync } from 'y-websocket'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { createSignal, onCleanup, type Accessor } from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import { messageOf, type Me, type Summary } from './api'
import { DOCS, INDEX } from './schema'
import { storeOf } from './ysignals'

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

/**
 * Opens the document `doc` of the signed-in space, saying who is here to
 * the others (their cursors carry the name); closed when the calling
 * component is.
 */
export function openLive (me: Me, doc: string): Live {
  const ydoc = new Y.Doc()
  const provider = new WebsocketProvider(wsBase(me.space), doc, ydoc, { disableBc: true })
  provider.awareness.setLocalStateField('user', { name: me.user, color: colorOf(me.user), colorLight: colorOf(me.user) + '33' })
  onCleanup(() => {
    provider.destroy()
    ydoc.destroy()
  })
  return { ydoc, provider }
}

/**
 * Whether the document has held the server's state at least once. A page
 * waits for it before it reads the document, and stays drawn when the
 * connection drops and comes back.
 */
export function syncedOnce ({ provider }: Live): Accessor<boolean> {
  const [synced, setSynced] = createSignal(provider.synced)
  const heard = (isSynced: boolean): void => { if (isSynced) setSynced(true) }
  provider.on('sync', heard)
  onCleanup(() => provider.off('sync', heard))
  return synced
}

export interface Followed<T> {
  /** The list as last read, each item keeping its identity by id. */
  items: T[]
  /** Whether the list has been read once. */
  loaded: Accessor<boolean>
  /** Why the last reading failed, if it did. */
  error: Accessor<string | undefined>
  /** Reads the list again now (after an action of this page's own). */
  refresh: () => Promise<void>
}

/**
 * The list `load` reads from the API, read again whenever the document the
 * server keeps for it (`doc`, with a root map of its own name)
 * changes, so the page stays live without polling. Items are reconciled by
 * id, so a keyed `<For>` redraws only the items that changed.
 */
export function followList<T extends { id: string }> (me: Me, doc: typeof DOCS.proposals | typeof DOCS.versions, load: () => Promise<T[]>): Followed<T> {
  const [items, setItems] = createStore<T[]>([])
  const [loaded, setLoaded] = createSignal(false)
  const [error, setError] = createSignal<string>()
  // Readings may overlap; only the latest one asked for is shown.
  let asked = 0
  const refresh = async (): Promise<void> => {
    const reading = ++asked
    try {
      const fresh = await load()
      if (reading !== asked) return
      setItems(reconcile(fresh, { key: 'id' }))
      setError(undefined)
      setLoaded(true)
    } catch (failure) {
      if (reading === asked) setError(messageOf(failure))
    }
  }
  const root = openLive(me, doc).ydoc.getMap(doc)
  const changed = (): void => { void refresh() }
  root.observe(changed)
  onCleanup(() => root.unobserve(changed))
  void refresh()
  return { items, loaded, error, refresh }
}

/** The space's recommendations by id, as the index lists them, live. */
export function followSummaries (me: Me): Record<string, Summary> {
  return storeOf(openLive(me, DOCS.index).ydoc.getMap<Summary>(INDEX.recommendations))
}

export type SaveState = 'saved' | 'saving' | 'offline'

/**
 * Says "saved" only once the server has stored the local edits: after a
 * change, the page asks for the server's state (sync step 1), and the
 * server answers (sync step 2) only after what it received before is stored.
 */
export function saveState ({ ydoc, provider }: Live): Accessor<SaveState> {
  const [state, setState] = createSignal<SaveState>('saved')
  let asked = 0
  let answered = 0
  let changed = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const ask = (): void => {
    const ws = provider.ws
    if (ws === null || ws.readyState !== WebSocket.OPEN) { timer = setTimeout(ask, 500); return }
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, messageSync)
    syncProtocol.writeSyncStep1(encoder, ydoc)
    asked = changed
    ws.send(encoding.toUint8Array(encoder))
  }
  const answer = (event: MessageEvent): void => {
    const data = new Uint8Array(event.data as ArrayBuffer)
    if (data[0] === messageSync && data[1] === syncProtocol.messageYjsSyncStep2 && asked > answered) {
      answered = asked
      if (answered === changed) setState('saved')
    }
  }
  // The provider opens a new socket each time it reconnects: listen to the
  // current one for the server's answers.
  let listened: WebSocket | null = null
  const listen = (): void => {
    const ws = provider.ws
    if (ws === null || ws === listened) return
    listened?.removeEventListener('message', answer)
    listened = ws
    ws.addEventListener('message', answer)
  }
  const connection = ({ status }: { status: string }): void => {
    if (status === 'connected') {
      listen()
      if (changed > answered) ask()
    } else if (changed > answered) {
      setState('offline')
    }
  }
  const edited = (_update: Uint8Array, origin: unknown): void => {
    if (origin === provider) return
    changed += 1
    setState('saving')
    clearTimeout(timer)
    timer = setTimeout(ask, 150)
  }
  listen()
  provider.on('status', connection)
  ydoc.on('update', edited)
  onCleanup(() => {
    clearTimeout(timer)
    listened?.removeEventListener('message', answer)
    provider.off('status', connection)
    ydoc.off('update', edited)
  })
  return state
}
