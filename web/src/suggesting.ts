// Suggesting: while it is on, what a person types and deletes in an editor
// does not change the text. It becomes a draft suggestion, shown in place
// (the words to go struck through, the words to come underlined), which is
// sent to the server once the person pauses, moves elsewhere or leaves the
// editor; the server's record then stands in the text for everyone until
// the vice-chair or the chair decides it.
//
// A draft is one passage of the text (`from`..`to`, struck) and the words
// to stand after it (`text`, shown at `to`, where the caret stays). Typing
// at the caret adds to those words; Backspace takes them back, then strikes
// the character before the passage; Delete strikes the one after it.
// Anything else (typing elsewhere, replacing a selection) sends the draft
// and starts another. Others' edits move the draft with the text.
import { EditorState, StateEffect, StateField, type Extension, type TransactionSpec } from '@codemirror/state'
import { EditorView, ViewPlugin } from '@codemirror/view'
import { decorations } from './marks'

/** A suggestion being written: `text` in place of `from`..`to`. */
export interface Draft { from: number, to: number, text: string }

/** How long typing pauses before the draft is sent. */
const PAUSE_MS = 1200

const setDraft = StateEffect.define<Draft | null>()

const draftField = StateField.define<Draft | null>({
  create: () => null,
  update (draft, transaction) {
    for (const effect of transaction.effects) if (effect.is(setDraft)) return effect.value
    if (draft === null || !transaction.docChanged) return draft
    const from = transaction.changes.mapPos(draft.from, 1)
    return { ...draft, from, to: Math.max(from, transaction.changes.mapPos(draft.to, -1)) }
  },
  provide: field => EditorView.decorations.from(field, draft => decorationsOf(draft))
})

function decorationsOf (draft: Draft | null): ReturnType<typeof decorations> {
  if (draft === null) return decorations([], 0)
  return decorations([{ from: draft.from, to: draft.to, class: 'draft', widget: draft.text !== '' ? draft.text : undefined }], Number.MAX_SAFE_INTEGER)
}

/** Where the character before `at` in `doc` starts (a pair of UTF-16 units is one character). */
function before (doc: string, at: number): number {
  if (at <= 0) return 0
  const low = doc.charCodeAt(at - 1)
  const high = at >= 2 ? doc.charCodeAt(at - 2) : 0
  return low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? at - 2 : at - 1
}

/** `text` without its last character (however many UTF-16 units it takes). */
const withoutLast = (text: string): string => Array.from(text).slice(0, -1).join('')

/**
 * The draft after one change a person made to `doc` (the text as it
 * stands, which the change does not alter), given the draft before.
 */
function next (doc: string, draft: Draft | null, fromA: number, toA: number, inserted: string): { draft: Draft, sends: Draft | null } {
  if (draft !== null) {
    const atCaret = fromA === draft.to && toA === draft.to
    if (atCaret) return { draft: { ...draft, text: draft.text + inserted }, sends: null }
    // Backspace at the caret takes back a typed character, then strikes
    // the one before the passage; Delete strikes the one after it.
    const backspace = inserted === '' && toA === draft.to && fromA < toA
    if (backspace && draft.text !== '') return { draft: { ...draft, text: withoutLast(draft.text) }, sends: null }
    if (backspace) return { draft: { ...draft, from: before(doc, draft.from) }, sends: null }
    const forward = inserted === '' && fromA === draft.to && toA > fromA
    if (forward) return { draft: { ...draft, to: toA }, sends: null }
  }
  return { draft: { from: fromA, to: toA, text: inserted }, sends: draft }
}

/** Whether a draft suggests anything. */
const says = (draft: Draft | null): draft is Draft => draft !== null && (draft.from < draft.to || draft.text !== '')

/**
 * Suggesting in one editor: `send` is called with each draft (and what
 * its passage read); it should not throw.
 */
export function suggesting (send: (draft: Draft, quote: string) => Promise<boolean>): Extension {
  // A draft the server did not take comes back (unless another is being
  // written), so that nothing typed is lost; the page says why.
  const sendFrom = (view: EditorView, draft: Draft | null): void => {
    if (!says(draft)) return
    void send(draft, view.state.doc.sliceString(draft.from, draft.to)).then(taken => {
      if (!taken && view.state.field(draftField, false) === null) view.dispatch({ effects: setDraft.of(draft) })
    })
  }
  // Changes a person makes become the draft; the text stays as it is.
  const filter = EditorState.transactionFilter.of(transaction => {
    if (!transaction.docChanged || !(transaction.isUserEvent('input') || transaction.isUserEvent('delete') || transaction.isUserEvent('move'))) return transaction
    const changes: Array<{ fromA: number, toA: number, inserted: string }> = []
    transaction.changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
      changes.push({ fromA, toA, inserted: inserted.toString() })
    })
    // One suggestion is one passage: an edit of several places at once
    // (several cursors, a dragged passage) is not taken.
    if (changes.length !== 1) return {}
    const [change] = changes
    const start = transaction.startState
    const { draft, sends } = next(start.doc.toString(), start.field(draftField), change.fromA, change.toA, change.inserted)
    const spec: TransactionSpec = { effects: [setDraft.of(draft), sent.of(sends)], selection: { anchor: draft.to }, scrollIntoView: true }
    return spec
  })
  // Sends a draft when another replaces it, when typing pauses, and when
  // the editor loses the focus or suggesting stops.
  const sender = ViewPlugin.define(view => {
    let timer: ReturnType<typeof setTimeout> | undefined
    // The draft as last seen: when suggesting stops, the field goes with
    // the plugin, and the draft is sent all the same.
    let current: Draft | null = null
    const flush = (): void => {
      clearTimeout(timer)
      const draft = current
      if (draft === null) return
      current = null
      view.dispatch({ effects: setDraft.of(null) })
      sendFrom(view, draft)
    }
    const blur = (): void => flush()
    view.contentDOM.addEventListener('blur', blur)
    return {
      update (update) {
        current = update.state.field(draftField, false) ?? null
        for (const transaction of update.transactions) {
          for (const effect of transaction.effects) {
            if (effect.is(sent) && effect.value !== null) {
              const draft = effect.value
              queueMicrotask(() => sendFrom(view, draft))
            }
          }
        }
        if (update.transactions.some(transaction => transaction.effects.some(effect => effect.is(setDraft) && effect.value !== null))) {
          clearTimeout(timer)
          timer = setTimeout(() => flush(), PAUSE_MS)
        }
      },
      destroy () {
        view.contentDOM.removeEventListener('blur', blur)
        clearTimeout(timer)
        sendFrom(view, current)
      }
    }
  })
  return [draftField, filter, sender]
}

/** A draft another replaced, to be sent. */
const sent = StateEffect.define<Draft | null>()
