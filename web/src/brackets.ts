// Brackets as the server reads them (crates/draftroom-model/src/brackets.rs):
// each `[` opens a bracketed passage, closed by its `]` or running to the
// end of the text; its identity is the Yjs id of its `[`, and what the
// group says about it is the record under that id in the recommendation's
// `brackets` map. Positions here are UTF-16 offsets, as in Yjs and
// CodeMirror; they stand for the same characters as the server's.
import * as Y from 'yjs'
import type { BracketState } from './schema'

/** A bracketed passage: `[` at `from`, its end (after its `]`, when `closed`) at `to`. */
export interface Span { from: number, to: number, closed: boolean }

/** Every bracketed passage of `text`, in the order they open; a bracket in another is one of its own. */
export function bracketSpans (text: string): Span[] {
  const open: number[] = []
  const spans: Span[] = []
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '[') open.push(i)
    else if (text[i] === ']') {
      const from = open.pop()
      if (from !== undefined) spans.push({ from, to: i + 1, closed: true })
    }
  }
  for (const from of open) spans.push({ from, to: text.length, closed: false })
  return spans.sort((a, b) => a.from - b.from)
}

/** The options of a passage's inside (`shall/should`), split at `/` outside nested brackets. */
export function optionsOf (inner: string): string[] {
  const options = ['']
  let depth = 0
  for (const c of inner) {
    if (c === '[') depth++
    else if (c === ']') depth = Math.max(0, depth - 1)
    else if (c === '/' && depth === 0) { options.push(''); continue }
    options[options.length - 1] += c
  }
  return options.map(option => option.trim())
}

/** The id of the bracket whose `[` is at `index` of `text`. */
export function bracketId (text: Y.Text, index: number): string {
  const { item } = Y.createRelativePositionFromTypeIndex(text, index)
  return item === null ? '' : `${item.client}-${item.clock}`
}

/** What the group says about a bracket (none said: open, held by nobody). */
export interface BracketRecord {
  state?: BracketState
  holders?: string[]
  reason?: string
  pending?: string
  changed_by?: string
  changed_at?: string
  cleared?: { location: string, passage: string, kept: string }
}

/** A bracket found in one text. */
export interface FoundBracket extends Span {
  id: string
  passage: string
  options: string[]
}

/** The most brackets read from one text, and the most of a passage shown, as the server reads them. */
const MAX_BRACKETS = 300
const MAX_PASSAGE = 2000

/** The brackets `text` holds now (the first MAX_BRACKETS). */
export function bracketsIn (text: Y.Text): FoundBracket[] {
  const string = text.toString()
  return bracketSpans(string).slice(0, MAX_BRACKETS).map(span => {
    const whole = span.to - span.from <= MAX_PASSAGE
    const passage = string.slice(span.from, whole ? span.to : span.from + MAX_PASSAGE)
    return { ...span, id: bracketId(text, span.from), passage, options: optionsOf(passage.slice(1, span.closed && whole ? -1 : undefined)) }
  })
}

/** How a bracket's state reads in a sentence. */
export function stateText (record: BracketRecord | undefined): string {
  switch (record?.state ?? 'open') {
    case 'open': return 'open'
    case 'ad-referendum': return 'agreed ad referendum'
    case 'pending': return `pending ${record?.pending ?? 'a delegation'}`
    case 'cleared': return 'cleared'
  }
}
