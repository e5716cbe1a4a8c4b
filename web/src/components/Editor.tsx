// A CodeMirror editor bound to one Y.Text, showing others' cursors and the
// marks the page lays over the text (brackets, comments, suggestions); in
// suggesting mode, what is typed becomes suggestions (see ../suggesting).
import * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import { Compartment, EditorState, StateEffect, StateField, type Extension } from '@codemirror/state'
import { Decoration, EditorView, keymap, placeholder, type DecorationSet, type KeyBinding } from '@codemirror/view'
import { decorations, type Mark } from '../marks'
import { defaultKeymap } from '@codemirror/commands'
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next'
import { createEffect, on, onCleanup, onMount, type JSX } from 'solid-js'
import { suggesting, type Draft } from '../suggesting'

export type { Mark } from '../marks'

interface Props {
  /** The text edited; read once: a different text is a different editor. */
  text: Y.Text
  awareness: Awareness
  /** Whether it takes input; may change while the editor lives. */
  editable: boolean
  /** What assistive technology calls it; read once. */
  label: string
  /**
   * The marks over the text, read from the Yjs document after each of its
   * transactions; positions are the text's own (UTF-16) offsets. Read once.
   */
  marks?: () => Mark[]
  /** Told the selection (UTF-16 offsets) whenever it changes; read once. */
  onSelection?: (from: number, to: number) => void
  /**
   * Whether what the person types becomes suggestions rather than edits
   * (then the editor takes input even where the text is not theirs to
   * change); may change while the editor lives.
   */
  suggesting?: boolean
  /** Sent each suggestion written here; read once. */
  onSuggest?: (draft: Draft, quote: string) => Promise<boolean>
}

const setMarks = StateEffect.define<DecorationSet>()

/**
 * The marks as decorations. Between two readings they move with the edits
 * the editor makes, so they never stand over the wrong words.
 */
const marksField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update (marks, transaction) {
    let next = marks.map(transaction.changes)
    for (const effect of transaction.effects) if (effect.is(setMarks)) next = effect.value
    return next
  },
  provide: field => EditorView.decorations.from(field)
})

/** The view editing each text, so that a list elsewhere on the page can show a passage in it. */
const views = new WeakMap<Y.Text, EditorView>()

/** Shows and selects `from`..`to` of `text` in its editor, if it has one. */
export function reveal (text: Y.Text, from: number, to: number): boolean {
  const view = views.get(text)
  if (view === undefined) return false
  const length = view.state.doc.length
  view.dispatch({
    selection: { anchor: Math.min(from, length), head: Math.min(to, length) },
    effects: EditorView.scrollIntoView(Math.min(from, length), { y: 'center' })
  })
  view.focus()
  return true
}

/** Whether the editor takes input, and what it shows when empty. */
function editing (editable: boolean): Extension {
  return [
    EditorState.readOnly.of(!editable),
    EditorView.editable.of(editable),
    placeholder(editable ? 'Type here…' : '—')
  ]
}

/**
 * Undo and redo (Mod-z; Mod-y or Mod-Shift-z), only while the text takes
 * input: a frozen text must not change, not even back to what it was.
 */
const undoKeys: KeyBinding[] = yUndoManagerKeymap.map(binding => ({
  ...binding,
  run: view => !view.state.readOnly && (binding.run?.(view) ?? false)
}))

/**
 * One EditorView for the component's whole life. Remote edits reach it
 * through yCollab alone, and nothing else on the page redraws it, so the
 * selection and focus of someone typing survive whatever else changes.
 */
export function Editor (props: Props): JSX.Element {
  let host!: HTMLDivElement
  onMount(() => {
    // Undo takes back this person's own edits to this text, never someone
    // else's: the manager tracks no origin of its own, and yCollab adds the
    // one its local edits carry, so remote edits (whose origin is the
    // provider) are left alone.
    const undoManager = new Y.UndoManager(props.text, { trackedOrigins: new Set() })
    const mode = new Compartment()
    const onSuggest = props.onSuggest
    const modeOf = (editable: boolean, suggests: boolean): Extension =>
      suggests && onSuggest !== undefined ? [editing(true), suggesting(onSuggest)] : editing(editable)
    const view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: props.text.toString(),
        extensions: [
          keymap.of([...undoKeys, ...defaultKeymap]),
          EditorView.lineWrapping,
          mode.of(modeOf(props.editable, props.suggesting === true)),
          EditorView.contentAttributes.of({ 'aria-label': props.label }),
          yCollab(props.text, props.awareness, { undoManager }),
          marksField,
          EditorView.updateListener.of(update => {
            if (!update.selectionSet) return
            const { from, to } = update.state.selection.main
            props.onSelection?.(from, to)
          })
        ]
      })
    })
    views.set(props.text, view)
    // The marks are read again once a transaction of the document is over
    // and the editor shows what the text holds, never halfway through.
    const readMarks = props.marks
    let due = false
    let destroyed = false
    const refresh = (): void => {
      if (readMarks === undefined || due) return
      due = true
      queueMicrotask(() => {
        due = false
        if (destroyed || view.state.doc.toString() !== props.text.toString()) return
        view.dispatch({ effects: setMarks.of(decorations(readMarks(), view.state.doc.length)) })
      })
    }
    const doc = props.text.doc
    doc?.on('afterTransaction', refresh)
    refresh()
    // Editability changes (a recommendation adopted or reopened) reconfigure
    // the same view.
    createEffect(on(() => [props.editable, props.suggesting === true] as const, ([editable, suggests]) => {
      view.dispatch({ effects: mode.reconfigure(modeOf(editable, suggests)) })
    }, { defer: true }))
    onCleanup(() => {
      destroyed = true
      doc?.off('afterTransaction', refresh)
      views.delete(props.text)
      view.destroy()
      undoManager.destroy()
    })
  })
  return <div class="editor" ref={host} />
}
