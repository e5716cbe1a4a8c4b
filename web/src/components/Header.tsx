// The page's header: the space's pages, the page's title (the browser
// tab's too), who is signed in, and who is here.
import { createEffect, For, Show, type JSX } from 'solid-js'
import { triages, runsTheSpace } from '../access'
import { address, type PageName } from '../address'
import type { Me } from '../api'
import type { Live } from '../live'
import { HereNow } from './HereNow'

/** The pages the navigation lists: those of the whole space. */
type Listed = 'dashboard' | 'inbox' | 'versionList' | 'people'

interface Props {
  me: Me
  title: string
  /** The page shown, marked in the navigation if it is listed there. */
  current?: PageName
  /** The page's live document, whose awareness says who is here, if it has one. */
  live?: Live
}

export function Header (props: Props): JSX.Element {
  const pages = (): Array<[Listed, string]> => [
    ['dashboard', 'Dashboard'],
    ['inbox', triages(props.me.role) ? 'Proposals inbox' : 'My proposals'],
    ['versionList', 'Versions'],
    ...(runsTheSpace(props.me.role) ? [['people', 'People'] as [Listed, string]] : [])
  ]
  // The tab names the page, so that several open tabs can be told apart.
  createEffect(() => { document.title = `${props.title} — Draftroom` })
  return (
    <header class='bar'>
      <div>
        <nav class='pages' aria-label='Space'>
          <For each={pages()}>{([page, label]) =>
            <a href={address(props.me.space, page)} aria-current={page === props.current ? 'page' : undefined}>{label}</a>
          }</For>
        </nav>
        <h1>{props.title}</h1>
      </div>
      <span class='who'>{props.me.user} · {props.me.role}</span>
      <Show when={props.live}>{live => <HereNow live={live()} />}</Show>
    </header>
  )
}
