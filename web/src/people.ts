// Who is who in the space: the roster, read once per page and again when
// the chair changes it, so the app names people (with the delegation they
// speak for), never by the id their sign-in links carry.
import { createResource, createRoot, type Resource } from 'solid-js'
import { getJson, routes, type Person } from './api'

interface Held { list: Resource<Person[]>, reread: () => void }

const rosters = new Map<string, Held>()

function held (space: string): Held {
  let roster = rosters.get(space)
  if (roster === undefined) {
    // Owned by no page: it outlives the one that first asked.
    roster = createRoot(() => {
      const [list, { refetch }] = createResource(async () => await getJson<Person[]>(routes.people(space)))
      return { list, reread: () => { void refetch() } }
    })
    rosters.set(space, roster)
  }
  return roster
}

/** The space's roster: everyone on it, by name (none while it is read, or if it cannot be). */
export function roster (space: string): Resource<Person[]> {
  return held(space).list
}

/** Reads the roster again, after the chair changed it. */
export function rereadRoster (space: string): void {
  held(space).reread()
}

function personOf (space: string, user: string): Person | undefined {
  const list = held(space).list
  return list.error === undefined ? list()?.find(person => person.user === user) : undefined
}

/** What the app calls `user`: their name on the roster, or their id if it does not list them. */
export function nameOf (space: string, user: string): string {
  return personOf(space, user)?.name ?? user
}

/** `user` with who they speak for: "Ana Silva (Brazil)". */
export function whoIs (space: string, user: string): string {
  const person = personOf(space, user)
  if (person === undefined) return user
  return person.delegation !== '' ? `${person.name} (${person.delegation})` : person.name
}
