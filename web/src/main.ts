// Draftroom's web app. Signing in is a token link (`/s/SPACE?token=…`):
// the server keeps the token in a cookie, which the websockets and the API
// calls then carry. Each page is a function of who is signed in.
import { dashboard } from './pages/dashboard'
import { inbox } from './pages/inbox'
import { people } from './pages/people'
import { recommendation } from './pages/recommendation'
import { versions } from './pages/versions'
import { app, el, getJson, type Me } from './ui'
import './style.css'

async function route (me: Me, rest: string[]): Promise<void> {
  const [page, a, b] = rest
  if (page === undefined) return await dashboard(me)
  if (page === 'r' && a !== undefined) return await recommendation(me, { kind: 'live', id: a })
  if (page === 'p' && a !== undefined) return await recommendation(me, { kind: 'branch', proposal: a })
  if (page === 'v' && a !== undefined && b !== undefined) return await recommendation(me, { kind: 'version', version: a, id: b })
  if (page === 'proposals') return await inbox(me)
  if (page === 'versions') return await versions(me)
  if (page === 'people' && me.role === 'chair') return await people(me)
  throw new Error('There is no such page.')
}

async function start (): Promise<void> {
  const [first, space, ...rest] = location.pathname.split('/').filter(part => part !== '').map(decodeURIComponent)
  if (first !== 's' || space === undefined) {
    app.replaceChildren(el('h1', {}, 'Draftroom'), el('p', {}, 'Open the sign-in link you were given (it looks like /s/SPACE?token=…).'))
    return
  }
  try {
    await route(await getJson<Me>(`/api/spaces/${encodeURIComponent(space)}/me`), rest)
  } catch (error) {
    app.replaceChildren(el('h1', {}, 'Draftroom'), el('p', { class: 'error', role: 'alert' }, (error as Error).message))
  }
}

void start()
