// Suggestions: marked in the editors (the words to go struck through, the
// words to come underlined), and listed beside the texts, each with its
// author and what it changes, and the controls each role has: its author
// withdraws it; the vice-chair and the chair accept or reject it, or all of
// one author's at once.
import type * as Y from 'yjs'
import { createMemo, For, Show, type Accessor, type JSX } from 'solid-js'
import { triages } from '../access'
import { routes, send, type Me } from '../api'
import type { Mark } from '../marks'
import { ROOT, type SuggestionStatus } from '../schema'
import { sameList, storeOf } from '../ysignals'
import { nameOf, whoIs } from '../people'
import { createAction, Outcome, when } from './controls'
import { byTime, followAnchor, spanOf } from './Comments'
import { reveal } from './Editor'
import type { NamedText } from './Brackets'

/** A suggestion as the server stores it in the recommendation's `suggestions` map. */
export interface SuggestionRecord {
  id: string
  location: string
  start: string
  end: string
  kind: 'insert' | 'delete' | 'replace'
  quote: string
  text: string
  author: string
  at: string
  status: SuggestionStatus
  decided_by?: string
  decided_at?: string
}

const suggestionsOf = (ydoc: Y.Doc): Y.Map<SuggestionRecord> => ydoc.getMap<SuggestionRecord>(ROOT.suggestions)

/** The marks of the pending suggestions on `text`, for its editor. */
export function suggestionMarks (space: string, text: Y.Text): () => Mark[] {
  return () => {
    if (text.doc === null) return []
    return [...suggestionsOf(text.doc).values()]
      .filter(suggestion => suggestion.status === 'pending')
      .flatMap(suggestion => {
        const at = spanOf(text, suggestion.start, suggestion.end)
        if (at === undefined) return []
        return [{
          ...at,
          class: `suggestion suggestion-${suggestion.kind}`,
          attributes: { 'data-suggestion': suggestion.id, title: `${nameOf(space, suggestion.author)} suggests ${said(suggestion)}` },
          widget: suggestion.text !== '' ? suggestion.text : undefined
        }]
      })
  }
}

/** What a suggestion does, in a few words. */
function said (suggestion: SuggestionRecord): string {
  switch (suggestion.kind) {
    case 'insert': return `inserting “${suggestion.text}”`
    case 'delete': return `deleting “${suggestion.quote}”`
    case 'replace': return `replacing “${suggestion.quote}” with “${suggestion.text}”`
  }
}

interface Props {
  me: Me
  id: string
  ydoc: Y.Doc
  texts: Accessor<NamedText[]>
  /** Whether suggestions may be decided here now (a live recommendation, not adopted). */
  decidable: Accessor<boolean>
}

export function SuggestionList (props: Props): JSX.Element {
  const records = storeOf(suggestionsOf(props.ydoc))
  const ids = (pending: boolean): string[] => Object.values(records)
    .filter(suggestion => (suggestion.status === 'pending') === pending)
    .sort(byTime)
    .map(suggestion => suggestion.id)
  const pending = createMemo(() => ids(true), [], { equals: sameList })
  const decided = createMemo(() => ids(false), [], { equals: sameList })
  // Who has suggestions waiting, for deciding all of one author's at once.
  const authors = createMemo(() => [...new Set(pending().map(id => records[id].author))].sort(), [], { equals: sameList })
  return (
    <section class='suggestion-list' aria-label='Suggestions'>
      <h2>Suggestions <span class='count'>({pending().length} waiting)</span></h2>
      <Show when={pending().length > 0} fallback={<p class='who'>No suggestion is waiting.</p>}>
        <Show when={triages(props.me.role) && props.decidable()}>
          <For each={authors()}>{author => <AllOf {...props} author={author} count={pending().filter(id => records[id].author === author).length} />}</For>
        </Show>
        <ul>
          <For each={pending()}>{id => <Item {...props} suggestion={records[id]} />}</For>
        </ul>
      </Show>
      <Show when={decided().length > 0}>
        <details class='decided'>
          <summary>Decided ({decided().length})</summary>
          <ul>
            <For each={decided()}>{id => <Item {...props} suggestion={records[id]} />}</For>
          </ul>
        </details>
      </Show>
    </section>
  )
}

/** Accepts or rejects every waiting suggestion of one author. */
function AllOf (props: Props & { author: string, count: number }): JSX.Element {
  const action = createAction()
  const decide = (decision: 'accept' | 'reject'): void => {
    void action.run(async () => await send('POST', routes.suggestionsOf(props.me.space, props.id, decision), { author: props.author }))
  }
  return (
    <div class='controls all-of' data-author={props.author}>
      <span>{whoIs(props.me.space, props.author)} ({props.count}):</span>
      <button type='button' data-accept-all={props.author} onClick={() => decide('accept')}>Accept all</button>
      <button type='button' data-reject-all={props.author} onClick={() => decide('reject')}>Reject all</button>
      <Outcome of={action} />
    </div>
  )
}

function Item (props: Props & { suggestion: SuggestionRecord }): JSX.Element {
  const { me } = props
  const suggestion = (): SuggestionRecord => props.suggestion
  // Where its passage is now, and whether it still reads as it did.
  const { place, where } = followAnchor(props.ydoc, props.texts, suggestion)
  const changed = (): boolean => {
    const at = where()
    const text = place()?.text
    return at === undefined || text === undefined || text.toString().slice(at.from, at.to) !== suggestion().quote
  }
  const pending = (): boolean => suggestion().status === 'pending'
  const action = createAction()
  const decide = (decision: 'accept' | 'reject' | 'withdraw'): void => {
    void action.run(async () => await send('POST', routes.suggestion(me.space, props.id, suggestion().id, decision)))
  }
  return (
    <li class='suggestion-item' data-suggestion-item={suggestion().id} data-status={suggestion().status}>
      <p>
        <span class='where'>{place()?.name ?? suggestion().location}</span>{' '}
        <strong>{whoIs(me.space, suggestion().author)}</strong> <span class='who'>{when(suggestion().at)}</span>
      </p>
      <p>
        <button type='button' class='link' aria-label={`Show where ${nameOf(me.space, suggestion().author)} suggests ${said(suggestion())}`}
          onClick={() => { const text = place()?.text; const at = where(); if (text !== undefined && at !== undefined) reveal(text, at.from, at.to) }}>
          Suggests {said(suggestion())}
        </button>
      </p>
      <Show when={pending() && changed()}>
        <p class='who' data-changed>The words changed since: it would replace “{place()?.text.toString().slice(where()?.from ?? 0, where()?.to ?? 0)}”.</p>
      </Show>
      <Show when={!pending()}>
        <p class='who'>{suggestion().status} by {nameOf(me.space, suggestion().decided_by ?? '')}{suggestion().decided_at !== undefined ? `, ${when(suggestion().decided_at ?? '')}` : ''}</p>
      </Show>
      <Show when={pending() && props.decidable()}>
        <div class='controls'>
          <Show when={triages(me.role)}>
            <button type='button' data-accept={suggestion().id} onClick={() => decide('accept')}>Accept</button>
            <button type='button' data-reject={suggestion().id} onClick={() => decide('reject')}>Reject</button>
          </Show>
          <Show when={suggestion().author === me.user}>
            <button type='button' data-withdraw={suggestion().id} onClick={() => decide('withdraw')}>Withdraw</button>
          </Show>
        </div>
      </Show>
      <Outcome of={action} />
    </li>
  )
}
