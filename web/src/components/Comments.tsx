// Comments on passages of a recommendation's texts: marked in the editors,
// listed beside them as threads, live. A member selects words in any text
// and comments on them; anyone (observers too) reads; members reply; the
// comment's author, the vice-chair and the chair resolve and reopen.
import * as Y from 'yjs'
import { createMemo, createSignal, For, onCleanup, Show, type Accessor, type JSX } from 'solid-js'
import { edits, triages } from '../access'
import { routes, send, type Me } from '../api'
import { ROOT } from '../schema'
import { sameList, storeOf } from '../ysignals'
import { nameOf, whoIs } from '../people'
import { createAction, Field, Outcome, when } from './controls'
import { reveal, type Mark } from './Editor'
import type { NamedText } from './Brackets'

/** A comment as the server stores it in the recommendation's `comments` map. */
export interface CommentRecord {
  id: string
  location: string
  /** Yjs relative positions, encoded (v1) in base64. */
  start: string
  end: string
  quote: string
  author: string
  at: string
  body: string
  replies?: Array<{ author: string, at: string, body: string }>
  resolved?: { by: string, at: string }
}

/** Words selected in one of the texts, to comment on. */
export interface Selected { place: NamedText, from: number, to: number, quote: string }

const commentsOf = (ydoc: Y.Doc): Y.Map<CommentRecord> => ydoc.getMap<CommentRecord>(ROOT.comments)

const decoded = (base64: string): Uint8Array => Uint8Array.from(atob(base64), c => c.charCodeAt(0))

/**
 * Where the passage between two anchors (Yjs relative positions, encoded in
 * base64) is in `text` now: `undefined` if they are in another text or
 * cannot be read. An empty span is one place (or words since deleted).
 */
export function spanOf (text: Y.Text, start: string, end: string): { from: number, to: number } | undefined {
  const doc = text.doc
  if (doc === null) return undefined
  try {
    const from = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(decoded(start)), doc)
    const to = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(decoded(end)), doc)
    if (from === null || to === null || from.type !== text || to.type !== text) return undefined
    return { from: from.index, to: Math.max(from.index, to.index) }
  } catch {
    // Not a position this page can read: what it anchors stays listed, unmarked.
    return undefined
  }
}

/** Where a comment's passage is in `text` now: `undefined` if in another text or deleted. */
function passageOf (text: Y.Text, comment: CommentRecord): { from: number, to: number } | undefined {
  const span = spanOf(text, comment.start, comment.end)
  return span !== undefined && span.from < span.to ? span : undefined
}

/** The marks of the open comments on `text`, for its editor. */
export function commentMarks (space: string, text: Y.Text): () => Mark[] {
  return () => {
    if (text.doc === null) return []
    return [...commentsOf(text.doc).values()]
      .filter(comment => comment.resolved === undefined)
      .flatMap(comment => {
        const at = passageOf(text, comment)
        return at === undefined ? [] : [{ ...at, class: 'comment', attributes: { 'data-comment': comment.id, title: `${nameOf(space, comment.author)}: ${comment.body}` } }]
      })
  }
}

/** Oldest first, then by id. */
export const byTime = (a: { at: string, id: string }, b: { at: string, id: string }): number => a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1

interface Props {
  me: Me
  id: string
  ydoc: Y.Doc
  texts: Accessor<NamedText[]>
  /** What is selected in the texts now, if anything. */
  selected: Accessor<Selected | undefined>
  /** Whether comments may be added here (a live recommendation). */
  commentable: Accessor<boolean>
}

export function CommentList (props: Props): JSX.Element {
  // Each thread is drawn once and follows its record, so a reply someone
  // is typing survives others' replies to the same thread.
  const records = storeOf(commentsOf(props.ydoc))
  const ids = (resolved: boolean): string[] => Object.values(records)
    .filter(comment => (comment.resolved !== undefined) === resolved)
    .sort(byTime)
    .map(comment => comment.id)
  const open = createMemo(() => ids(false), [], { equals: sameList })
  const resolved = createMemo(() => ids(true), [], { equals: sameList })
  return (
    <section class='comment-list' aria-label='Comments'>
      <h2>Comments <span class='count'>({open().length} open)</span></h2>
      <Show when={props.commentable() && edits(props.me.role)}>
        <NewComment {...props} />
      </Show>
      <Show when={open().length > 0} fallback={<p class='who'>No open comments.</p>}>
        <ul>
          <For each={open()}>{id => <Thread {...props} comment={records[id]} />}</For>
        </ul>
      </Show>
      <Show when={resolved().length > 0}>
        <details class='resolved'>
          <summary>Resolved ({resolved().length})</summary>
          <ul>
            <For each={resolved()}>{id => <Thread {...props} comment={records[id]} />}</For>
          </ul>
        </details>
      </Show>
    </section>
  )
}

function NewComment (props: Props): JSX.Element {
  const [body, setBody] = createSignal('')
  const action = createAction()
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    const selected = props.selected()
    if (selected === undefined) return
    void action.run(async () => {
      await send('POST', routes.comments(props.me.space, props.id), {
        location: selected.place.location, from: selected.from, to: selected.to, quote: selected.quote, body: body().trim()
      })
      setBody('')
    }, 'Comment added.')
  }
  return (
    <form class='new-comment' onSubmit={submit}>
      <Show when={props.selected()} fallback={<p class='who'>Select words in any text to comment on them.</p>}>{selected =>
        <p class='who'>On <q>{selected().quote}</q> in {selected().place.name}</p>
      }</Show>
      <Field label='Your comment'>
        <textarea name='comment' rows={3} maxlength={4000} value={body()} onInput={event => setBody(event.currentTarget.value)} />
      </Field>
      <button type='submit' data-action='comment' disabled={props.selected() === undefined || body().trim() === ''}>Comment</button>
      <Outcome of={action} />
    </form>
  )
}

/** What an anchored record (a comment, a suggestion) says of where it is. */
export interface Anchored { location: string, start: string, end: string }

/**
 * The text an anchored record is in, and where its passage is now, read
 * again once each transaction of the document is over.
 */
export function followAnchor (ydoc: Y.Doc, texts: Accessor<NamedText[]>, record: () => Anchored): { place: () => NamedText | undefined, where: Accessor<{ from: number, to: number } | undefined> } {
  const place = (): NamedText | undefined => texts().find(text => text.location === record().location)
  const [where, setWhere] = createSignal<{ from: number, to: number }>()
  const locate = (): void => {
    const text = place()?.text
    setWhere(text === undefined ? undefined : spanOf(text, record().start, record().end))
  }
  locate()
  ydoc.on('afterTransaction', locate)
  onCleanup(() => ydoc.off('afterTransaction', locate))
  return { place, where }
}

function Thread (props: Props & { comment: CommentRecord }): JSX.Element {
  const { me } = props
  const comment = (): CommentRecord => props.comment
  // Where the passage is now; none once it was deleted.
  const anchor = followAnchor(props.ydoc, props.texts, comment)
  const place = anchor.place
  const where = (): { from: number, to: number } | undefined => {
    const at = anchor.where()
    return at !== undefined && at.from < at.to ? at : undefined
  }
  const mayResolve = (): boolean => edits(me.role) && (triages(me.role) || comment().author === me.user)
  const action = createAction()
  const [reply, setReply] = createSignal('')
  const act = (path: 'resolve' | 'reopen'): void => {
    void action.run(async () => await send('POST', routes.commentAction(me.space, props.id, comment().id, path)))
  }
  const sendReply = (event: SubmitEvent): void => {
    event.preventDefault()
    void action.run(async () => {
      await send('POST', routes.commentAction(me.space, props.id, comment().id, 'replies'), { body: reply().trim() })
      setReply('')
    })
  }
  return (
    <li class='thread' data-thread={comment().id} data-resolved={comment().resolved !== undefined}>
      <p>
        <span class='where'>{place()?.name ?? comment().location}</span>{' '}
        <Show when={where()} fallback={<span class='deleted' data-deleted>The passage was deleted: <q>{comment().quote}</q></span>}>{at =>
          <button type='button' class='link' aria-label={`Show the passage “${comment().quote}”`}
            onClick={() => { const text = place()?.text; if (text !== undefined) reveal(text, at().from, at().to) }}>
            <q>{comment().quote}</q>
          </button>
        }</Show>
      </p>
      <p class='comment-body'><strong>{whoIs(me.space, comment().author)}</strong> <span class='who'>{when(comment().at)}</span><br />{comment().body}</p>
      <For each={comment().replies ?? []}>{answer =>
        <p class='reply'><strong>{whoIs(me.space, answer.author)}</strong> <span class='who'>{when(answer.at)}</span><br />{answer.body}</p>
      }</For>
      <Show when={comment().resolved}>{resolved => <p class='who'>Resolved by {nameOf(me.space, resolved().by)}, {when(resolved().at)}</p>}</Show>
      <Show when={props.commentable() && edits(me.role)}>
        <form class='reply-form' onSubmit={sendReply}>
          <Field label='Reply'>
            <input name='reply' maxlength={4000} value={reply()} onInput={event => setReply(event.currentTarget.value)} />
          </Field>
          <div class='controls'>
            <button type='submit' data-reply={comment().id} disabled={reply().trim() === ''}>Reply</button>
            <Show when={mayResolve()}>
              <Show when={comment().resolved === undefined} fallback={
                <button type='button' data-reopen={comment().id} onClick={() => act('reopen')}>Reopen</button>
              }>
                <button type='button' data-resolve={comment().id} onClick={() => act('resolve')}>Resolve</button>
              </Show>
            </Show>
          </div>
        </form>
      </Show>
      <Outcome of={action} />
    </li>
  )
}
