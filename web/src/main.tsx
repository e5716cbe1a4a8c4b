// Draftroom's web app. Signing in is a token link (`/s/SPACE?token=…`):
// the server keeps the token in a cookie, which the websockets and the API
// calls then carry. The address says which page to draw, for whoever is
// signed in; every link loads its page afresh.
import { createResource, ErrorBoundary, Show, type JSX } from 'solid-js'
import { render } from 'solid-js/web'
import { runsTheSpace } from './access'
import { locate, type Located } from './address'
import { getJson, messageOf, Refused, refusalOf, routes, type Me } from './api'
import { Problem } from './components/Problem'
import { ServerNotice } from './components/ServerNotice'
import { Dashboard } from './pages/Dashboard'
import { Inbox } from './pages/Inbox'
import { People } from './pages/People'
import { RecommendationPage } from './pages/Recommendation'
import { Versions } from './pages/Versions'
import { Meetings } from './pages/Meetings'
import { ImplementationPage } from './pages/Implementation'
import { SwitchPerson, type Switch } from './pages/SwitchPerson'
import { PROBLEM_ELEMENT, SWITCH_ELEMENT } from './schema'
import './style.css'

/** What the server carried in the page's element `id`, as `read` reads it; `unreadable` if it cannot be read. */
function carried<T> (id: string, read: (json: unknown) => T, unreadable: T | undefined): T | undefined {
  const text = document.getElementById(id)?.textContent
  if (text == null) return undefined
  try {
    return read(JSON.parse(text))
  } catch {
    return unreadable
  }
}

/**
 * Why the server answered this address with the app in place of the page
 * (a sign-in link that does not sign in, an address that names no page).
 */
const carriedProblem = (): Refused | undefined => carried(PROBLEM_ELEMENT, refusalOf, new Refused('this page cannot be shown', undefined))

/** A sign-in link that would switch this browser to another person, if the server carried one. */
const carriedSwitch = (): Switch | undefined => carried(SWITCH_ELEMENT, json => json as Switch, undefined)

/** The space an address is under (`/s/SPACE/…`), if any. */
function spaceOf (pathname: string): string | undefined {
  const [first, space] = pathname.split('/').filter(part => part !== '')
  return first === 's' && space !== undefined ? decodeURIComponent(space) : undefined
}

function Page (props: { me: Me, at: Located }): JSX.Element {
  const { me } = props
  const [first = '', second = ''] = props.at.ids
  switch (props.at.page) {
    case 'dashboard': return <Dashboard me={me} />
    case 'recommendation': return <RecommendationPage me={me} source={{ kind: 'live', id: first }} />
    case 'branch': return <BranchPage me={me} proposal={first} />
    case 'version': return <RecommendationPage me={me} source={{ kind: 'version', version: first, id: second }} />
    case 'inbox': return <Inbox me={me} />
    case 'versionList': return <Versions me={me} />
    case 'meetings': return <Meetings me={me} />
    case 'implementation': return <ImplementationPage me={me} />
    case 'people': return runsTheSpace(me.role)
      ? <People me={me} />
      : <Problem refusal={new Refused('the people page is for the chair', 'not-yours')} space={me.space} me={me} />
  }
}

/**
 * A branch's page, once the API says the proposal is one this person may
 * see (its author's, the vice-chair's and the chair's): otherwise, why not,
 * without opening its document.
 */
function BranchPage (props: { me: Me, proposal: string }): JSX.Element {
  const [seen] = createResource(async () => {
    try {
      await getJson(routes.proposal(props.me.space, props.proposal))
      return true
    } catch (error) {
      return error instanceof Refused ? error : new Refused(messageOf(error), undefined)
    }
  })
  return (
    <Show when={seen()}>{found => {
      const answer = found()
      return answer instanceof Refused
        ? <Problem refusal={answer} space={props.me.space} me={props.me} />
        : <RecommendationPage me={props.me} source={{ kind: 'branch', proposal: props.proposal }} />
    }}</Show>
  )
}

/** Who is signed in here, or why nobody is. */
async function signedIn (space: string): Promise<Me | Refused> {
  try {
    return await getJson<Me>(routes.me(space))
  } catch (error) {
    if (error instanceof Refused) return error
    throw error
  }
}

function App (): JSX.Element {
  const carried = carriedProblem()
  const offer = carriedSwitch()
  const space = spaceOf(location.pathname)
  if (space === undefined) return <Problem refusal={carried ?? new Refused('no space is named here', 'no-token')} />
  const [me] = createResource(async () => await signedIn(space))
  return <>
    <ServerNotice />
    <ErrorBoundary fallback={error => <Problem refusal={new Refused(messageOf(error), undefined)} space={space} />}>
      <Show when={me()}>{found => {
        const who = found()
        if (who instanceof Refused) return <Problem refusal={carried ?? who} space={space} />
        if (carried !== undefined) return <Problem refusal={carried} space={space} me={who} />
        if (offer !== undefined) return <SwitchPerson me={who} offer={offer} />
        const at = locate(location.pathname)
        if (at === undefined) return <Problem refusal={new Refused('there is no such page', 'no-such-page')} space={space} me={who} />
        return <Page me={who} at={at} />
      }}</Show>
    </ErrorBoundary>
  </>
}

render(() => <App />, document.getElementById('app') as HTMLElement)
