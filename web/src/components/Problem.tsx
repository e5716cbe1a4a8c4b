// What the app shows in place of a page it cannot show: what happened, in
// a sentence, what to do about it, and the way on.
import { Show, type JSX } from 'solid-js'
import { address } from '../address'
import type { Me, Refused } from '../api'
import { Frame } from './Header'

interface Explained { title: string, todo: string }

/** What a refusal's code means for the person who met it, and what they can do. */
const EXPLAINED: Record<string, Explained> = {
  'no-token': {
    title: 'You are not signed in',
    todo: 'Open the sign-in link you were given (it looks like /s/SPACE?token=…). If you have none, ask the chair of your working group for one.'
  },
  'bad-token': {
    title: 'This sign-in link does not work',
    todo: 'Check that the whole link was copied, or ask the chair for a new one.'
  },
  'token-expired': {
    title: 'This sign-in link has expired',
    todo: 'Ask the chair of your working group for a new link.'
  },
  'no-such-proposal': {
    title: 'There is no such proposal here',
    todo: 'The address may be mistyped, or the proposal is someone else\'s: a proposal and its branch are open to their author, the vice-chair and the chair.'
  },
  revoked: {
    title: 'Your access to this space was revoked',
    todo: 'The chair has withdrawn the sign-in links you were given. If you think this is a mistake, ask the chair for a new link.'
  },
  'two-sessions': {
    title: 'This browser holds two sessions for this space',
    todo: 'Clear this site\'s cookies in your browser, then open your sign-in link again.'
  },
  'cross-origin': {
    title: 'This page was opened from another site',
    todo: 'Open Draftroom at its own address (the one in your sign-in link), not through another site.'
  },
  'wrong-space': {
    title: 'This link is for another space',
    todo: 'Open the link you were given for this space, or go to the space your link is for.'
  },
  'no-such-page': {
    title: 'There is no such page',
    todo: 'The address may be mistyped or out of date: start again from the dashboard.'
  },
  'not-yours': {
    title: 'This page is not open to you',
    todo: 'Only the chair hands out sign-in links and sees who holds them. Ask the chair if someone needs a link.'
  }
}

const UNEXPLAINED: Explained = { title: 'This page cannot be shown', todo: 'Try again, or start again from the dashboard.' }

interface Props {
  refusal: Refused
  /** The space the address names, if it names one. */
  space?: string
  /** Who is signed in, if anyone: the page then has the space's navigation. */
  me?: Me
}

export function Problem (props: Props): JSX.Element {
  const explained = EXPLAINED[props.refusal.code ?? ''] ?? UNEXPLAINED
  const reason = props.refusal.message.charAt(0).toUpperCase() + props.refusal.message.slice(1)
  // The server's words, unless the heading says it already.
  const adds = reason.replace(/\.$/, '').toLowerCase() !== explained.title.toLowerCase()
  const body = (
    <div class='problem' data-problem={props.refusal.code}>
      <Show when={adds}><p class='error'>{reason.endsWith('.') ? reason : `${reason}.`}</p></Show>
      <p>{explained.todo}</p>
      <nav aria-label='Where to go'>
        <Show when={props.space}>{space =>
          <a class='button' href={address(space(), 'dashboard')}>Go to the dashboard</a>
        }</Show>{' '}
        <button type='button' onClick={() => history.back()}>Go back</button>
      </nav>
    </div>
  )
  return (
    <Show when={props.me} fallback={<main><h1>{explained.title}</h1>{body}</main>}>{me =>
      <Frame me={me()} title={explained.title}>{body}</Frame>
    }</Show>
  )
}
