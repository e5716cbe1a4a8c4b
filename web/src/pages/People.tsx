// The chair's page for people: the roster (each person's name, the
// delegation or group they speak for, and their role), kept here: add,
// change, take off; a sign-in link minted for someone on it (or for someone
// new, who joins it); which links were minted; and revoking a person's
// access (every link they were given stops working, and their open pages
// are closed, within seconds; a link minted later works). A new role, or
// leaving the roster, ends the links a person was given.
import { createResource, createSignal, For, Show, type Accessor, type JSX, type Resource } from 'solid-js'
import { DUTIES, edits } from '../access'
import { getJson, messageOf, routes, send, type AuditEntry, type Link, type Me, type Person, type Revoked } from '../api'
import { createAction, Field, Outcome, ReadFailure, Select, TableHead, when, type Choice } from '../components/controls'
import { Frame } from '../components/Header'
import { openLive } from '../live'
import { nameOf, rereadRoster, roster } from '../people'
import { AUDIT_ACTIONS, DOCS, ROLES, type Role } from '../schema'

const expires = (seconds: number): string => new Date(seconds * 1000).toLocaleDateString(undefined, { dateStyle: 'medium' })

const ROLE_CHOICES: Choice[] = ROLES.map((role, rank) => [role, `${role}: ${DUTIES[rank]}`])

/** Most links are for people who co-edit: the least trusted role that edits. */
const USUAL_ROLE = ROLES.filter(edits).at(-1) ?? ROLES[0]

const COLUMNS = ['For', 'Role', 'Works until', 'Minted', 'Access']
const ROSTER_COLUMNS = ['Name', 'Delegation or group', 'Role', '']

/** Groups a delegation may be, besides a Member State or an organization. */
const GROUPS = ['Civil society', 'Private sector', 'Technical community', 'Academia', 'Intergovernmental organization', 'Secretariat']
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
  const [delegation, setDelegation] = createSignal('')
  const [role, setRole] = createSignal<string>(USUAL_ROLE)
  const [days, setDays] = createSignal('30')
  const action = createAction()
  /** Mints a link for `who` (their role on the roster unless `as` says), and shows it. */
  const mint = async (who: string, as: string | undefined, forDays: number): Promise<Link> => {
    const link = await send<Link>('POST', routes.links(props.me.space), { user: who, ...(as !== undefined ? { role: as } : {}), days: forDays })
    setMinted(links => [link, ...links.filter(shown => shown.user !== link.user)])
    rereadRoster(props.me.space)
    await refetch()
    return link
  }
  const submit = (event: SubmitEvent): void => {
    event.preventDefault()
    void action.run(async () => {
      const link = await mint(user(), role(), Number(days()))
      if (delegation().trim() !== '') {
        await send('PATCH', routes.person(props.me.space, link.user), { delegation: delegation() })
        rereadRoster(props.me.space)
      }
      setUser('')
      setDelegation('')
    })
  }
  return (
    <Frame me={props.me} title='People' current='people' live={index}>
      <form class='column inline' onSubmit={submit}>
        <h2>Invite someone</h2>
        <PersonFields names={['user', 'delegation', 'role']} nameLabel='Their name' nameLength={64}
          name={[user, setUser]} delegation={[delegation, setDelegation]} role={[role, setRole]} />
        <Field label='Days the link works'>
          <input name='days' type='number' min={1} max={366} value={days()} onInput={event => setDays(event.currentTarget.value)} />
        </Field>
        <button type='submit'>Make a sign-in link</button>
        <Outcome of={action} />
      </form>
      <div class='minted'>
        <For each={minted()}>{link => <MintedLink space={props.me.space} link={link} />}</For>
      </div>
      <datalist id='groups'><For each={GROUPS}>{group => <option value={group} />}</For></datalist>
      <Roster me={props.me} mint={mint} changed={() => { void refetch(); void rereadRevoked() }} />
      <h2>Links minted</h2>
      <Listed list={history} empty='No link has been minted here yet.' columns={COLUMNS} row={({ entry }) =>
        <tr>
          <td>{entry.details.user !== undefined ? nameOf(props.me.space, entry.details.user) : '—'}</td>
          <td>{entry.details.role ?? '—'}</td>
          <td>{entry.details.expires_at !== undefined ? expires(entry.details.expires_at) : '—'}</td>
          <td>{when(entry.at)} by {nameOf(props.me.space, entry.actor)}</td>
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
          <td>{nameOf(props.me.space, entry.user)}</td>
          <td>{new Date(entry.at * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</td>
        </tr>
      } />
    </Frame>
  )
}

/** The roster: who is who, each with what the chair may do. */
/** What a row of the roster may do: mint a link, and say the roster changed (links may have ended). */
interface RowActions { mint: (who: string, as: string | undefined, days: number) => Promise<Link>, changed: () => void }

function Roster (props: { me: Me } & RowActions): JSX.Element {
  const people = roster(props.me.space)
  const adding = createAction()
  const [name, setName] = createSignal('')
  const [delegation, setDelegation] = createSignal('')
  const [role, setRole] = createSignal<string>(USUAL_ROLE)
  const add = (event: SubmitEvent): void => {
    event.preventDefault()
    void adding.run(async () => {
      const person = await send<Person>('POST', routes.people(props.me.space), { name: name(), delegation: delegation(), role: role() })
      rereadRoster(props.me.space)
      setName('')
      setDelegation('')
      return person
    }, person => `${person.name} is on the roster. Make them a sign-in link when they should join.`)
  }
  return <>
    <h2>The roster</h2>
    <p class='who'>Pages and reports name people as the roster does, with the delegation or group they speak for.</p>
    <ReadFailure message={people.error !== undefined ? messageOf(people.error) : undefined} />
    <Show when={people.error === undefined && people()}>{list =>
      <div class='scroll'>
        <table>
          <TableHead columns={ROSTER_COLUMNS} />
          {/* Keyed by user id: a row (and what it says of the last action) stays while the roster is read again. */}
          <tbody><For each={list().map(person => person.user)}>{user =>
            <Show when={list().find(person => person.user === user)}>{person => <PersonRow me={props.me} person={person()} mint={props.mint} changed={props.changed} />}</Show>
          }</For></tbody>
        </table>
      </div>
    }</Show>
    <form class='column inline' onSubmit={add}>
      <h3>Add someone to the roster</h3>
      <PersonFields names={['name', 'new-delegation', 'new-role']} name={[name, setName]} delegation={[delegation, setDelegation]} role={[role, setRole]} />
      <button type='submit'>Add to the roster</button>
      <Outcome of={adding} />
    </form>
  </>
}

/** One person on the roster: changed in place, given a link, or taken off. */
function PersonRow (props: { me: Me, person: Person } & RowActions): JSX.Element {
  const person = (): Person => props.person
  const [editing, setEditing] = createSignal(false)
  const [name, setName] = createSignal('')
  const [delegation, setDelegation] = createSignal('')
  const [role, setRole] = createSignal<string>('')
  const action = createAction()
  const edit = (): void => {
    setName(person().name)
    setDelegation(person().delegation)
    setRole(person().role)
    setEditing(true)
  }
  const save = (event: SubmitEvent): void => {
    event.preventDefault()
    const newRole = role() !== person().role
    void action.run(async () => {
      await send('PATCH', routes.person(props.me.space, person().user), { name: name(), delegation: delegation(), role: role() as Role })
      setEditing(false)
      rereadRoster(props.me.space)
      props.changed()
    }, newRole ? 'Saved. The links they had carry their old role and no longer work: make them a new one.' : 'Saved.')
  }
  const remove = (): void => {
    if (!confirm(`Take ${person().name} off the roster? The links they were given stop working.`)) return
    void action.run(async () => {
      await send('DELETE', routes.person(props.me.space, person().user))
      rereadRoster(props.me.space)
      props.changed()
    })
  }
  return (
    <tr data-person={person().user}>
      <Show when={editing()} fallback={<>
        <td>{person().name}</td>
        <td>{person().delegation !== '' ? person().delegation : '—'}</td>
        <td>{person().role}</td>
        <td>
          <div class='controls'>
            <button type='button' class='link' aria-label={`Change what the roster says of ${person().name}`} onClick={edit}>Change</button>
            <button type='button' class='link' aria-label={`New sign-in link for ${person().name}`} onClick={() => { void action.run(async () => await props.mint(person().user, undefined, 30)) }}>New sign-in link</button>
            <Show when={person().user !== props.me.user}>
              <button type='button' class='link' aria-label={`Take off the roster: ${person().name}`} onClick={remove}>Take off the roster</button>
            </Show>
          </div>
          <Outcome of={action} />
        </td>
      </>}>
        <td colSpan={4}>
          <form class='inline' onSubmit={save} aria-label={`What the roster says of ${person().name}`}>
            <PersonFields names={['person-name', 'person-delegation', 'person-role']} name={[name, setName]} delegation={[delegation, setDelegation]} role={[role, setRole]} />
            <button type='submit'>Save</button>
            <button type='button' onClick={() => setEditing(false)}>Cancel</button>
            <Outcome of={action} />
          </form>
        </td>
      </Show>
    </tr>
  )
}

type Held = [Accessor<string>, (value: string) => void]

/** What the roster says of a person, as fields: their name, who they speak for, their role. */
function PersonFields (props: { names: [string, string, string], nameLabel?: string, nameLength?: number, name: Held, delegation: Held, role: Held }): JSX.Element {
  const [name, setName] = props.name
  const [delegation, setDelegation] = props.delegation
  const [role, setRole] = props.role
  return <>
    <Field label={props.nameLabel ?? 'Name'}>
      <input name={props.names[0]} required maxlength={props.nameLength ?? 200} value={name()} onInput={event => setName(event.currentTarget.value)} />
    </Field>
    <Field label='Delegation or group'>
      <input name={props.names[1]} list='groups' maxlength={200} value={delegation()} onInput={event => setDelegation(event.currentTarget.value)} />
    </Field>
    <Select name={props.names[2]} label='Role' options={ROLE_CHOICES} value={role()} onChange={setRole} />
  </>
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
function MintedLink (props: { space: string, link: Link }): JSX.Element {
  const url = `${location.origin}${props.link.path}`
  const [copied, setCopied] = createSignal('Copy')
  let field!: HTMLInputElement
  const copy = (): void => {
    field.select()
    void navigator.clipboard?.writeText(url).then(() => setCopied('Copied'), () => setCopied('Select and copy it'))
  }
  return (
    <div class='column' data-link={props.link.user}>
      <p>{nameOf(props.space, props.link.user)} signs in as {props.link.role} with this link, until {expires(props.link.expires_at)}. Anyone who has it can use it: send it privately.</p>
      <div class='controls'>
        <input ref={field} readonly value={url} aria-label={`Sign-in link for ${nameOf(props.space, props.link.user)}`} class='link' />
        <button type='button' data-action='copy' aria-label={`${copied()}: the sign-in link for ${nameOf(props.space, props.link.user)}`} onClick={copy}>{copied()}</button>
      </div>
    </div>
  )
}
