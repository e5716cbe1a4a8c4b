// Live documents: a Yjs document over the standard Yjs websocket protocol
// for as long as the component that opened it, the lists that follow the
// documents the server keeps, and what the save indicator says.
import * as Y from 'yjs'
import { WebsocketProvider, messageAuth, messageSync } from 'y-websocket'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as authProtocol from 'y-protocols/auth'
import * as syncProtocol from 'y-protocols/sync'
import type { Awareness } from 'y-protocols/awareness'
import { createSignal, onCleanup, type Accessor } from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import { messageOf, type Me, type Summary } from './api'
import { socketUp, socketDown, socketRefused } from './reach'
import { DOCS, INDEX } from './schema'
import { storeOf } from './ysignals'

// Each person's colour marks their cursor and carries their name in white
// text, so every one is dark enough for white to read on it (5.4:1 or more).
const COLORS = ['#1f5fa8', '#b42318', '#1e7a34', '#6f42c1', '#a34a00', '#0b6e79', '#8c564b', '#b0306a']

/** The awareness field that says which page someone has the document open on. */
export const PAGE = 'page'

function wsBase (space: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${location.host}/ws/${encodeURIComponent(space)}`
}

function colorOf (user: string): string {
  let hash = 0
  for (const c of user) hash = (hash * 31 + c.charCodeAt(0)) >>> 0
  return COLORS[hash % COLORS.length]
}

/** A colour as this app writes one: `#rrggbb`, and with an alpha byte for the light one. */
const PLAIN_COLOR = /^#[0-9a-f]{6}$/i
const PLAIN_LIGHT_COLOR = /^#[0-9a-f]{6}([0-9a-f]{2})?$/i

/**
 * Keeps only plain colours in others' awareness states. The editors put a
 * person's `color` and `colorLight` into inline styles as they are, so
 * another client could style this page (cover it, make it fetch from
 * elsewhere) through them; anything but a plain colour is replaced by one
 * from the palette. It runs before anything else reads the states: it is
 * the first listener, and the states it fixes are the ones others read.
 */
function keepColorsPlain (awareness: Awareness): void {
  awareness.on('change', ({ added, updated }: { added: number[], updated: number[] }) => {
    for (const client of [...added, ...updated]) {
      const state = awareness.getStates().get(client)
      const user: unknown = state?.user
      if (client === awareness.clientID || state === undefined || typeof user !== 'object' || user === null) continue
      const { name, color, colorLight } = user as Record<string, unknown>
      const fallback = colorOf(typeof name === 'string' ? name : String(client))
      const plain = typeof color === 'string' && PLAIN_COLOR.test(color) ? color : fallback
      const light = typeof colorLight === 'string' && PLAIN_LIGHT_COLOR.test(colorLight) ? colorLight : plain + '33'
      state.user = { ...user, color: plain, colorLight: light }
    }
  })
}

export interface Live { ydoc: Y.Doc, provider: WebsocketProvider }

/**
 * Opens the document `doc` of the signed-in space, saying to the others who
 * is here and on which page (their cursors carry the name), and whether
 * the server is reached; closed when the calling component is.
 */
export function openLive (me: Me, doc: string): Live {
  const ydoc = new Y.Doc()
  const provider = new WebsocketProvider(wsBase(me.space), doc, ydoc, { disableBc: true })
  keepColorsPlain(provider.awareness)
  provider.awareness.setLocalStateField('user', { name: me.name, color: colorOf(me.user), colorLight: colorOf(me.user) + '33' })
  provider.awareness.setLocalStateField(PAGE, location.pathname)
  // Down until it connects; "connecting" follows "disconnected" on each try.
  const status = ({ status }: { status: string }): void => {
    if (status === 'connected') socketUp(provider)
    else if (status === 'disconnected') socketDown(provider)
  }
  // A 44xx close: the provider stops reconnecting, and the page says why.
  const closed = ({ reason }: { reason: string }): void => socketRefused(provider, reason)
  socketDown(provider)
  provider.on('status', status)
  provider.on('closed', closed)
  onCleanup(() => {
    // Closing it is not losing the server.
    provider.off('status', status)
    provider.off('closed', closed)
    socketUp(provider)
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
  /** The document followed, if there is one. */
  live: Live | undefined
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
 * server keeps for it changes (`doc`, with its root map `root`), so the
 * page stays live without polling. Without a document (nothing to follow
 * for this person), it is read once. Items are reconciled by id, so a
 * keyed `<For>` redraws only the items that changed.
 */
export function followList<T extends { id: string }> (me: Me, doc: string | null, root: typeof DOCS.proposals | typeof DOCS.versions, load: () => Promise<T[]>): Followed<T> {
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
  const live = doc !== null ? openLive(me, doc) : undefined
  if (live !== undefined) {
    const map = live.ydoc.getMap(root)
    const changed = (): void => { void refresh() }
    map.observe(changed)
    onCleanup(() => map.unobserve(changed))
  }
  void refresh()
  return { live, items, loaded, error, refresh }
}

/** The space's recommendations by id, as the index lists them, live. */
export function followSummaries (me: Me): Record<string, Summary> {
  return storeOf(openLive(me, DOCS.index).ydoc.getMap<Summary>(INDEX.recommendations))
}

export type SaveState = 'saved' | 'saving' | 'offline' | 'refused'

/**
 * Whether a websocket close code refuses what the client sent: unsupported
 * or malformed data, a policy, a message too big, or Draftroom's 44xx.
 */
function refusesEdits (code: number): boolean {
  return code === 1003 || code === 1007 || code === 1008 || code === 1009 || (code >= 4400 && code < 4500)
}

/** What the save indicator says. */
export interface Saving {
  state: Accessor<SaveState>
  /** Why the server refused an edit, while the state is "refused". */
  reason: Accessor<string>
}

/**
 * Says "saved" only once the server has stored the local edits: after a
 * change, the page asks for the server's state (sync step 1), and the
 * server answers (sync step 2) only after what it received before is stored.
 * An edit the server refuses (it answers with the Yjs auth message,
 * "permission denied" and its reason) is never said to be saved: the reason
 * is shown instead, until an edit made after it is stored.
 */
export function saveState ({ ydoc, provider }: Live): Saving {
  const [state, setState] = createSignal<SaveState>('saved')
  const [reason, setReason] = createSignal('')
  let asked = 0
  let answered = 0
  let changed = 0
  // How many local edits there were when the server last refused one: the
  // refused edit is among them, so an answer covering no later edit does
  // not say "saved".
  let refused = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  // Edits not stored yet: said unless a refusal is, which stays until an
  // edit after it is stored.
  const unsaved = (now: 'saving' | 'offline'): void => { if (state() !== 'refused') setState(now) }
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
    const decoder = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer))
    switch (decoding.readVarUint(decoder)) {
      case messageSync:
        if (decoding.readVarUint(decoder) === syncProtocol.messageYjsSyncStep2 && asked > answered) {
          answered = asked
          if (answered === changed && answered > refused) setState('saved')
        }
        break
      case messageAuth:
        authProtocol.readAuthMessage(decoder, ydoc, (_ydoc, why) => {
          refused = changed
          setReason(why)
          setState('refused')
        })
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
      unsaved('offline')
    }
  }
  // A close that refuses what was sent (a malformed or oversized edit, a
  // document as large as it may grow, content it does not take) is a
  // refusal of the edits not yet stored, with the server's reason.
  const dropped = (event: CloseEvent | null): void => {
    if (event === null || !refusesEdits(event.code) || changed === answered) return
    refused = changed
    setReason(event.reason === '' ? `closed with code ${event.code}` : event.reason)
    setState('refused')
  }
  const edited = (_update: Uint8Array, origin: unknown): void => {
    if (origin === provider) return
    changed += 1
    unsaved('saving')
    clearTimeout(timer)
    timer = setTimeout(ask, 150)
  }
  listen()
  provider.on('status', connection)
  provider.on('connection-close', dropped)
  ydoc.on('update', edited)
  onCleanup(() => {
    clearTimeout(timer)
    listened?.removeEventListener('message', answer)
    provider.off('status', connection)
    provider.off('connection-close', dropped)
    ydoc.off('update', edited)
  })
  return { state, reason }
}
