// A CodeMirror editor bound to one Y.Text, showing others' cursors.
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import { Compartment, EditorState, type Extension } from '@codemirror/state'
import { EditorView, keymap, placeholder } from '@codemirror/view'
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands'
import { yCollab } from 'y-codemirror.next'
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
 * One EditorView for the component's whole life. Remote edits reach it
 * through yCollab alone, and nothing else on the page redraws it, so the
 * selection and focus of someone typing survive whatever else changes.
 */
export function Editor (props: Props): JSX.Element {
  let host!: HTMLDivElement
  onMount(() => {
    const mode = new Compartment()
    const view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: props.text.toString(),
        extensions: [
          keymap.of([...defaultKeymap, ...historyKeymap]),
          history(),
          EditorView.lineWrapping,
          mode.of(editing(props.editable)),
          EditorView.contentAttributes.of({ 'aria-label': props.label }),
          yCollab(props.text, props.awareness)
        ]
      })
    })
    // Editability changes (a recommendation adopted or reopened) reconfigure
    // the same view.
    createEffect(on(() => props.editable, editable => {
      view.dispatch({ effects: mode.reconfigure(editing(editable)) })
    }, { defer: true }))
    onCleanup(() => view.destroy())
  })
  return <div class="editor" ref={host} />
}
