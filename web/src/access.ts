// What the app lets each role do, and when a text is frozen. The server
// enforces all of it; the app only reflects it, so that nobody is offered a
// control the server would refuse. Both follow from the schema's ordered
// lists: ROLES runs from the most trusted to the least (the chair, the
// vice-chair, members, observers) and STATUSES from the first draft to the
// adopted text.
import { ROLES, STATUSES, type Role, type Status } from './schema'

const rank = (role: Role): number => ROLES.indexOf(role)

/** The chair runs the space: sets statuses, mints sign-in links. */
export const runsTheSpace = (role: Role): boolean => rank(role) === 0

/** The chair and the vice-chair triage proposals and name versions. */
export const triages = (role: Role): boolean => rank(role) <= 1

/** Everyone but an observer co-edits, supports and proposes. */
export const edits = (role: Role): boolean => rank(role) < ROLES.length - 1

/** What each role does, in ROLES's order, for the people who hand out links. */
export const DUTIES: readonly string[] = ['runs the space', 'merges proposals', 'co-edits, proposes', 'watches, changes nothing']

/** A new recommendation's status. */
export const FIRST_STATUS: Status = STATUSES[0]

/** The last status: an adopted recommendation's text is frozen. */
export const ADOPTED: Status = STATUSES[STATUSES.length - 1]
