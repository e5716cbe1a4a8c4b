// Draftroom's web app. Signing in is a token link (`/s/SPACE?token=…`):
// the server keeps the token in a cookie, which the websockets and the API
// calls then carry. The address says which page to draw, for whoever is
// signed in; every link loads its page afresh.
import { createResource, ErrorBoundary, Show, type JSX } from 'solid-js'
import { render } from 'solid-js/web'
import { runsTheSpace } from './access'
import { locate, type Located } from './address'
import { getJson, messageOf, routes, type Me } from './api'
import { Dashboard } from './pages/Dashboard'
import { Inbox } from './pages/Inbox'
import { People } from './pages/People'
import { RecommendationPage } from './pages/Recommendation'
import { Versions } from './pages/Versions'
import './style.css'

/** What is shown in place of a page: the app's name and a sentence. */
function Notice (props: { children: JSX.Element, error?: boolean }): JSX.Element {
  return (
    <main>
      <h1>Draftroom</h1>
      <p class={props.error === true ? 'error' : undefined} role={props.error === true ? 'alert' : undefined}>{props.children}</p>
    </main>
  )
}

function Page (props: { me: Me, at: Located }): JSX.Element {
  const { me } = props
  const [first = '', second = ''] = props.at.ids
  switch (props.at.page) {
    case 'dashboard': return <Dashboard me={me} />
    case 'recommendation': return <RecommendationPage me={me} source={{ kind: 'live', id: first }} />
    case 'branch': return <RecommendationPage me={me} source={{ kind: 'branch', proposal: first }} />
    case 'version': return <RecommendationPage me={me} source={{ kind: 'version', version: first, id: second }} />
    case 'inbox': return <Inbox me={me} />
    case 'versionList': return <Versions me={me} />
    case 'people': return runsTheSpace(me.role) ? <People me={me} /> : <Notice error>There is no such page.</Notice>
  }
}

function App (): JSX.Element {
  const at = locate(location.pathname)
  if (at === undefined) return <Notice>Open the sign-in link you were given (it looks like /s/SPACE?token=…).</Notice>
  const [me] = createResource(async () => await getJson<Me>(routes.me(at.space)))
  return (
    <ErrorBoundary fallback={error => <Notice error>{messageOf(error)}</Notice>}>
      <Show when={me()}>{me => <Page me={me()} at={at} />}</Show>
    </ErrorBoundary>
  )
}

render(() => <App />, document.getElementById('app') as HTMLElement)
