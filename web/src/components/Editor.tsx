// A CodeMirror editor bound to one Y.Text, showing others' cursors.
import * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import { Compartment, EditorState, type Extension } from '@codemirror/state'
import { EditorView, keymap, placeholder, type KeyBinding } from '@codemirror/view'
import { defaultKeymap } from '@codemirror/commands'
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next'
import { createEffect, on, onCleanup, onMount, type JSX } from 'solid-js'

interface Props {
  /** The text edited; read once: a different text is a different editor. */
  text: Y.Text
  awareness: Awareness
  /** Whether it takes input; may change while the editor lives. */
  editable: boolean
  /** What assistive technology calls it; read once. */
  label: string
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
    const view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: props.text.toString(),
        extensions: [
          keymap.of([...undoKeys, ...defaultKeymap]),
          EditorView.lineWrapping,
          mode.of(editing(props.editable)),
          EditorView.contentAttributes.of({ 'aria-label': props.label }),
          yCollab(props.text, props.awareness, { undoManager })
        ]
      })
    })
    // Editability changes (a recommendation adopted or reopened) reconfigure
    // the same view.
    createEffect(on(() => props.editable, editable => {
      view.dispatch({ effects: mode.reconfigure(editing(editable)) })
    }, { defer: true }))
    onCleanup(() => {
      view.destroy()
      undoManager.destroy()
    })
  })
  return <div class="editor" ref={host} />
}
