// The chair's page for people: mint a sign-in link for someone, with the
// role they take in this space, see which links were minted, and revoke a
// person's access (every link they were given stops working, and their
// open pages are closed, within seconds; a link minted later works).
import { createResource, createSignal, For, Show, type JSX, type Resource } from 'solid-js'
import { DUTIES, edits } from '../access'
import { getJson, messageOf, routes, send, type AuditEntry, type Link, type Me, type Revoked } from '../api'
import { createAction, Field, Outcome, ReadFailure, Select, TableHead, when, type Choice } from '../components/controls'
import { Frame } from '../components/Header'
import { openLive } from '../live'
import { AUDIT_ACTIONS, DOCS, ROLES } from '../schema'

const expires = (seconds: number): string => new Date(seconds * 1000).toLocaleDateString(undefined, { dateStyle: 'medium' })

const ROLE_CHOICES: Choice[] = ROLES.map((role, rank) => [role, `${role}: ${DUTIES[rank]}`])

/** Most links are for people who co-edit: the least trusted role that edits. */
const USUAL_ROLE = ROLES.filter(edits).at(-1) ?? ROLES[0]

const COLUMNS = ['For', 'Role', 'Works until', 'Minted', 'Access']
const REVOKED_COLUMNS = ['Who', 'Links given until then stopped working']

const seconds = (rfc3339: string): number => Math.floor(Date.parse(rfc3339) / 1000)

export function People (props: { me: Me }): JSX.Element {
  // The page has no document of its own; it joins the space's index, as
  // the dashboard does, to say who is here and whether the server is reached.
  const index = openLive(props.me, DOCS.index)
  const [history, { refetch }] = createResource(async () =>
    (await getJson<{ entries: AuditEntry[] }>(routes.audit(props.me.space))).entries
      .filter(e => e.entry.action === AUDIT_ACTIONS.linkMinted)
      .reverse())
  const [revoked, { refetch: rereadRevoked }] = createResource(async () => await getJson<Revoked[]>(routes.revocations(props.me.space)))
  const revokedAt = (user: string): number | undefined => revoked()?.find(r => r.user === user)?.at
  const [minted, setMinted] = createSignal<Link[]>([])
  const [toRevoke, setToRevoke] = createSignal('')
  const revoking = createAction()
  const revoke = (event: SubmitEvent): void => {
    event.preventDefault()
    const who = toRevoke().trim()
    void revoking.run(async () => {
      await send('POST', routes.revocations(props.me.space), { user: who })
      setToRevoke('')
      await rereadRevoked()
    }, `${who} can no longer sign in with the links they were given. A link you make for them from now on will work.`)
  }
  const [user, setUser] = createSignal('')
  const [role, setRole] = createSignal<string>(USUAL_ROLE)
  const [days, setDays] = createSignal('30')
  const action = createAction()
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    void action.run(async () => {
      const link = await send<Link>('POST', routes.links(props.me.space), { user: user(), role: role(), days: Number(days()) })
      setMinted(links => [link, ...links])
      setUser('')
      await refetch()
    })
  }
  return (
    <Frame me={props.me} title='People' current='people' live={index}>
      <form class='column inline' onSubmit={submit}>
        <h2>Invite someone</h2>
        <Field label='Their name'>
          <input name='user' required maxlength={64} value={user()} onInput={event => setUser(event.currentTarget.value)} />
        </Field>
        <Select name='role' label='Role' options={ROLE_CHOICES} value={role()} onChange={setRole} />
        <Field label='Days the link works'>
          <input name='days' type='number' min={1} max={366} value={days()} onInput={event => setDays(event.currentTarget.value)} />
        </Field>
        <button type='submit'>Make a sign-in link</button>
        <Outcome of={action} />
      </form>
      <div class='minted'>
        <For each={minted()}>{link => <MintedLink link={link} />}</For>
      </div>
      <h2>Links minted</h2>
      <Listed list={history} empty='No link has been minted here yet.' columns={COLUMNS} row={({ entry }) =>
        <tr>
          <td>{entry.details.user ?? '—'}</td>
          <td>{entry.details.role ?? '—'}</td>
          <td>{entry.details.expires_at !== undefined ? expires(entry.details.expires_at) : '—'}</td>
          <td>{when(entry.at)} by {entry.actor}</td>
          <td>{(() => {
            const at = revokedAt(entry.details.user ?? '')
            // When the link was issued; links minted before that was recorded, when minted.
            const issued = entry.details.issued_at ?? seconds(entry.at)
            return at !== undefined && issued <= at ? 'revoked' : 'works'
          })()}</td>
        </tr>
      } />
      <form class='column inline' onSubmit={revoke}>
        <h2>Revoke someone's access</h2>
        <p class='who'>Every link they were given stops working at once, and the pages they have open close within seconds.</p>
        <Field label='Their name'>
          <input name='revoke' required maxlength={64} value={toRevoke()} onInput={event => setToRevoke(event.currentTarget.value)} />
        </Field>
        <button type='submit'>Revoke their access</button>
        <Outcome of={revoking} />
      </form>
      <h2>Access revoked</h2>
      <Listed list={revoked} empty="Nobody's access has been revoked." columns={REVOKED_COLUMNS} row={entry =>
        <tr data-revoked={entry.user}>
          <td>{entry.user}</td>
          <td>{new Date(entry.at * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</td>
        </tr>
      } />
    </Frame>
  )
}

/** A list read from the API as a table; why it could not be read; or that it is empty. */
function Listed<T> (props: { list: Resource<T[]>, empty: string, columns: readonly string[], row: (item: T) => JSX.Element }): JSX.Element {
  return (
    <div class='scroll'>
      <ReadFailure message={props.list.error !== undefined ? messageOf(props.list.error) : undefined} />
      <Show when={props.list.error === undefined && props.list()}>{items =>
        <Show when={items().length > 0} fallback={<p class='who'>{props.empty}</p>}>
          <table>
            <TableHead columns={props.columns} />
            <tbody><For each={items()}>{item => props.row(item)}</For></tbody>
          </table>
        </Show>
      }</Show>
    </div>
  )
}

/** A link just minted, to hand over privately. */
function MintedLink (props: { link: Link }): JSX.Element {
  const url = `${location.origin}${props.link.path}`
  const [copied, setCopied] = createSignal('Copy')
  let field!: HTMLInputElement
  const copy = (): void => {
    field.select()
    void navigator.clipboard?.writeText(url).then(() => setCopied('Copied'), () => setCopied('Select and copy it'))
  }
  return (
    <div class='column' data-link={props.link.user}>
      <p>{props.link.user} signs in as {props.link.role} with this link, until {expires(props.link.expires_at)}. Anyone who has it can use it: send it privately.</p>
      <div class='controls'>
        <input ref={field} readonly value={url} aria-label={`Sign-in link for ${props.link.user}`} class='link' />
        <button type='button' data-action='copy' aria-label={`${copied()}: the sign-in link for ${props.link.user}`} onClick={copy}>{copied()}</button>
      </div>
    </div>
  )
}
