// What a sign-in link for another person shows a browser already signed
// in to the space: a page elsewhere could have sent it, to have this
// browser work as the link's owner. Nothing changes until the person here
// says so; staying drops the link from the address.
import type { JSX } from 'solid-js'
import { routes, send, type Me } from '../api'
import { createAction, Outcome } from '../components/controls'
import { Frame } from '../components/Header'
import { nameOf } from '../people'
import type { Role } from '../schema'

/** What the server carries in a sign-in page that would switch person. */
export interface Switch {
  space: string
  current: { user: string, role: Role }
  offered: { user: string, role: Role }
  token: string
}

export function SwitchPerson (props: { me: Me, offer: Switch }): JSX.Element {
  const here = location.pathname
  const action = createAction()
  const switchTo = (): void => {
    void action.run(async () => {
      await send('POST', routes.session(props.me.space), { token: props.offer.token })
      location.replace(here)
    })
  }
  const stay = (): void => { location.replace(here) }
  return (
    <Frame me={props.me} title='Sign in as someone else?'>
      <div class='column' data-switch={props.offer.offered.user}>
        <p>This browser is signed in to this space as <strong>{props.me.name}</strong> ({props.me.role}).</p>
        <p>The link you opened signs in as <strong>{nameOf(props.me.space, props.offer.offered.user)}</strong> ({props.offer.offered.role}).
          If you did not expect a link of your own, stay as you are: whoever sent it would see what you write as theirs.</p>
        <div class='controls'>
          <button type='button' onClick={stay}>Stay signed in as {props.me.name}</button>
          <button type='button' onClick={switchTo}>Sign in as {nameOf(props.me.space, props.offer.offered.user)}</button>
        </div>
        <Outcome of={action} />
      </div>
    </Frame>
  )
}
