// Whether the server can be reached. Every page says so when it cannot: a
// live document's websocket down for more than a moment, or an API call
// that could not connect. Hearing from the server again ends it.
import { createSignal, type Accessor } from 'solid-js'

/** How long a websocket may be down before it is said: a blip that reconnects at once is not news. */
const GRACE_MS = 1000

const [unreachableNow, setUnreachable] = createSignal(false)

/** Whether the server cannot be reached now. */
export const unreachable: Accessor<boolean> = unreachableNow

/** The websockets down now, each with the timer that says so once the grace is over. */
const down = new Map<object, ReturnType<typeof setTimeout>>()

/** A websocket is down (or not yet up). */
export function socketDown (socket: object): void {
  if (!down.has(socket)) down.set(socket, setTimeout(() => setUnreachable(true), GRACE_MS))
}

/** A websocket is up, or closed on purpose with its page: either way it no longer says the server is lost. */
export function socketUp (socket: object): void {
  clearTimeout(down.get(socket))
  down.delete(socket)
  if (down.size === 0) setUnreachable(false)
}

const [refusedWith, setRefusedWith] = createSignal<string>()

/** Why the server closed a live document for good, if it did. */
export const refusal: Accessor<string | undefined> = refusedWith

/**
 * The server closed a websocket for good (a 44xx close: it would refuse the
 * same again, so the client stops reconnecting), saying why. The server is
 * there; the page no longer follows that document.
 */
export function socketRefused (socket: object, reason: string): void {
  socketUp(socket)
  setRefusedWith(reason === '' ? 'no reason was given' : reason)
}

/** An API call could not connect. */
export function callFailed (): void {
  setUnreachable(true)
}

/** An API call was answered: the server is there, though a websocket may still be reconnecting. */
export function callAnswered (): void {
  if (down.size === 0) setUnreachable(false)
}
