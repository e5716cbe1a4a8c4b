// Yjs state as Solid signals. A component reads exactly the values it shows
// through these, so a change to a shared type re-renders only what reads
// the part that changed. Each subscription ends with the component that
// made it.
import { createSignal, onCleanup, type Accessor } from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import type * as Y from 'yjs'

interface Options<T> {
  /** Also follow changes to the types nested inside `type`. */
  deep?: boolean
  /** When two readings are the same value (by default, `===`). */
  equals?: (previous: T, next: T) => boolean
}

/**
 * A signal of what `read` finds in `type`, read again after every
 * transaction that changes `type`. A reading equal to the last one notifies
 * nobody, so a change to another key of a map leaves its readers alone.
 */
export function fromY<T> (type: Y.AbstractType<any>, read: () => T, { deep = false, equals = (a, b) => a === b }: Options<T> = {}): Accessor<T> {
  const [value, setValue] = createSignal<T>(read(), { equals })
  const update = (): void => { setValue(() => read()) }
  if (deep) {
    type.observeDeep(update)
    onCleanup(() => type.unobserveDeep(update))
  } else {
    type.observe(update)
    onCleanup(() => type.unobserve(update))
  }
  return value
}

/** Whether two lists of ids are the same, for memos of the ids a `<For>` iterates. */
export const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((item, i) => item === b[i])

/**
 * A map of plain JSON values (no nested shared types) as a Solid store:
 * each change is reconciled into it, so only the fields that changed
 * notify their readers.
 */
export function storeOf<T extends object> (map: Y.Map<T>): Record<string, T> {
  const [store, setStore] = createStore<Record<string, T>>(map.toJSON())
  const update = (): void => { setStore(reconcile(map.toJSON())) }
  map.observe(update)
  onCleanup(() => map.unobserve(update))
  return store
}
