// The frame of every page: a link past the header for keyboard users, the
// header (the space's pages, who is signed in, and who is here), and the
// page's own content under its title.
import { createEffect, For, Show, type JSX } from 'solid-js'
import { triages, runsTheSpace } from '../access'
import { address, type PageName } from '../address'
import type { Me } from '../api'
import type { Live } from '../live'
import { HereNow } from './HereNow'

/** The pages the navigation lists: those of the whole space. */
type Listed = 'dashboard' | 'inbox' | 'versionList' | 'meetings' | 'implementation' | 'people'

interface Props {
  me: Me
  /** The page shown, marked in the navigation if it is listed there. */
  current?: PageName
  /** The page's live document, whose awareness says who is here, if it has one. */
  live?: Live
}

/** Where "Skip to content" leads: the page's own content. */
const CONTENT = 'content'

function Header (props: Props): JSX.Element {
  const pages = (): Array<[Listed, string]> => [
    ['dashboard', 'Dashboard'],
    ['inbox', triages(props.me.role) ? 'Proposals inbox' : 'My proposals'],
    ['versionList', 'Versions'],
    ['meetings', 'Meetings'],
    ['implementation', 'Implementation'],
    ...(runsTheSpace(props.me.role) ? [['people', 'People'] as [Listed, string]] : [])
  ]
  return (
    <header class='bar'>
      <nav class='pages' aria-label='Space'>
        <For each={pages()}>{([page, label]) =>
          <a href={address(props.me.space, page)} aria-current={page === props.current ? 'page' : undefined}>{label}</a>
        }</For>
      </nav>
      <span class='who'>Signed in as <strong>{props.me.name}</strong>{props.me.delegation !== '' ? ` (${props.me.delegation})` : ''} · {props.me.role}</span>
      <Show when={props.live}>{live => <HereNow live={live()} />}</Show>
    </header>
  )
}

/**
 * A page: the skip link first, so that it is the first thing Tab reaches,
 * then the header, then the content under the page's one h1. The tab's
 * title names the page, so that several open tabs can be told apart; it is
 * also what a screen reader says on arrival.
 */
export function Frame (props: Props & { title: string, children: JSX.Element }): JSX.Element {
  createEffect(() => { document.title = `${props.title} — Draftroom` })
  return <>
    <a class='skip' href={`#${CONTENT}`}>Skip to content</a>
    <Header me={props.me} current={props.current} live={props.live} />
    <main id={CONTENT} tabindex='-1'>
      <h1>{props.title}</h1>
      {props.children}
    </main>
  </>
}
